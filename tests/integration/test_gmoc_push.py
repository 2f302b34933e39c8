"""Push with a spool: a real `federa am` pushes reports to a collector port where nothing
listens; they wait in its on-disk spool; once `federa gmoc` starts on that port every report
arrives exactly once and in order, and the spool drains."""

import glob
import os
import time
import unittest

from harness import geni_code, inventory_toml, slice_urn
from test_gmoc_harness import Gmoc, free_port, pair_request, start_aggregate, wait_for


class PushTest(unittest.TestCase):
    def test_reports_wait_while_the_collector_is_down_then_arrive_once_in_order(self):
        port = free_port()
        am = start_aggregate("pusher", inventory=inventory_toml(2),
                             ops_extra=f'[push]\nurl = "https://127.0.0.1:{port}"\ninterval = 0.3\nretry_max = 0.5\n')
        gmoc = Gmoc(am, port=port)
        try:
            spool = os.path.join(am.data_dir, "gmoc-spool")
            answer = am.proxy().Allocate(slice_urn("pushslice"), am.v3_credentials("pushslice"), pair_request("p"), {})
            self.assertEqual(geni_code(answer), 0, answer.get("output"))
            wait_for(lambda: len(glob.glob(os.path.join(spool, "[0-9]*.json"))) >= 5, 30, "five spooled reports")
            self.assertIn("event=push_deferred", am.read_log())

            gmoc.start()
            wait_for(lambda: gmoc.api("/api/aggregates")[1] and gmoc.api("/api/aggregates")[1][0]["last_seq"] >= 8,
                     30, "the spooled reports and some more")
            am.stop()  # no new reports: the spool drains to empty
            time.sleep(0.5)
            status, reports = gmoc.api("/api/reports?aggregate=pusher")
            self.assertEqual(status, 200)
            seqs = [r["seq"] for r in reports]
            self.assertEqual(seqs, list(range(1, len(seqs) + 1)), "every report once, in order")
            self.assertEqual(glob.glob(os.path.join(spool, "[0-9]*.json")), [])
            received = [r["received_at"] for r in reports]
            self.assertEqual(received, sorted(received))

            status, slices = gmoc.api("/api/slices")
            self.assertEqual([s["urn"] for s in slices], [slice_urn("pushslice")])
            self.assertEqual(len(slices[0]["aggregates"][0]["slivers"]), 3)
            status, events = gmoc.api("/api/events")
            self.assertEqual(sorted(e["kind"] for e in events), ["allocated"] * 3)
        finally:
            gmoc.close()
            am.close()

    def test_the_dashboard_api_wants_an_operator_token(self):
        am = start_aggregate("lonely")
        gmoc = Gmoc(am).start()
        try:
            status, answer = gmoc.api("/api/aggregates", token="wrong-token")
            self.assertEqual(status, 401)
            self.assertIn("Bearer", answer["error"])
        finally:
            gmoc.close()
            am.close()


if __name__ == "__main__":
    unittest.main()
