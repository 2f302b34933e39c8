"""Two `federa am` processes of one aggregate on one PostgreSQL, many concurrent clients
allocating the same scarce resources (host slots, VLAN tags): every unit is held by at most one
slice, the capacity is neither over- nor under-booked, and every loser gets a clean refusal
(never a fault, a server or a database error). Needs FEDERA_TEST_PG_URI (ctest fixture
"postgresql")."""

import os
import threading
import unittest
import xml.etree.ElementTree as ET
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

from harness import (AUTHORITY, GENI3_NS, AggregateManager, geni_code, host_urn, link_xml, node_xml,
                     request_rspec, slice_urn)

CLIENTS = 16
REFUSALS = {24, 26, 14}  # VLAN_UNAVAILABLE, INSUFFICIENT_NODES, BUSY
# host1 and host2 have room for every client; host3's two slots and the switch's four tags are scarce.
INVENTORY = f"""
[[site]]
name = "local"
authority = "{AUTHORITY}"
[site.switch]
vlans = "100-103"
""" + "".join(f"""
[[site.host]]
name = "host{i}"
backend = "test:///default"
vcpus = 64
memory_mb = 65536
disk_gb = 1000
slots = {slots}
sliver_types = ["default-vm"]
""" for i, slots in ((1, CLIENTS), (2, CLIENTS), (3, 2)))


def pinned_node(name):
    return request_rspec(node_xml(f"{name}-n", component_id=host_urn("host3")))


def linked_pair(name):
    return request_rspec(node_xml(f"{name}-a", component_id=host_urn("host1"), interfaces=[f"{name}-a:if0"]),
                         node_xml(f"{name}-b", component_id=host_urn("host2"), interfaces=[f"{name}-b:if0"]),
                         link_xml(f"{name}-link", f"{name}-a:if0", f"{name}-b:if0"))


@unittest.skipUnless(os.environ.get("FEDERA_TEST_PG_URI"), "needs PostgreSQL: run it through ctest")
class TwoProcessesOnePostgresqlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.first = AggregateManager(inventory=INVENTORY, backend="postgresql")
        cls.second = AggregateManager(inventory=INVENTORY, peer=cls.first)
        cls.first.start()
        cls.second.start()
        names = [f"{prefix}{i}" for prefix in ("slot", "vlan") for i in range(CLIENTS)] + ["slotlate", "vlanlate"]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(cls.first.slice_credential, names))

    @classmethod
    def tearDownClass(cls):
        cls.second.close()
        cls.first.close()

    def race(self, prefix, request_of):
        """CLIENTS threads, alternating between the two processes, Allocate at once; returns
        {slice name: answer}."""
        barrier = threading.Barrier(CLIENTS)
        answers = {}

        def client(i):
            name = f"{prefix}{i}"
            am = (self.first, self.second)[i % 2]
            proxy = am.proxy()
            barrier.wait()
            try:
                answers[name] = proxy.Allocate(slice_urn(name), am.v3_credentials(name), request_of(name), {})
            except (xmlrpc.client.Fault, OSError, xmlrpc.client.ProtocolError) as error:
                answers[name] = error

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(len(answers), CLIENTS)
        for name, answer in answers.items():
            self.assertIsInstance(answer, dict, f"{name}: {answer!r}")
            self.assertIn(geni_code(answer), {0} | REFUSALS, f"{name}: {answer}")
            if geni_code(answer):
                self.assertTrue(answer["output"])
        return answers

    def fill_sequentially(self, name, request_of):
        """Allocates to slice `name` through each process in turn until refused; returns how many won."""
        won = 0
        for i in range(CLIENTS):
            am = (self.first, self.second)[i % 2]
            answer = am.proxy().Allocate(slice_urn(name), am.v3_credentials(name), request_of(f"{name}{i}"), {})
            if geni_code(answer) != 0:
                self.assertIn(geni_code(answer), REFUSALS - {14}, answer)
                return won
            won += 1
        return won

    def delete_all(self, names):
        for name in names:
            answer = self.first.proxy().Delete([slice_urn(name)], self.first.v3_credentials(name), {})
            self.assertIn(geni_code(answer), {0, 12}, answer)

    def manifests(self, names):
        """The manifest <node>s and <link>s of each slice, read through the second process."""
        nodes, links = [], []
        for name in names:
            answer = self.second.proxy().Describe([slice_urn(name)], self.second.v3_credentials(name),
                                                  {"geni_rspec_version": {"type": "GENI", "version": "3"}})
            self.assertEqual(geni_code(answer), 0, answer)
            root = ET.fromstring(answer["value"]["geni_rspec"])
            nodes += root.findall(f"{{{GENI3_NS}}}node")
            links += root.findall(f"{{{GENI3_NS}}}link")
        return nodes, links

    def test_host_slots_are_never_overbooked(self):
        answers = self.race("slot", pinned_node)
        winners = [name for name, answer in answers.items() if geni_code(answer) == 0]
        self.assertLessEqual(len(winners), 2)
        for name, answer in answers.items():
            if geni_code(answer) == 26:
                self.assertIn(f"{name}-n", answer["output"])
        nodes, _ = self.manifests(winners)
        self.assertEqual([n.get("component_id") for n in nodes], [host_urn("host3")] * len(winners))
        rows = self.first.database.psql("SELECT component_id, count(*) FROM slivers GROUP BY component_id")
        self.assertEqual(rows, [[host_urn("host3"), str(len(winners))]] if winners else [])
        # whatever the race left free can still be had, and no more
        late = self.fill_sequentially("slotlate", pinned_node)
        self.assertEqual(len(winners) + late, 2)
        self.delete_all(winners + ["slotlate"])
        self.assertEqual(self.first.database.psql("SELECT count(*) FROM slivers"), [["0"]])

    def test_vlan_tags_are_never_double_booked(self):
        answers = self.race("vlan", linked_pair)
        winners = [name for name, answer in answers.items() if geni_code(answer) == 0]
        self.assertLessEqual(len(winners), 4)
        _, links = self.manifests(winners)
        tags = [link.get("vlantag") for link in links]
        self.assertEqual(len(tags), len(winners))
        self.assertEqual(len(set(tags)), len(tags), f"a VLAN tag held twice: {tags}")
        self.assertTrue(set(tags) <= {"100", "101", "102", "103"}, tags)
        rows = self.first.database.psql("SELECT resource, sliver_urn FROM reservations WHERE resource LIKE 'vlan:%'")
        self.assertEqual(len(rows), len(winners))
        late = self.fill_sequentially("vlanlate", linked_pair)
        self.assertEqual(len(winners) + late, 4)
        self.delete_all(winners + ["vlanlate"])
        self.assertEqual(self.first.database.psql("SELECT count(*) FROM reservations"), [["0"]])


if __name__ == "__main__":
    unittest.main()
