"""Polling: a real `federa am` that does not push, and a `federa gmoc` configured with its AM URL;
the collector reads the aggregate's datastore (/info/aggregate, nodes, links, slivers, /data/
since the last poll) over TLS with its certificate, and the slice, its slivers, the topology and
the time series show up through polling alone, each sample once. An aggregate whose datastore
does not answer is logged and does not stop the polls of the others."""

import re
import unittest

from harness import geni_code, inventory_toml, slice_urn
from test_gmoc_harness import Gmoc, pair_request, start_aggregate, wait_for

SLICE = slice_urn("pollslice")


class PollTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.am = start_aggregate("polled", inventory=inventory_toml(2))  # no [push]
        base = f"https://127.0.0.1:{cls.am.port}"
        cls.gmoc = Gmoc(cls.am, aggregates=[("polled", base), ("ghost", base)]).start()

    @classmethod
    def tearDownClass(cls):
        cls.gmoc.close()
        cls.am.close()

    def aggregate(self, am_id):
        return next(a for a in self.gmoc.api("/api/aggregates")[1] if a["id"] == am_id)

    def test_a_slice_shows_up_through_polling_alone(self):
        answer = self.am.proxy().Allocate(SLICE, self.am.v3_credentials("pollslice"), pair_request("q"), {})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))

        def polled_slice():
            status, slices = self.gmoc.api("/api/slices")
            row = next((s for s in slices if s["urn"] == SLICE), None)
            return row if row and len(row["aggregates"][0]["slivers"]) == 3 else None

        row = wait_for(polled_slice, 30, "the slice through polling")
        self.assertEqual(row["aggregates"][0]["id"], "polled")
        self.assertEqual(sorted(s["kind"] for s in row["aggregates"][0]["slivers"]), ["link", "node", "node"])

        aggregate = self.aggregate("polled")
        self.assertEqual(aggregate["last_seq"], 0, "nothing was pushed")
        self.assertGreater(aggregate["last_poll_at"], 0)
        self.assertEqual(aggregate["urn"], "urn:publicid:IDN+federa.local+authority+am")
        self.assertEqual(sorted(r["name"] for r in aggregate["topology"]["resources"] if r["type"] == "server"),
                         ["host1", "host2"])
        circuit = wait_for(lambda: [c for c in self.aggregate("polled")["topology"]["circuits"]
                                    if c["name"].startswith("sliver-")], 30, "the link sliver's circuit")
        self.assertEqual(sorted(e.split(":")[0] for e in circuit[0]["endpoints"]), ["host1", "host2"])

        # Several polls overlap in time; every sample is stored once.
        wait_for(lambda: self.gmoc.read_log().count("event=poll aggregate=polled") >= 4, 30, "four polls")
        points = wait_for(lambda: [p for p in self.gmoc.api(
            "/api/series?aggregate=polled&object=polled_node_host1&metric=num_vms_allocated")[1]], 30, "samples")
        stamps = [p["ts"] for p in points]
        self.assertEqual(stamps, sorted(set(stamps)), "no sample twice")
        wait_for(lambda: self.gmoc.api("/api/series?aggregate=polled&object=polled_node_host1"
                                       "&metric=num_vms_allocated")[1][-1]["v"] == 1, 30, "the node sliver counted")

        # Deleted at the aggregate: gone from the collector at the next poll.
        answer = self.am.proxy().Delete([SLICE], self.am.v3_credentials("pollslice"), {})
        self.assertEqual(geni_code(answer), 0, answer.get("output"))
        wait_for(lambda: not any(s["urn"] == SLICE for s in self.gmoc.api("/api/slices")[1]), 30, "the slice gone")

    def test_an_aggregate_that_cannot_be_polled_is_logged_and_the_others_go_on(self):
        wait_for(lambda: "event=poll_failed aggregate=ghost" in self.gmoc.read_log(), 30, "the ghost's failure")
        line = re.search(r".*event=poll_failed aggregate=ghost.*", self.gmoc.read_log()).group(0)
        self.assertIn("HTTP 404", line)
        self.assertEqual(self.aggregate("ghost")["last_poll_at"], 0)
        wait_for(lambda: self.aggregate("polled")["last_poll_at"] > 0, 30, "the other aggregate polled")


if __name__ == "__main__":
    unittest.main()
