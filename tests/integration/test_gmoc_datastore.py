"""The monitoring datastore of a real `federa am` (/info/*, /data/, /metrics) for a slice with
nodes and a link: every document validates against the shipped GENI monitoring schemas
(Debian's python3-jsonschema, draft 3), hrefs lead to each other, only whitelisted collectors get
answers; and `federa admin whohad` names the holder of the link's VLAN tag before, during and
after the sliver's life."""

import json
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from harness import GENI3_NS, RSPEC_VERSION, geni_code, inventory_toml, run_federa, slice_urn
from test_gmoc_harness import (https_get, pair_request, rfc3339, start_aggregate, utc_now, validate, validator,
                               wait_for)

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFederaGmocTestKey alice@example.org"


class DatastoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.am = start_aggregate("am1", inventory=inventory_toml(2, slots=4))
        cls.collector = cls.am.add_experimenter("gmoc")
        cls.outsider = cls.am.add_experimenter("mallory")

    @classmethod
    def tearDownClass(cls):
        cls.am.close()

    def get(self, path, identity=None):
        return https_get(self.am.port, path, identity or self.collector)

    def allocate(self, name):
        am = self.am.proxy()
        answer = am.Allocate(slice_urn(name), self.am.v3_credentials(name), pair_request(name), {})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))
        answer = am.Provision([slice_urn(name)], self.am.v3_credentials(name),
                              {"geni_rspec_version": RSPEC_VERSION,
                               "geni_users": [{"urn": self.am.experimenter_urn, "keys": [SSH_KEY]}]})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))
        return answer["value"]

    def path_of(self, href):
        return urllib.parse.urlsplit(href).path

    def test_every_document_of_a_slice_validates_and_links_up(self):
        self.allocate("dsslice")
        status, aggregate = self.get("/info/aggregate/am1")
        self.assertEqual(status, 200, aggregate)
        validate("aggregate", aggregate)
        self.assertEqual(aggregate["urn"], "urn:publicid:IDN+federa.local+authority+am")
        kinds = {"node": 0, "link": 0}
        for resource in aggregate["resources"]:
            status, doc = self.get(self.path_of(resource["href"]))
            self.assertEqual(status, 200, resource)
            validate(resource["resource_type"], doc)
            kinds[resource["resource_type"]] += 1
            for interface in doc.get("interfaces", []):
                status, iface = self.get(self.path_of(interface["href"]))
                self.assertEqual(status, 200, interface)
                validate("interface", iface)
            if resource["resource_type"] == "link":
                for endpoint in doc["endpoints"]:
                    status, iface = self.get(self.path_of(endpoint["href"]))
                    validate("interface", iface)
        self.assertEqual(kinds["node"], 3)  # host1, host2, the site switch
        self.assertEqual(kinds["link"], 1)  # the link sliver between host1 and host2
        self.assertEqual(len(aggregate["slivers"]), 3)
        for ref in aggregate["slivers"]:
            status, sliver = self.get(self.path_of(ref["href"]))
            validate("sliver", sliver)
            self.assertEqual(sliver["slice_urn"], slice_urn("dsslice"))
            self.assertEqual(self.get(self.path_of(sliver["resources"][0]["href"]))[0], 200)
        status, node = self.get("/info/node/am1_node_host1")
        status, iface = self.get(self.path_of(node["interfaces"][0]["href"]))
        tag = self.vlan_tag("dsslice")
        status, vlan = self.get(f"/info/interfacevlan/{iface['id']}:{tag}")
        self.assertEqual(status, 200, vlan)
        validate("interfacevlan", vlan)
        self.assertEqual(vlan["tag"], tag)
        self.assertEqual(self.get(f"/info/interfacevlan/{iface['id']}:{tag + 1}")[0], 404)

        # Per-link series: the link sliver's allocated bandwidth and state, about its /info/link/ object.
        link = next(r for r in aggregate["resources"] if r["resource_type"] == "link")
        start = int(time.time() * 1e6) - 60 * 10**6
        for metric in ("max_bps", "is_available"):
            series = wait_for(lambda: self.data(start, object_type="link", metric=metric), 20, f"link {metric}")
            self.assertEqual(len(series), 1)
            validate("data", series[0])
            self.assertEqual(series[0]["subject"], link["href"])
            self.assertEqual(series[0]["units"], "bps" if metric == "max_bps" else "boolean")

    def vlan_tag(self, name):
        """The VLAN tag of the slice's link, from its manifest (the vlantag attribute)."""
        answer = self.am.proxy().Describe([slice_urn(name)], self.am.v3_credentials(name),
                                          {"geni_rspec_version": RSPEC_VERSION})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))
        manifest = ET.fromstring(answer["value"]["geni_rspec"])
        return int(manifest.find(f"{{{GENI3_NS}}}link").get("vlantag"))

    def test_data_series_validate_and_filter_by_time(self):
        start = int(time.time() * 1e6)
        wait_for(lambda: [len(d["tsdata"]) >= 2 for d in self.data(start)] == [True, True], 20, "two samples per host")
        series = self.data(start)
        for doc in series:
            validate("data", doc)
            self.assertTrue(all(start <= point["ts"] for point in doc["tsdata"]))
        self.assertEqual(self.data(start, object_type="aggregate", metric="num_vms_allocated")[0]["units"], "count")
        self.assertEqual(self.data(int(time.time() * 1e6) + 10**9), [])

    def data(self, gte, object_type="node", metric="is_available"):
        query = {"filters": {"eventType": [f"ops_monitoring:{metric}"], "ts": {"gte": gte, "lte": gte + 10**9},
                             "obj": {"type": object_type, "id": ["*"]}}}
        status, series = self.get("/data/?q=" + urllib.parse.quote(json.dumps(query)))
        self.assertEqual(status, 200, series)
        return series

    def test_the_validator_refuses_broken_documents(self):
        status, aggregate = self.get("/info/aggregate/am1")
        broken = dict(aggregate, surprise=1)
        self.assertTrue(list(validator("aggregate").iter_errors(broken)))
        del broken["surprise"], broken["measRef"]
        self.assertTrue(list(validator("aggregate").iter_errors(broken)))

    def test_collectors_are_whitelisted_and_errors_are_json(self):
        status, error = self.get("/info/aggregate/am1", identity=self.outsider)
        self.assertEqual(status, 403)
        validate("error", error)
        self.assertIn("whitelist", error["error_message"])
        status, error = self.get("/info/node/am1_node_nosuch")
        self.assertEqual(status, 404)
        validate("error", error)
        status, error = self.get("/data/?q=nonsense")
        self.assertEqual(status, 400)

    def test_prometheus_metrics(self):
        status, text = self.get("/metrics")
        self.assertEqual(status, 200)
        self.assertRegex(text, r'federa_is_available\{object_type="aggregate",object_id="am1"\} 1\n')
        self.assertIn("# TYPE federa_slivers gauge", text)

    def test_whohad_before_during_and_after_a_slivers_life(self):
        before = utc_now()
        time.sleep(1.1)
        self.allocate("whoslice")
        tag = self.vlan_tag("whoslice")
        time.sleep(1.1)
        during = utc_now()
        time.sleep(1.1)
        self.assertEqual(geni_code(self.am.proxy().Delete([slice_urn("whoslice")], self.am.v3_credentials("whoslice"), {})), 0)
        time.sleep(1.1)
        after = utc_now()
        holders = self.whohad(tag, during)
        self.assertEqual(len(holders), 1, holders)
        self.assertEqual(holders[0]["slice_urn"], slice_urn("whoslice"))
        self.assertEqual(holders[0]["users"], [self.am.experimenter_urn])
        self.assertIsNotNone(holders[0]["until"])
        self.assertEqual(self.whohad(tag, before), [])
        self.assertEqual(self.whohad(tag, after), [])
        text = run_federa("admin", "whohad", "--vlan", str(tag), "--at", rfc3339(during), "--config", self.am.config,
                          data_dir=self.am.data_dir).stdout
        self.assertIn(slice_urn("whoslice"), text)
        refused = run_federa("admin", "whohad", "--vlan", "7", "--at", "yesterday", "--config", self.am.config,
                             data_dir=self.am.data_dir, check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("is not a time", refused.stderr)

    def whohad(self, tag, moment):
        out = run_federa("admin", "whohad", "--vlan", str(tag), "--at", rfc3339(moment), "--json", "--config",
                         self.am.config, data_dir=self.am.data_dir).stdout
        return json.loads(out)


if __name__ == "__main__":
    unittest.main()
