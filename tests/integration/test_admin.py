"""`federa admin` on the store of a running `federa am`: an operator's emergency stop takes
effect on the next call, is listed, and can be cleared."""

import os
import subprocess
import unittest

from harness import AggregateTestCase, run_federa

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
