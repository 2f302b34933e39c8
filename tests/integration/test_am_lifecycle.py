"""The AM API v3 and v2 slice lifecycle against a real `federa am` process, driven as omni does
(xmlrpc.client over TLS with the experimenter's certificate and slice credentials from the
local CA): every answer's fields and types, and the exact geni_code of every refusal.
FEDERA_TEST_STORE=postgresql runs the same suite on the PostgreSQL at FEDERA_TEST_PG_URI."""

import base64
import datetime
import re
import time
import unittest
import xml.etree.ElementTree as ET
import zlib

from harness import (AggregateTestCase, GENI3_NS, RSPEC_VERSION, geni_code, host_urn, inventory_toml, link_xml,
                     node_xml, request_rspec, slice_urn, wait_for_state)

NS = {"r": GENI3_NS}
ALLOCATION_STATES = {"geni_unallocated", "geni_allocated", "geni_provisioned"}
OPERATIONAL_STATES = {"geni_pending_allocation", "geni_notready", "geni_configuring", "geni_stopping",
                      "geni_ready", "geni_ready_busy", "geni_failed"}
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFederaIntegrationTestKey alice@example.org"


def parse_time(text):
    """An RFC 3339 time as an aware datetime; fails the test if it is not one."""
    assert isinstance(text, str), f"time {text!r} is not a string"
    assert "T" in text and (text.endswith("Z") or text[-6] in "+-"), f"{text!r} is not RFC 3339"
    parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def decompress(text):
    return zlib.decompress(base64.b64decode(text)).decode()


def undated(rspec):
    """The RSpec text without the times it was written at: the manifest's `generated` and the
    stitching extension's `lastUpdateTime` (two calls may fall in different seconds)."""
    return re.sub(r' (generated|lastUpdateTime)="[^"]*"', "", rspec)


def pair_request(prefix):
    """Two nodes pinned to host1 and host2, joined by a link (which then needs a VLAN tag)."""
    return request_rspec(
        node_xml(f"{prefix}a", component_id=host_urn("host1"), interfaces=[f"{prefix}a:if0"]),
        node_xml(f"{prefix}b", component_id=host_urn("host2"), interfaces=[f"{prefix}b:if0"]),
        link_xml(f"{prefix}link", f"{prefix}a:if0", f"{prefix}b:if0"))


class GeniAssertions:
    """Checks of the AM API return struct and its parts, shared by the test classes."""

    def success(self, answer):
        self.assertIsInstance(answer, dict)
        self.assertIs(type(answer["code"]["geni_code"]), int)
        self.assertEqual(answer["code"]["geni_code"], 0, answer.get("output"))
        self.assertIsInstance(answer["output"], str)
        return answer["value"]

    def refused(self, answer, code, *words):
        """The call failed with `code` and a message naming each of `words`."""
        self.assertIsInstance(answer, dict, "a refusal must be a return struct, not a fault")
        self.assertIs(type(answer["code"]["geni_code"]), int)
        self.assertEqual(answer["code"]["geni_code"], code, answer.get("output"))
        self.assertIsInstance(answer["output"], str)
        self.assertTrue(answer["output"], "a refusal needs a message")
        for word in words:
            self.assertIn(word, answer["output"])
        return answer["output"]

    def check_sliver(self, sliver, allocation=None, operational=None):
        for key in ("geni_sliver_urn", "geni_allocation_status", "geni_operational_status", "geni_error"):
            self.assertIs(type(sliver[key]), str, key)
        self.assertTrue(sliver["geni_sliver_urn"].startswith("urn:publicid:IDN+federa.local+sliver+"))
        for key in ("geni_expires", "geni_start_time", "geni_end_time"):
            parse_time(sliver[key])
        self.assertIn(sliver["geni_allocation_status"], ALLOCATION_STATES)
        self.assertIn(sliver["geni_operational_status"], OPERATIONAL_STATES)
        if allocation:
            self.assertEqual(sliver["geni_allocation_status"], allocation)
        if operational:
            self.assertEqual(sliver["geni_operational_status"], operational)

    def check_slivers(self, slivers, count, allocation=None, operational=None):
        self.assertIsInstance(slivers, list)
        self.assertEqual(len(slivers), count)
        for sliver in slivers:
            self.check_sliver(sliver, allocation, operational)
        return {s["geni_sliver_urn"] for s in slivers}

    def check_manifest(self, text, nodes, links=0):
        """Parses a manifest; every node has its sliver and component ids, every link a tag."""
        root = ET.fromstring(text)
        self.assertEqual(root.tag, f"{{{GENI3_NS}}}rspec")
        self.assertEqual(root.get("type"), "manifest")
        found_nodes = root.findall("r:node", NS)
        self.assertEqual(len(found_nodes), nodes)
        for node in found_nodes:
            for attribute in ("client_id", "sliver_id", "component_id", "component_manager_id"):
                self.assertTrue(node.get(attribute), f"node without {attribute}: {ET.tostring(node)}")
            self.assertTrue(node.get("component_id").startswith("urn:publicid:IDN+federa.local+node+host"))
            self.assertEqual(node.get("component_manager_id"), "urn:publicid:IDN+federa.local+authority+cm")
        found_links = root.findall("r:link", NS)
        self.assertEqual(len(found_links), links)
        for link in found_links:
            self.assertTrue(link.get("sliver_id"))
            self.assertTrue(link.get("vlantag", "").isdigit(), f"link without a VLAN tag: {ET.tostring(link)}")
        return root


class V3LifecycleTest(GeniAssertions, AggregateTestCase):
    INVENTORY = inventory_toml(hosts=2, slots=4, vlans="100-109")

    def credentials(self, name, **kwargs):
        return self.am.v3_credentials(name, **kwargs)

    def test_full_lifecycle(self):
        v3, name = self.am.proxy(), "life"
        urn, creds = slice_urn(name), self.credentials(name)
        # Allocate
        value = self.success(v3.Allocate(urn, creds, pair_request("n"), {}))
        self.assertEqual(set(value), {"geni_rspec", "geni_slivers"})
        slivers = self.check_slivers(value["geni_slivers"], 3, "geni_allocated", "geni_pending_allocation")
        manifest = self.check_manifest(value["geni_rspec"], nodes=2, links=1)
        self.assertEqual({n.get("sliver_id") for n in manifest.iter() if n.get("sliver_id")} & slivers, slivers)
        hosts = {n.get("client_id"): n.get("component_id") for n in manifest.findall("r:node", NS)}
        self.assertEqual(hosts, {"na": host_urn("host1"), "nb": host_urn("host2")})
        for sliver in value["geni_slivers"]:
            expires = parse_time(sliver["geni_expires"])
            self.assertLess(expires, now() + datetime.timedelta(seconds=601))  # allocation_lifetime 600 s
            self.assertGreater(expires, now() + datetime.timedelta(seconds=500))
        # Provision, with a user's key
        users = [{"urn": self.am.experimenter_urn, "keys": [SSH_KEY]}]
        value = self.success(v3.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION, "geni_users": users}))
        self.assertEqual(self.check_slivers(value["geni_slivers"], 3, "geni_provisioned", "geni_configuring"), slivers)
        self.check_manifest(value["geni_rspec"], nodes=2, links=1)
        self.assertIn(SSH_KEY, value["geni_rspec"])
        # the backend worker builds and boots the slice (libvirt test driver)
        wait_for_state(v3, [urn], creds, "geni_ready")
        # PerformOperationalAction: start (already started: no change), restart, stop, start again;
        # each answers at once with the transient state, the worker reaches the stable one
        for action, during, state in (("geni_start", "geni_ready", "geni_ready"),
                                      ("geni_restart", "geni_configuring", "geni_ready"),
                                      ("geni_stop", "geni_stopping", "geni_notready"),
                                      ("geni_start", "geni_configuring", "geni_ready")):
            value = self.success(v3.PerformOperationalAction([urn], creds, action, {}))
            self.assertEqual(self.check_slivers(value, 3, "geni_provisioned", during), slivers, action)
            for sliver in value:
                self.assertEqual(sliver["geni_error"], "")
            wait_for_state(v3, [urn], creds, state)
        # Status
        value = self.success(v3.Status([urn], creds, {}))
        self.assertEqual(value["geni_urn"], urn)
        self.assertEqual(self.check_slivers(value["geni_slivers"], 3, "geni_provisioned", "geni_ready"), slivers)
        # Status and Describe of one sliver by its URN
        one = sorted(slivers)[0]
        value = self.success(v3.Status([one], creds, {}))
        self.assertEqual(value["geni_urn"], urn)
        self.assertEqual(self.check_slivers(value["geni_slivers"], 1), {one})
        # Describe, plain and compressed
        plain = self.success(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION}))
        self.assertEqual(plain["geni_urn"], urn)
        self.assertEqual(self.check_slivers(plain["geni_slivers"], 3, "geni_provisioned", "geni_ready"), slivers)
        self.check_manifest(plain["geni_rspec"], nodes=2, links=1)
        packed = self.success(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION,
                                                          "geni_compressed": True}))
        self.assertIsInstance(packed["geni_rspec"], str)
        self.assertNotIn("<rspec", packed["geni_rspec"])
        self.assertEqual(undated(decompress(packed["geni_rspec"])), undated(plain["geni_rspec"]))
        # Renew
        wanted = now() + datetime.timedelta(hours=2)
        value = self.success(v3.Renew([urn], creds, rfc3339(wanted), {}))
        self.check_slivers(value, 3, "geni_provisioned", "geni_ready")
        for sliver in value:
            self.assertLess(abs((parse_time(sliver["geni_expires"]) - wanted).total_seconds()), 2)
        # Delete
        value = self.success(v3.Delete([urn], creds, {}))
        self.assertEqual(self.check_slivers(value, 3, "geni_unallocated"), slivers)
        self.assert_slice_empty(urn, creds)
        for sliver in slivers:
            self.refused(v3.Status([sliver], creds, {}), 12, sliver)

    def assert_slice_empty(self, urn, creds):
        answer = self.am.proxy().Status([urn], creds, {})
        if geni_code(answer) == 0:
            self.assertEqual(answer["value"]["geni_slivers"], [])
        else:
            self.refused(answer, 12)

    def test_list_resources_plain_compressed_and_available(self):
        v3, name = self.am.proxy(), "adfull"
        plain = self.success(v3.ListResources([], {"geni_rspec_version": RSPEC_VERSION}))
        root = ET.fromstring(plain)
        self.assertEqual(root.tag, f"{{{GENI3_NS}}}rspec")
        self.assertEqual(root.get("type"), "advertisement")
        nodes = root.findall("r:node", NS)
        self.assertEqual({n.get("component_id") for n in nodes}, {host_urn("host1"), host_urn("host2")})
        for node in nodes:
            self.assertEqual(node.get("component_manager_id"), "urn:publicid:IDN+federa.local+authority+cm")
            self.assertEqual(node.find("r:available", NS).get("now"), "true")
        packed = self.success(v3.ListResources([], {"geni_rspec_version": RSPEC_VERSION, "geni_compressed": True}))
        self.assertEqual(ET.fromstring(decompress(packed)).get("type"), "advertisement")
        # Fill host1: it is no longer available
        full = request_rspec(*(node_xml(f"f{i}", component_id=host_urn("host1")) for i in range(4)))
        creds = self.credentials(name)
        self.success(v3.Allocate(slice_urn(name), creds, full, {}))
        try:
            available = self.success(v3.ListResources([], {"geni_rspec_version": RSPEC_VERSION,
                                                           "geni_available": True}))
            self.assertEqual([n.get("component_id") for n in ET.fromstring(available).findall("r:node", NS)],
                             [host_urn("host2")])
            everything = ET.fromstring(self.success(v3.ListResources([], {"geni_rspec_version": RSPEC_VERSION})))
            busy = {n.get("component_id"): n.find("r:available", NS).get("now")
                    for n in everything.findall("r:node", NS)}
            self.assertEqual(busy, {host_urn("host1"): "false", host_urn("host2"): "true"})
        finally:
            self.success(v3.Delete([slice_urn(name)], creds, {}))

    def test_renew_limits(self):
        v3, name = self.am.proxy(), "renewals"
        urn, creds = slice_urn(name), self.credentials(name, expires="1d")
        self.success(v3.Allocate(urn, creds, request_rspec(node_xml("r1")), {}))
        self.success(v3.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION}))
        self.refused(v3.Renew([urn], creds, rfc3339(now() - datetime.timedelta(hours=1)), {}), 19, "past")
        beyond = now() + datetime.timedelta(days=2)
        self.refused(v3.Renew([urn], creds, rfc3339(beyond), {}), 19, "geni_extend_alap")
        capped = self.success(v3.Renew([urn], creds, rfc3339(beyond), {"geni_extend_alap": True}))
        credential_expiry = now() + datetime.timedelta(days=1)
        self.check_slivers(capped, 1)
        self.assertLess(abs((parse_time(capped[0]["geni_expires"]) - credential_expiry).total_seconds()), 60)
        self.refused(v3.Renew([urn], creds, "next tuesday", {}), 1, "RFC 3339")
        self.success(v3.Delete([urn], creds, {}))

    def test_sliver_operations_and_best_effort_partial_success(self):
        v3, name = self.am.proxy(), "partial"
        urn, creds = slice_urn(name), self.credentials(name)
        value = self.success(v3.Allocate(urn, creds, request_rspec(node_xml("p1"), node_xml("p2")), {}))
        first, second = (s["geni_sliver_urn"] for s in value["geni_slivers"])
        self.success(v3.Provision([first], creds, {"geni_rspec_version": RSPEC_VERSION}))
        wait_for_state(v3, [first], creds, "geni_ready")
        states = {s["geni_sliver_urn"]: (s["geni_allocation_status"], s["geni_operational_status"])
                  for s in self.success(v3.Status([urn], creds, {}))["geni_slivers"]}
        self.assertEqual(states, {first: ("geni_provisioned", "geni_ready"),
                                  second: ("geni_allocated", "geni_pending_allocation")})
        # without best effort one sliver in the wrong state refuses the whole call, changing nothing
        self.refused(v3.PerformOperationalAction([urn], creds, "geni_stop", {}), 13, second)
        self.assertEqual(self.success(v3.Status([first], creds, {}))["geni_slivers"][0]["geni_operational_status"],
                         "geni_ready")
        outcomes = self.success(v3.PerformOperationalAction([urn], creds, "geni_start", {"geni_best_effort": True}))
        self.check_slivers(outcomes, 2)
        by_urn = {s["geni_sliver_urn"]: s for s in outcomes}
        self.check_sliver(by_urn[first], "geni_provisioned", "geni_ready")
        self.assertEqual(by_urn[first]["geni_error"], "")
        self.check_sliver(by_urn[second], "geni_allocated", "geni_pending_allocation")
        self.assertIn("geni_start", by_urn[second]["geni_error"])
        # Delete of one sliver leaves the other
        self.check_slivers(self.success(v3.Delete([second], creds, {})), 1, "geni_unallocated")
        self.assertEqual(self.check_slivers(self.success(v3.Status([urn], creds, {}))["geni_slivers"], 1), {first})
        self.success(v3.Delete([urn], creds, {}))

    def test_shutdown_refuses_every_later_call(self):
        v3, name = self.am.proxy(), "stopped"
        urn, creds = slice_urn(name), self.credentials(name)
        self.refused(v3.Shutdown(urn, creds, {}), 12)  # no such slice yet
        self.refused(v3.Shutdown(self.am.experimenter_urn, creds, {}), 1)
        # pinned to host2: the slice keeps its slot for good (test_list_resources fills host1)
        self.success(v3.Allocate(urn, creds, request_rspec(node_xml("s1", component_id=host_urn("host2"))), {}))
        self.assertIs(self.success(v3.Shutdown(urn, creds, {})), True)
        self.assertIs(self.success(v3.Shutdown(urn, creds, {})), True)  # idempotent
        later = (v3.Status([urn], creds, {}), v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION}),
                 v3.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION}),
                 v3.PerformOperationalAction([urn], creds, "geni_start", {}),
                 v3.Renew([urn], creds, rfc3339(now() + datetime.timedelta(hours=1)), {}),
                 v3.Delete([urn], creds, {}), v3.Allocate(urn, creds, request_rspec(node_xml("s2")), {}))
        for answer in later:
            self.refused(answer, 7, "shut down")

    def test_allocate_manifest_covers_only_the_new_slivers(self):
        # AM API v3 Allocate: "The manifest is a manifest RSpec of only newly allocated slivers".
        v3, name = self.am.proxy(), "twice"
        urn, creds = slice_urn(name), self.credentials(name)
        self.success(v3.Allocate(urn, creds, request_rspec(node_xml("t1")), {}))
        try:
            value = self.success(v3.Allocate(urn, creds, request_rspec(node_xml("t2")), {}))
            self.check_slivers(value["geni_slivers"], 1)
            root = ET.fromstring(value["geni_rspec"])
            self.assertEqual([n.get("client_id") for n in root.findall("r:node", NS)], ["t2"])
        finally:
            self.success(v3.Delete([urn], creds, {}))

    def manifest_of_one_of_two(self, name, method, options):
        """Allocates nodes "<name>1" and "<name>2", calls `method` on the first sliver only; returns
        the client_ids in the manifest of its answer."""
        v3 = self.am.proxy()
        urn, creds = slice_urn(name), self.credentials(name)
        value = self.success(v3.Allocate(urn, creds, request_rspec(node_xml(name + "1"), node_xml(name + "2")), {}))
        try:
            first = next(s["geni_sliver_urn"] for s in value["geni_slivers"] if s["geni_client_id"] == name + "1")
            value = self.success(getattr(v3, method)([first], creds, options))
            self.assertEqual(self.check_slivers(value["geni_slivers"], 1), {first})
            return [n.get("client_id") for n in ET.fromstring(value["geni_rspec"]).findall("r:node", NS)]
        finally:
            self.success(v3.Delete([urn], creds, {}))

    def test_provision_manifest_covers_only_the_new_slivers(self):
        # AM API v3 Provision: "The returned manifest covers only newly provisioned slivers."
        self.assertEqual(self.manifest_of_one_of_two("prov", "Provision", {"geni_rspec_version": RSPEC_VERSION}),
                         ["prov1"])

    def test_describe_of_one_sliver_covers_only_that_sliver(self):
        # AM API v3 Describe: the manifest describes "the resources in the set of slivers whose URNs
        # were supplied".
        self.assertEqual(self.manifest_of_one_of_two("desc", "Describe", {"geni_rspec_version": RSPEC_VERSION}),
                         ["desc1"])

    def test_a_client_id_allocated_again_after_delete_is_described_once(self):
        v3, name = self.am.proxy(), "again"
        urn, creds = slice_urn(name), self.credentials(name)
        for _ in range(2):
            self.success(v3.Allocate(urn, creds, request_rspec(node_xml("a1")), {}))
            self.success(v3.Delete([urn], creds, {}))
        value = self.success(v3.Allocate(urn, creds, request_rspec(node_xml("a1")), {}))
        try:
            described = self.success(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION}))
            for manifest in (value["geni_rspec"], described["geni_rspec"]):
                self.check_manifest(manifest, nodes=1)
        finally:
            self.success(v3.Delete([urn], creds, {}))


class V2LifecycleTest(GeniAssertions, AggregateTestCase):
    INVENTORY = inventory_toml(hosts=2, slots=2, vlans="200-209")

    def credentials(self, name, **kwargs):
        return [self.am.slice_credential(name, **kwargs)]  # v2: bare XML strings

    def test_full_lifecycle(self):
        v2, name = self.am.proxy("/am/2.0"), "v2life"
        urn, creds = slice_urn(name), self.credentials(name)
        options = {"geni_rspec_version": RSPEC_VERSION}
        ad = self.success(v2.ListResources([], options))
        self.assertEqual(len(ET.fromstring(ad).findall("r:node", NS)), 2)
        packed = self.success(v2.ListResources([], dict(options, geni_compressed=True)))
        self.assertEqual(ET.fromstring(decompress(packed)).get("type"), "advertisement")
        # CreateSliver with users: provisioned and started at once
        users = [{"urn": self.am.experimenter_urn, "keys": [SSH_KEY]}]
        manifest = self.success(v2.CreateSliver(urn, creds, pair_request("v"), users, {}))
        self.assertIsInstance(manifest, str)
        self.check_manifest(manifest, nodes=2, links=1)
        self.assertIn(SSH_KEY, manifest)
        # ListResources with geni_slice_urn: the slice's manifest
        described = self.success(v2.ListResources(creds, dict(options, geni_slice_urn=urn)))
        self.check_manifest(described, nodes=2, links=1)
        described = self.success(v2.ListResources(creds, dict(options, geni_slice_urn=urn, geni_compressed=True)))
        self.check_manifest(decompress(described), nodes=2, links=1)
        # SliverStatus
        status = self.success(v2.SliverStatus(urn, creds, {}))
        self.assertEqual(status["geni_urn"], urn)
        self.assertEqual(status["geni_status"], "ready")
        parse_time(status["geni_expires"])
        self.assertEqual(len(status["geni_resources"]), 3)
        for resource in status["geni_resources"]:
            self.assertTrue(resource["geni_urn"].startswith("urn:publicid:IDN+federa.local+sliver+"))
            self.assertEqual(resource["geni_status"], "ready")
            self.assertIs(type(resource["geni_error"]), str)
        # CreateSliver again on the same slice
        self.refused(v2.CreateSliver(urn, creds, pair_request("v"), users, {}), 17)
        # RenewSliver
        wanted = now() + datetime.timedelta(hours=3)
        answer = v2.RenewSliver(urn, creds, rfc3339(wanted), {})
        self.assertIs(self.success(answer), True)
        self.assertLess(abs((parse_time(answer["output"]) - wanted).total_seconds()), 2)
        self.assertLess(abs((parse_time(self.success(v2.SliverStatus(urn, creds, {}))["geni_expires"])
                             - wanted).total_seconds()), 2)
        self.refused(v2.RenewSliver(urn, creds, rfc3339(now() + datetime.timedelta(days=3)), {}), 19)
        self.refused(v2.RenewSliver(urn, creds, rfc3339(now() - datetime.timedelta(days=1)), {}), 19)
        # DeleteSliver
        self.assertIs(self.success(v2.DeleteSliver(urn, creds, {})), True)
        answer = v2.SliverStatus(urn, creds, {})
        if geni_code(answer) == 0:
            self.assertEqual(answer["value"]["geni_resources"], [])
        else:
            self.refused(answer, 12)

    def test_shutdown(self):
        v2, name = self.am.proxy("/am/2.0"), "v2stop"
        urn, creds = slice_urn(name), self.credentials(name)
        self.success(v2.CreateSliver(urn, creds, request_rspec(node_xml("s1")), [], {}))
        self.assertIs(self.success(v2.Shutdown(urn, creds, {})), True)
        self.assertIs(self.success(v2.Shutdown(urn, creds, {})), True)
        self.refused(v2.SliverStatus(urn, creds, {}), 7, "shut down")
        self.refused(v2.RenewSliver(urn, creds, rfc3339(now() + datetime.timedelta(hours=1)), {}), 7)
        self.refused(v2.DeleteSliver(urn, creds, {}), 7)

    def test_v2_refusals(self):
        v2, name = self.am.proxy("/am/2.0"), "v2bad"
        urn, creds = slice_urn(name), self.credentials(name)
        self.refused(v2.ListResources([], {}), 1, "geni_rspec_version")
        self.refused(v2.SliverStatus(urn, creds, {}), 12, urn)
        self.refused(v2.CreateSliver(urn, creds, "<rspec", [], {}), 1)
        self.refused(v2.CreateSliver(urn, [self.am.slice_credential("v2other")], request_rspec(node_xml("x")), [],
                                     {}), 22)


class RefusalTest(GeniAssertions, AggregateTestCase):
    """One host of two slots, held by slices "ra" and "rb" (set up once)."""

    INVENTORY = inventory_toml(hosts=1, slots=2)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        v3 = cls.am.proxy()
        cls.slivers = {}
        for name in ("ra", "rb"):
            answer = v3.Allocate(slice_urn(name), cls.am.v3_credentials(name), request_rspec(node_xml(name + "1")), {})
            assert geni_code(answer) == 0, answer
            cls.slivers[name] = answer["value"]["geni_slivers"][0]["geni_sliver_urn"]
        cls.bob = cls.am.add_experimenter("bob")

    def creds(self, name, **kwargs):
        return self.am.v3_credentials(name, **kwargs)

    def test_unknown_slice_and_sliver(self):
        v3 = self.am.proxy()
        urn, creds = slice_urn("nobody"), self.creds("nobody")
        self.refused(v3.Status([urn], creds, {}), 12, urn)
        self.refused(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION}), 12)
        self.refused(v3.Delete([urn], creds, {}), 12)
        self.refused(v3.Renew([urn], creds, rfc3339(now() + datetime.timedelta(hours=1)), {}), 12)
        ghost = "urn:publicid:IDN+federa.local+sliver+00000000-0000-4000-8000-000000000000"
        self.refused(v3.Status([ghost], self.creds("ra"), {}), 12, ghost)

    def test_urns_of_two_slices(self):
        answer = self.am.proxy().Status([self.slivers["ra"], self.slivers["rb"]], self.creds("ra"), {})
        self.refused(answer, 1, "two slices")

    def test_urns_of_other_kinds(self):
        self.refused(self.am.proxy().Status([self.am.experimenter_urn], self.creds("ra"), {}), 1)
        self.refused(self.am.proxy().Status([], self.creds("ra"), {}), 1)
        self.refused(self.am.proxy().Allocate("not a urn", self.creds("ra"), request_rspec(node_xml("z")), {}), 1)

    def test_missing_options_and_arguments(self):
        v3 = self.am.proxy()
        self.refused(v3.Allocate(slice_urn("ra"), self.creds("ra"), request_rspec(node_xml("m1"))), 1, "options")
        self.refused(v3.Status([slice_urn("ra")], self.creds("ra")), 1, "options")
        self.refused(v3.ListResources([]), 1, "options")
        self.refused(v3.Status([slice_urn("ra")], self.creds("ra"), "options"), 1)

    def test_rspec_version_option(self):
        v3 = self.am.proxy()
        self.refused(v3.ListResources([], {}), 1, "geni_rspec_version")
        self.refused(v3.ListResources([], {"geni_rspec_version": {"type": "GENI"}}), 1)
        self.refused(v3.ListResources([], {"geni_rspec_version": {"type": "GENI", "version": "2"}}), 4)
        self.refused(v3.ListResources([], {"geni_rspec_version": {"type": "ProtoGENI", "version": "3"}}), 4)
        self.success(v3.ListResources([], {"geni_rspec_version": {"type": "geni", "version": "3"}}))
        self.refused(v3.Describe([slice_urn("ra")], self.creds("ra"), {}), 1, "geni_rspec_version")
        self.refused(v3.Provision([slice_urn("ra")], self.creds("ra"),
                                  {"geni_rspec_version": {"type": "GENI", "version": "2"}}), 4)

    def test_bad_request_rspecs(self):
        v3, urn, creds = self.am.proxy(), slice_urn("rc"), self.creds("rc")
        self.refused(v3.Allocate(urn, creds, "<rspec xmlns='x'><node", {}), 1, "line")
        self.refused(v3.Allocate(urn, creds, "", {}), 1)
        self.refused(v3.Allocate(urn, creds, request_rspec(), {}), 1, "no node")
        self.refused(v3.Allocate(urn, creds, "<notrspec/>", {}), 1)
        v2_namespace = request_rspec(node_xml("old"), namespace="http://www.protogeni.net/resources/rspec/2")
        self.refused(v3.Allocate(urn, creds, v2_namespace, {}), 4, "namespace")
        self.refused(v3.Allocate(urn, creds, request_rspec(node_xml("d"), node_xml("d")), {}), 1, "'d'")
        doctype = "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x 'y'>]>" + request_rspec(node_xml("e"))
        self.refused(v3.Allocate(urn, creds, doctype, {}), 1)
        self.refused(v3.Status([urn], creds, {}), 12)  # nothing of it was kept

    def test_credential_refusals(self):
        v3, urn = self.am.proxy(), slice_urn("ra")
        self.refused(v3.Status([urn], self.creds("rb"), {}), 22, slice_urn("rb"))
        self.refused(v3.Status([urn], self.creds("ra", owner=self.bob), {}), 22, "bob")
        self.refused(v3.Status([urn], self.creds("ra", expires="2020-01-01T00:00:00Z"), {}), 21)
        self.refused(v3.Allocate(slice_urn("rc"), [], request_rspec(node_xml("c1")), {}), 3)
        self.refused(v3.Status([urn], [], {}), 3)
        self.refused(v3.Allocate(urn, self.creds("ra", privileges="info"), request_rspec(node_xml("c2")), {}), 3,
                     "createsliver")
        self.refused(v3.Shutdown(urn, self.creds("ra", privileges="control"), {}), 3, "shutdown")
        self.refused(v3.Status([urn], [{"geni_type": "geni_sfa", "geni_version": "3", "geni_value": "<junk"}], {}),
                     20)
        with_bob_too = self.creds("ra", owner=self.bob) + self.creds("ra")  # one good one suffices
        self.success(v3.Status([urn], with_bob_too, {}))

    def test_perform_operational_action_refusals(self):
        v3, urn, creds = self.am.proxy(), slice_urn("ra"), self.creds("ra")
        self.refused(v3.PerformOperationalAction([urn], creds, "", {}), 13)
        self.refused(v3.PerformOperationalAction([urn], creds, "geni_explode", {}), 13, "geni_explode", "geni_start")
        # "ra" is only allocated: no action applies yet
        self.refused(v3.PerformOperationalAction([urn], creds, "geni_start", {}), 13, "geni_allocated")
        outcomes = self.success(v3.PerformOperationalAction([urn], creds, "geni_start", {"geni_best_effort": True}))
        self.check_slivers(outcomes, 1, "geni_allocated", "geni_pending_allocation")
        self.assertIn("geni_start", outcomes[0]["geni_error"])

    def test_insufficient_nodes_names_the_client_id(self):
        v3 = self.am.proxy()
        answer = v3.Allocate(slice_urn("rc"), self.creds("rc"), request_rspec(node_xml("toomany")), {})
        self.refused(answer, 26, "toomany")
        self.refused(v3.Status([slice_urn("rc")], self.creds("rc"), {}), 12)

    def test_duplicate_client_id_in_a_second_allocate(self):
        answer = self.am.proxy().Allocate(slice_urn("ra"), self.creds("ra"), request_rspec(node_xml("ra1")), {})
        self.refused(answer, 17, "ra1")

    def test_provision_with_nothing_to_provision(self):
        v3, name = self.am.proxy(), "re"
        # "re" gets "ra"'s slot for a moment: Provision twice, the second has nothing left to do
        self.success(v3.Delete([slice_urn("ra")], self.creds("ra"), {}))
        try:
            self.success(v3.Allocate(slice_urn(name), self.creds(name), request_rspec(node_xml("e1")), {}))
            self.success(v3.Provision([slice_urn(name)], self.creds(name), {"geni_rspec_version": RSPEC_VERSION}))
            self.refused(v3.Provision([slice_urn(name)], self.creds(name), {"geni_rspec_version": RSPEC_VERSION}),
                         11)
        finally:
            self.success(v3.Delete([slice_urn(name)], self.creds(name), {}))
            value = self.success(v3.Allocate(slice_urn("ra"), self.creds("ra"), request_rspec(node_xml("ra1")), {}))
            type(self).slivers["ra"] = value["geni_slivers"][0]["geni_sliver_urn"]

    def test_allocate_end_time(self):
        v3 = self.am.proxy()
        past = rfc3339(now() - datetime.timedelta(hours=1))
        self.refused(v3.Allocate(slice_urn("rc"), self.creds("rc"), request_rspec(node_xml("g1")),
                                 {"geni_end_time": past}), 19)
        self.refused(v3.Allocate(slice_urn("rc"), self.creds("rc"), request_rspec(node_xml("g1")),
                                 {"geni_end_time": "soon"}), 1)


class SliverLifetimeTest(GeniAssertions, AggregateTestCase):
    CONFIG = "[aggregate]\nallocation_lifetime = 2\nreap_interval = 0.5\n"
    INVENTORY = inventory_toml(hosts=1, slots=1)

    def test_an_unprovisioned_sliver_expires_and_frees_its_host(self):
        v3 = self.am.proxy()
        first, second = ("la", "lb")
        # Issue both credentials first: a slow `federa cred` (ASan) must not eat the 2 s lifetime.
        self.am.v3_credentials(first), self.am.v3_credentials(second)
        started = time.monotonic()
        value = self.success(v3.Allocate(slice_urn(first), self.am.v3_credentials(first),
                                         request_rspec(node_xml("l1")), {}))
        expires = parse_time(value["geni_slivers"][0]["geni_expires"])
        self.assertLess(expires, now() + datetime.timedelta(seconds=3))
        self.refused(v3.Allocate(slice_urn(second), self.am.v3_credentials(second),
                                 request_rspec(node_xml("l2")), {}), 26, "l2")
        deadline = started + 15
        while time.monotonic() < deadline:
            answer = v3.Status([slice_urn(first)], self.am.v3_credentials(first), {})
            if geni_code(answer) == 12 or (geni_code(answer) == 0 and not answer["value"]["geni_slivers"]):
                break
            self.check_slivers(answer["value"]["geni_slivers"], 1, "geni_allocated")
            time.sleep(0.2)
        else:
            self.fail("the allocated sliver outlived its 2 s allocation lifetime by 13 s")
        self.assertGreater(time.monotonic() - started, 1.5)
        self.assertIn("event=sliver_expired", self.am.read_log())
        # the host is free again, and a provisioned sliver is not reaped after 2 s
        self.success(v3.Allocate(slice_urn(second), self.am.v3_credentials(second), request_rspec(node_xml("l2")),
                                 {}))
        self.success(v3.Provision([slice_urn(second)], self.am.v3_credentials(second),
                                  {"geni_rspec_version": RSPEC_VERSION}))
        time.sleep(2.5)
        status = self.success(v3.Status([slice_urn(second)], self.am.v3_credentials(second), {}))
        self.check_slivers(status["geni_slivers"], 1, "geni_provisioned")


if __name__ == "__main__":
    unittest.main()
