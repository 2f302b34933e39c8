"""End to end with real processes: two `federa am` (one federation CA) push to one `federa gmoc`;
a slice on both aggregates shows on the dashboard, rendered by a real headless Chromium (Debian's
chromium, driven over the DevTools protocol; screenshots go to $FEDERA_TEST_ARTIFACTS, default
/tmp/federa-test-artifacts); the dashboard's emergency-stop button calls Shutdown on both aggregates with the
operator's credential, each answers, later calls on the slice are refused, and the audit log
records who did what, when, with what result."""

import os
import shutil
import unittest

from harness import geni_code, node_xml, request_rspec, slice_urn
from test_gmoc_cdp import Browser
from test_gmoc_harness import TOKEN, Gmoc, free_port, pair_request, start_aggregate, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = os.environ.get("FEDERA_TEST_ARTIFACTS", "/tmp/federa-test-artifacts")
SLICE = slice_urn("fedslice")
REFUSED = 7


class FederationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        push = f'[push]\nurl = "https://127.0.0.1:{port}"\ninterval = 0.5\nretry_max = 0.5\n'
        cls.am1 = start_aggregate("am1", ops_extra=push)
        cls.am2 = start_aggregate("am2", ops_extra=push, peer_ca=cls.am1)
        cls.gmoc = Gmoc(cls.am1, port=port).start()
        os.makedirs(ARTIFACTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.gmoc.close()
        cls.am2.close()
        cls.am1.close()

    def allocate(self, am, client_id):
        answer = am.proxy().Allocate(SLICE, self.am1.v3_credentials("fedslice"), request_rspec(node_xml(client_id)), {})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))

    def slice_row(self):
        status, slices = self.gmoc.api("/api/slices")
        return next((s for s in slices if s["urn"] == SLICE), None)

    def test_a_slice_on_two_aggregates_is_seen_stopped_everywhere_and_audited(self):
        self.allocate(self.am1, "n1")
        self.allocate(self.am2, "n2")
        linked = self.am1.proxy().Allocate(slice_urn("fedlink"), self.am1.v3_credentials("fedlink"), pair_request("l"), {})
        self.assertEqual(geni_code(linked), 0, linked.get("output"))
        row = wait_for(lambda: (r := self.slice_row()) and len(r["aggregates"]) == 2 and r, 30, "slice on both")
        self.assertEqual(sorted(a["id"] for a in row["aggregates"]), ["am1", "am2"])
        wait_for(lambda: all(a["health"] == "up" for a in self.gmoc.api("/api/aggregates")[1]), 30, "health probes")

        status, refused = self.gmoc.api("/api/stop", {"slice_urn": SLICE})
        self.assertEqual(status, 200)
        self.assertTrue(all(not a["stopped"] for a in refused["aggregates"]))
        self.assertIn("no operator credential", refused["aggregates"][0]["output"])
        self.gmoc.add_credential("fedslice", self.am1.slice_credential("fedslice", owner=self.gmoc.identity))

        browser = Browser(CHROMIUM)
        try:
            browser.navigate(f"http://127.0.0.1:{self.gmoc.dashboard_port}/#token={TOKEN}")
            browser.wait_for("document.body !== null && document.body.dataset.loaded === 'true'")
            rows = browser.evaluate("[...document.querySelectorAll('#aggregates tbody tr')].map(r => r.dataset.aggregate + ' ' + r.cells[1].textContent)")
            self.assertEqual(rows, ["am1 up", "am2 up"])
            row = f"document.querySelector('#slices tr[data-slice=\\'{SLICE}\\']')"
            self.assertEqual(browser.evaluate(f"{row}.cells[1].textContent"), "am1, am2")
            # Per-node and per-link graphs: the link sliver's allocated bandwidth as a drawn series.
            self.assertGreater(browser.evaluate("document.querySelectorAll('#graphs .node-graph svg').length"), 0)
            link_graph = ("[...document.querySelectorAll('#graphs .link-graph')].find(g => "
                          "g.dataset.link.startsWith('am1_link_sliver-'))")
            browser.wait_for(f"(g => g && g.querySelector('svg polyline').getAttribute('points').split(' ').length >= 2)"
                             f"({link_graph})", timeout=30)
            self.assertIn("allocated bit/s", browser.evaluate(f"{link_graph}.querySelector('figcaption').textContent"))
            browser.screenshot(os.path.join(ARTIFACTS, "gmoc-dashboard-before-stop.png"))
            browser.evaluate(f"window.confirm = () => true; {row}.querySelector('button.stop').click(); true")
            browser.wait_for("document.getElementById('stop-result').dataset.done === 'true'", timeout=60)
            result = browser.evaluate("document.getElementById('stop-result').textContent")
            self.assertIn("am1: stopped (geni_code 0)", result)
            self.assertIn("am2: stopped (geni_code 0)", result)
            browser.wait_for(f"{row}.cells[3].textContent === 'shut down at am1, am2'", timeout=30)
            browser.wait_for("document.querySelector('#audit tbody').textContent.includes('noc-alice')")
            browser.screenshot(os.path.join(ARTIFACTS, "gmoc-dashboard-after-stop.png"))
        finally:
            browser.close()
        self.assertGreater(os.path.getsize(os.path.join(ARTIFACTS, "gmoc-dashboard-after-stop.png")), 10_000)

        for am in (self.am1, self.am2):
            later = am.proxy().Describe([SLICE], self.am1.v3_credentials("fedslice"), {"geni_rspec_version": {"type": "GENI", "version": "3"}})
            self.assertEqual(geni_code(later), REFUSED, later.get("output"))
            self.assertIn("shut down", later["output"])

        status, audit = self.gmoc.api("/api/audit")
        self.assertEqual([(e["operator"], e["action"], e["target"]) for e in audit],
                         [("noc-alice", "emergency_stop", SLICE)] * 2)
        self.assertEqual([r["stopped"] for r in audit[0]["result"]], [True, True])
        self.assertEqual([r["stopped"] for r in audit[1]["result"]], [False, False])
        self.assertIn("event=emergency_stop operator=noc-alice", self.gmoc.read_log())


if __name__ == "__main__":
    unittest.main()
