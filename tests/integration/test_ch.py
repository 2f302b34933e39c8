"""The clearinghouse (`federa ch`, Common Federation API v2) as omni's chapi framework calls it:
Python's own xmlrpc.client over TLS with client certificates, against a real `federa ch` process
with members created by its operator commands."""

import datetime
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import unittest
import xmlrpc.client

from harness import FEDERA, Identity, run_federa, wait_for_state

POLICY = """
[policy]
slice_default_days = 2
slice_max_days = 10
"""

SLICE_PRIVILEGES = ("refresh", "embed", "bind", "control", "info")


def utc_in(days):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clearinghouse:
    """A `federa ch` process on its own data directory (local CA, SQLite)."""

    def __init__(self, config_text):
        self.tmp = tempfile.TemporaryDirectory(prefix="federa-ch-it-")
        self.data_dir = self.tmp.name
        self.config = os.path.join(self.data_dir, "ch.toml")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.log_path = os.path.join(self.data_dir, "ch.log")
        self.process = None

    def admin(self, *args, check=True):
        return run_federa("ch", "--config", self.config, *args, data_dir=self.data_dir, check=check)

    def member(self, name, *options):
        self.admin("member", "create", name, "--email", f"{name}@example.org", *options)
        folder = os.path.join(self.data_dir, "experimenters", name)
        return Identity(os.path.join(folder, f"{name}-cert.pem"), os.path.join(folder, f"{name}-key.pem"))

    def start(self, timeout=20):
        self.log = open(self.log_path, "a")
        env = dict(os.environ, FEDERA_DATA_DIR=self.data_dir)
        self.process = subprocess.Popen([FEDERA, "ch", "--config", self.config, "--port", "0"], env=env,
                                        stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as f:
                match = re.search(r"event=listening url=https://127\.0\.0\.1:(\d+)/", f.read())
            if match:
                self.port = int(match.group(1))
                return self
            if self.process.poll() is not None:
                raise RuntimeError("federa ch exited: " + open(self.log_path).read())
            time.sleep(0.05)
        raise RuntimeError("federa ch did not start")

    def proxy(self, identity, path="/"):
        return xmlrpc.client.ServerProxy(f"https://127.0.0.1:{self.port}{path}", context=identity.context())

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)
            self.log.close()
        self.tmp.cleanup()


class ClearinghouseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ch = Clearinghouse(POLICY + """
[[aggregates]]
urn = "urn:publicid:IDN+federa.local+authority+am"
url = "https://127.0.0.1:8001/am/3.0"
name = "federa"
""")
        cls.alice = cls.ch.member("alice")
        cls.bob = cls.ch.member("bob")
        cls.ch.start()
        cls.sa = cls.ch.proxy(cls.alice, "/SA")

    @classmethod
    def tearDownClass(cls):
        cls.ch.close()

    def ok(self, answer):
        self.assertEqual(answer["code"], 0, answer["output"])
        return answer["value"]

    def create_slice(self, name, identity=None):
        sa = self.ch.proxy(identity or self.alice, "/SA")
        return self.ok(sa.create("SLICE", [], {"fields": {"SLICE_NAME": name}}))["SLICE_URN"]

    def test_registry_lists_authorities_aggregates_and_trust_roots(self):
        reg = self.ch.proxy(self.bob, "/")
        version = self.ok(reg.get_version())
        self.assertEqual(version["VERSION"], "2")
        sas = self.ok(reg.lookup("SERVICE", [], {"match": {"SERVICE_TYPE": "SLICE_AUTHORITY"},
                                                 "filter": ["SERVICE_URN", "SERVICE_URL"]}))
        self.assertEqual(sas, [{"SERVICE_URN": "urn:publicid:IDN+federa.local+authority+sa",
                                "SERVICE_URL": f"https://127.0.0.1:{self.ch.port}/SA"}])
        aggregates = self.ok(self.ch.proxy(self.bob, "/CH").lookup_aggregates({}))
        self.assertEqual([a["SERVICE_URL"] for a in aggregates], ["https://127.0.0.1:8001/am/3.0"])
        self.assertEqual(aggregates[0]["_GENI_SERVICE_ATTRIBUTES"], {"AM_API_VERSION": "3"})
        roots = self.ok(reg.get_trust_roots())
        with open(os.path.join(self.ch.data_dir, "ca", "ca-cert.pem")) as f:
            self.assertIn(f.read(), roots)

    def test_member_creates_slice_and_gets_its_credential(self):
        urn = self.create_slice("demo")
        self.assertEqual(urn, "urn:publicid:IDN+federa.local+slice+demo")
        creds = self.ok(self.sa.get_credentials(urn, [], {"match": {"SLICE_URN": urn, "SLICE_EXPIRED": "f"}}))
        self.assertEqual(creds[0]["geni_type"], "geni_sfa")
        self.assertEqual(creds[0]["geni_version"], "3")
        xml = creds[0]["geni_value"]
        self.assertIn(f"<target_urn>{urn}</target_urn>", xml)
        self.assertIn("<owner_urn>urn:publicid:IDN+federa.local+user+alice</owner_urn>", xml)
        for privilege in SLICE_PRIVILEGES:
            self.assertIn(f"<name>{privilege}</name>", xml)
        found = self.ok(self.sa.lookup_slices([], {"match": {"SLICE_URN": urn, "SLICE_EXPIRED": "f"},
                                                   "filter": ["SLICE_URN", "SLICE_EXPIRATION"]}))
        self.assertEqual(list(found[urn].keys()), ["SLICE_EXPIRATION", "SLICE_URN"])
        mine = self.ok(self.sa.lookup_for_member("SLICE", "urn:publicid:IDN+federa.local+user+alice", [], {}))
        self.assertIn({"SLICE_URN": urn, "SLICE_ROLE": "LEAD", "EXPIRED": False}, mine)

    def test_duplicate_slice_is_refused_as_omni_expects(self):
        self.create_slice("twice")
        answer = self.sa.create_slice([], {"fields": {"SLICE_NAME": "twice"}})
        self.assertEqual(answer["code"], 5)
        self.assertTrue(answer["output"].startswith("[DUPLICATE] DUPLICATE_ERROR"))

    def test_non_member_cannot_get_the_slice_credential_until_added(self):
        urn = self.create_slice("private")
        bob_sa = self.ch.proxy(self.bob, "/SA")
        answer = bob_sa.get_credentials(urn, [], {})
        self.assertEqual(answer["code"], 2)
        self.assertIn("not a member of slice", answer["output"])
        self.ok(self.sa.modify_membership("SLICE", urn, [], {"members_to_add": [
            {"SLICE_MEMBER": "urn:publicid:IDN+federa.local+user+bob", "SLICE_ROLE": "MEMBER"}]}))
        self.assertEqual(len(self.ok(bob_sa.get_credentials(urn, [], {}))), 1)
        members = self.ok(self.sa.lookup_members("SLICE", urn, [], {}))
        self.assertEqual(sorted(m["SLICE_ROLE"] for m in members), ["LEAD", "MEMBER"])

    def test_renewal_within_policy_only(self):
        urn = self.create_slice("renew")
        answer = self.sa.update("SLICE", urn, [], {"fields": {"SLICE_EXPIRATION": utc_in(30)}})
        self.assertEqual(answer["code"], 3)
        self.assertIn("beyond policy", answer["output"])
        wanted = utc_in(5)
        self.ok(self.sa.update_slice(urn, [], {"fields": {"SLICE_EXPIRATION": wanted}}))
        found = self.ok(self.sa.lookup("SLICE", [], {"match": {"SLICE_URN": urn}}))
        self.assertEqual(found[urn]["SLICE_EXPIRATION"], wanted)

    def test_member_authority_keys_and_user_credential(self):
        ma = self.ch.proxy(self.alice, "/MA")
        alice = "urn:publicid:IDN+federa.local+user+alice"
        self.ok(ma.create("KEY", [], {"fields": {"KEY_MEMBER": alice, "KEY_PUBLIC": "ssh-ed25519 AAAAC3 alice@it"}}))
        keys = self.ok(self.ch.proxy(self.bob, "/MA").lookup_keys([], {"match": {"KEY_MEMBER": alice}}))
        self.assertEqual(keys[alice][0]["KEY_PUBLIC"], "ssh-ed25519 AAAAC3 alice@it")
        public = self.ok(ma.lookup_public_member_info([], {"match": {"MEMBER_URN": alice}}))
        self.assertEqual(public[alice]["MEMBER_USERNAME"], "alice")
        user_cred = self.ok(ma.get_credentials(alice, [], {}))
        self.assertIn(f"<owner_urn>{alice}</owner_urn>", user_cred[0]["geni_value"])

    def test_untrusted_caller_is_refused_at_the_handshake(self):
        out = os.path.join(self.ch.data_dir, "rogue")
        run_federa("ca", "issue", "--urn", "urn:publicid:IDN+federa.local+user+alice", "--out-dir", out,
                   "--name", "rogue", data_dir=self.ch.data_dir)
        rogue = Identity(os.path.join(out, "rogue-cert.pem"), os.path.join(out, "rogue-key.pem"))
        with self.assertRaises((ssl.SSLError, ConnectionError, OSError)):
            self.ch.proxy(rogue, "/SA").lookup_slices([], {})

    def test_revoked_member_is_refused(self):
        mallory = self.ch.member("mallory")
        sa = self.ch.proxy(mallory, "/SA")
        self.ok(sa.lookup_slices([], {}))
        self.ch.admin("member", "revoke", "mallory")
        answer = self.ch.proxy(mallory, "/SA").lookup_slices([], {})
        self.assertEqual(answer["code"], 1)
        self.assertIn("revoked", answer["output"])
        crl = os.path.join(self.ch.data_dir, "ca", "crl.pem")
        with open(crl) as f:
            self.assertIn("BEGIN X509 CRL", f.read())

    def test_operator_lists_slices(self):
        urn = self.create_slice("listed")
        listing = self.ch.admin("slice", "list").stdout
        self.assertIn(urn, listing)
        self.assertIn("owner urn:publicid:IDN+federa.local+user+alice", listing)


class ProjectsTest(unittest.TestCase):
    """A federation whose slices belong to projects, as omni's chapi framework assumes by default."""

    @classmethod
    def setUpClass(cls):
        cls.ch = Clearinghouse(POLICY + "require_project = true\n")
        cls.carol = cls.ch.member("carol")
        cls.dave = cls.ch.member("dave")
        cls.ch.admin("project", "create", "physics", "--lead", "carol")
        cls.ch.admin("project", "add-member", "physics", "dave", "--role", "AUDITOR")
        cls.ch.start()

    @classmethod
    def tearDownClass(cls):
        cls.ch.close()

    def test_slices_are_named_under_their_project(self):
        sa = self.ch.proxy(self.carol, "/SA")
        project = "urn:publicid:IDN+federa.local+project+physics"
        answer = sa.create("SLICE", [], {"fields": {"SLICE_NAME": "exp1", "SLICE_PROJECT_URN": project}})
        self.assertEqual(answer["code"], 0, answer["output"])
        self.assertEqual(answer["value"]["SLICE_URN"], "urn:publicid:IDN+federa.local:physics+slice+exp1")
        self.assertEqual(sa.create("SLICE", [], {"fields": {"SLICE_NAME": "exp2"}})["code"], 3)
        auditor = self.ch.proxy(self.dave, "/SA").create(
            "SLICE", [], {"fields": {"SLICE_NAME": "exp3", "SLICE_PROJECT_URN": project}})
        self.assertEqual(auditor["code"], 2)
        projects = sa.lookup_for_member("PROJECT", "urn:publicid:IDN+federa.local+user+carol", [], {})["value"]
        self.assertEqual(projects, [{"PROJECT_URN": project, "PROJECT_ROLE": "LEAD", "EXPIRED": False}])


if __name__ == "__main__":
    unittest.main()


class FederationCase(unittest.TestCase):
    """A federation from nothing: `federa ch` and `federa am` on one data directory (so the
    aggregate trusts the clearinghouse's CA), members alice and carol."""

    REQUEST = """<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">
  <node client_id="n1"><sliver_type name="default-vm"/><interface client_id="n1:if0"/></node>
  <node client_id="n2"><sliver_type name="default-vm"/><interface client_id="n2:if0"/></node>
  <link client_id="l"><interface_ref client_id="n1:if0"/><interface_ref client_id="n2:if0"/></link>
</rspec>"""
    GENI3 = {"geni_rspec_version": {"type": "GENI", "version": "3"}}

    @classmethod
    def setUpClass(cls):
        cls.ch = Clearinghouse(POLICY)
        cls.alice = cls.ch.member("alice")
        cls.carol = cls.ch.member("carol")
        cls.ch.start()
        cls.am_log = open(os.path.join(cls.ch.data_dir, "am.log"), "a")
        env = dict(os.environ, FEDERA_DATA_DIR=cls.ch.data_dir)
        cls.am = subprocess.Popen([FEDERA, "am", "--port", "0"], env=env, stdout=cls.am_log, stderr=cls.am_log)
        deadline = time.monotonic() + 20
        cls.am_port = None
        while cls.am_port is None and time.monotonic() < deadline:
            with open(cls.am_log.name) as f:
                match = re.search(r"event=listening url=https://127\.0\.0\.1:(\d+)/", f.read())
            cls.am_port = int(match.group(1)) if match else None
            time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.am.send_signal(signal.SIGTERM)
        cls.am.wait(30)
        cls.am_log.close()
        cls.ch.close()

    def aggregate(self, identity):
        return xmlrpc.client.ServerProxy(f"https://127.0.0.1:{self.am_port}/am/3.0", context=identity.context())

    def code(self, answer):
        return answer["code"]["geni_code"]


class FederationTest(FederationCase):
    """A member gets a slice and its credential from the slice authority and runs the whole AM API
    v3 lifecycle with it at the aggregate."""

    def test_slice_credential_from_the_clearinghouse_runs_the_lifecycle(self):
        sa = self.ch.proxy(self.alice, "/SA")
        slice_urn = sa.create("SLICE", [], {"fields": {"SLICE_NAME": "fedlife"}})["value"]["SLICE_URN"]
        credentials = sa.get_credentials(slice_urn, [], {})["value"]
        am = self.aggregate(self.alice)
        allocated = am.Allocate(slice_urn, credentials, self.REQUEST, {})
        self.assertEqual(self.code(allocated), 0, allocated["output"])
        self.assertEqual(len(allocated["value"]["geni_slivers"]), 3)
        self.assertEqual(self.code(am.Provision([slice_urn], credentials, self.GENI3)), 0)
        started = am.PerformOperationalAction([slice_urn], credentials, "geni_start", {})
        self.assertEqual(self.code(started), 0, started["output"])
        wait_for_state(am, [slice_urn], credentials, "geni_ready")
        status = am.Status([slice_urn], credentials, {})
        self.assertEqual(status["value"]["geni_urn"], slice_urn)
        described = am.Describe([slice_urn], credentials, self.GENI3)
        self.assertIn('client_id="n2"', described["value"]["geni_rspec"])
        deleted = am.Delete([slice_urn], credentials, {})
        self.assertEqual({s["geni_allocation_status"] for s in deleted["value"]}, {"geni_unallocated"})

    def test_a_member_outside_the_slice_cannot_use_the_leads_credential(self):
        sa = self.ch.proxy(self.alice, "/SA")
        slice_urn = sa.create("SLICE", [], {"fields": {"SLICE_NAME": "fedother"}})["value"]["SLICE_URN"]
        credentials = sa.get_credentials(slice_urn, [], {})["value"]
        refused = self.aggregate(self.carol).Allocate(slice_urn, credentials, self.REQUEST, {})
        self.assertEqual(self.code(refused), 22)  # the credential is alice's, the caller is carol
        own = self.ch.proxy(self.carol, "/SA").get_credentials(slice_urn, [], {})
        self.assertNotEqual(own["code"], 0)  # carol is not a member of the slice


class RevocationAtTheAggregateTest(FederationCase):
    """The clearinghouse's CRL, put into the aggregate's trust roots, makes the aggregate refuse a
    revoked member at the TLS handshake, while other members of the same authority go on."""

    def test_a_revoked_member_is_refused_by_the_aggregate_once_it_has_the_crl(self):
        dave = self.ch.member("dave")
        self.assertEqual(self.aggregate(dave).GetVersion()["code"]["geni_code"], 0)
        self.ch.admin("member", "revoke", "dave")
        shutil.copy(os.path.join(self.ch.data_dir, "ca", "crl.pem"),
                    os.path.join(self.ch.data_dir, "trusted_roots", "federa-local-crl.pem"))
        self.am.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "event=tls_reloaded" not in open(self.am_log.name).read() and time.monotonic() < deadline:
            time.sleep(0.05)
        with self.assertRaises((ssl.SSLError, ConnectionResetError, BrokenPipeError, xmlrpc.client.ProtocolError)):
            self.aggregate(dave).GetVersion()
        self.assertEqual(self.aggregate(self.alice).GetVersion()["code"]["geni_code"], 0)
