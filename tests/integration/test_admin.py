"""`federa admin` on the store of a running `federa am`: an operator's emergency stop takes
effect on the next call, is listed, and can be cleared."""

import os
import signal
import time
import unittest
import xml.etree.ElementTree as ET

from harness import (AggregateTestCase, geni_code, host_urn, inventory_toml, node_xml, request_rspec,
                     run_federa)

NS = {"r": "http://www.geni.net/resources/rspec/3"}

RSPEC = """<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">
  <node client_id="n1"><sliver_type name="default-vm"/></node>
</rspec>"""
SLICE = "urn:publicid:IDN+federa.local+slice+adminslice"
GENI3 = {"geni_rspec_version": {"type": "GENI", "version": "3"}}


class AdminTest(AggregateTestCase):
    def slice_credential(self):
        out = os.path.join(self.am.data_dir, "admin-slice.xml")
        ca = os.path.join(self.am.data_dir, "ca")
        run_federa("cred", "issue", "--signer-cert", f"{ca}/ca-cert.pem", "--signer-key", f"{ca}/ca-key.pem",
                   "--owner-cert", self.am.experimenter.cert, "--target-urn", SLICE, "--privileges", "*",
                   "--expires", "1d", "-o", out, data_dir=self.am.data_dir)
        with open(out) as f:
            return [{"geni_type": "geni_sfa", "geni_version": "3", "geni_value": f.read()}]

    def admin(self, *args):
        return run_federa("admin", *args, "--config", self.am.config, data_dir=self.am.data_dir).stdout

    def test_shutdown_listed_refused_and_cleared(self):
        credentials = self.slice_credential()
        am = self.am.proxy()
        self.assertEqual(am.Allocate(SLICE, credentials, RSPEC, {})["code"]["geni_code"], 0)
        self.assertIn("slivers stopped and kept", self.admin("shutdown", SLICE))
        self.assertIn(SLICE + "  expires=", self.admin("slices", "--shutdown"))
        refused = am.Status([SLICE], credentials, {})
        self.assertEqual(refused["code"]["geni_code"], 7)
        self.assertIn("shut down", refused["output"])
        self.admin("clear-shutdown", SLICE)
        self.assertNotIn(SLICE, self.admin("slices", "--shutdown"))
        status = am.Status([SLICE], credentials, {})
        self.assertEqual(status["code"]["geni_code"], 0)
        self.assertEqual(len(status["value"]["geni_slivers"]), 1)

    def test_unknown_slice_is_an_error(self):
        result = run_federa("admin", "shutdown", "urn:publicid:IDN+federa.local+slice+ghost", "--config",
                            self.am.config, data_dir=self.am.data_dir, check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no slice", result.stderr)


if __name__ == "__main__":
    unittest.main()


class InventoryOperationsTest(AggregateTestCase):
    """Draining a host through `federa admin` and reloading the inventory with SIGHUP, on a running
    aggregate with one site of two one-slot hosts."""

    INVENTORY = inventory_toml(2)

    def advertised(self):
        answer = self.am.proxy().ListResources([], GENI3)
        root = ET.fromstring(answer["value"])
        return {n.get("component_name"): n.find("r:available", NS).get("now")
                for n in root.findall("r:node", NS)}

    def admin(self, *args):
        return run_federa("admin", *args, "--config", self.am.config, "--inventory", self.am.inventory,
                          data_dir=self.am.data_dir).stdout

    def test_a_drained_host_is_advertised_unavailable_and_gets_no_slivers(self):
        name = "drain"
        slice_urn = f"urn:publicid:IDN+federa.local+slice+{name}"
        credentials = self.am.v3_credentials(name)
        self.admin("drain", host_urn("host1"))
        self.assertIn(host_urn("host1"), self.admin("drained"))
        self.assertEqual(self.advertised(), {"host1": "false", "host2": "true"})
        bound = request_rspec(node_xml("b", component_id=host_urn("host1")))
        refused = self.am.proxy().Allocate(slice_urn, credentials, bound, {})
        self.assertEqual(geni_code(refused), 26)
        self.assertIn("'b'", refused["output"])
        self.admin("undrain", host_urn("host1"))
        placed = self.am.proxy().Allocate(slice_urn, credentials, bound, {})
        self.assertEqual(geni_code(placed), 0, placed["output"])
        self.am.proxy().Delete([slice_urn], credentials, {})

    def test_sighup_reloads_the_inventory_and_keeps_it_when_the_file_is_bad(self):
        with open(self.am.inventory, "w") as f:
            f.write(inventory_toml(3))
        self.reload()
        self.assertEqual(set(self.advertised()), {"host1", "host2", "host3"})
        with open(self.am.inventory, "w") as f:
            f.write("[[site]]\nname = 5\n")
        self.reload("event=inventory_reload_failed")
        self.assertEqual(set(self.advertised()), {"host1", "host2", "host3"})
        with open(self.am.inventory, "w") as f:
            f.write(inventory_toml(2))
        self.reload()

    def reload(self, event="event=inventory_reloaded"):
        before = self.am.read_log().count(event)
        self.am.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while self.am.read_log().count(event) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertGreater(self.am.read_log().count(event), before)
