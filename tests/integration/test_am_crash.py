"""kill -9 of `federa am` (SQLite store) while clients allocate, provision and delete at full
speed, then a restart on the same data directory: the database is consistent (every reservation
has its sliver, every sliver its slice and exactly the reservations its placement needs), Status
agrees with the database, and after deleting the survivors the whole capacity can be allocated
again: nothing leaked."""

import json
import os
import sqlite3
import threading
import time
import unittest
import xmlrpc.client

from harness import (RSPEC_VERSION, AggregateManager, geni_code, host_urn, inventory_toml, link_xml, node_xml,
                     request_rspec, slice_urn)

HOSTS, SLOTS, TAGS = 4, 4, 8
CLIENTS = 8
INVENTORY = inventory_toml(hosts=HOSTS, slots=SLOTS, vlans=f"100-{100 + TAGS - 1}")


def pair(prefix, first, second):
    """Nodes on host<first> and host<second> joined by a link: two slots and one VLAN tag."""
    return [node_xml(f"{prefix}a", component_id=host_urn(f"host{first}"), interfaces=[f"{prefix}a:if0"]),
            node_xml(f"{prefix}b", component_id=host_urn(f"host{second}"), interfaces=[f"{prefix}b:if0"]),
            link_xml(f"{prefix}l", f"{prefix}a:if0", f"{prefix}b:if0")]


def expected_units(kind, placement):
    """The reservations a sliver must hold, from its placement (store/slice_store.cpp)."""
    placement = json.loads(placement)
    if kind == "node":
        return {"host:" + placement["host"]} if placement["demand"]["exclusive"] else set()
    return {f"vlan:{hop['urn']}:{hop['tag']}" for hop in placement["hops"] if "tag" in hop}


class KillDuringAllocateTest(unittest.TestCase):
    def setUp(self):
        self.am = AggregateManager(inventory=INVENTORY, backend="sqlite")
        self.names = [f"crash{i}" for i in range(CLIENTS)]
        for name in self.names:
            self.am.slice_credential(name)
        self.am.start()

    def tearDown(self):
        self.am.close()

    def churn(self, index, stop, calls):
        """Allocate, Provision, Delete in a loop on one slice, until the server dies."""
        name = self.names[index]
        urn, creds = slice_urn(name), self.am.v3_credentials(name)
        proxy = self.am.proxy()
        request = request_rspec(*pair(name, index % HOSTS + 1, (index + 1) % HOSTS + 1))
        try:
            while not stop.is_set():
                calls[index] += 1
                if geni_code(proxy.Allocate(urn, creds, request, {})) == 0:
                    proxy.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION})
                    if calls[index] % 3:
                        proxy.Delete([urn], creds, {})
                else:
                    proxy.Delete([urn], creds, {})
        except (OSError, xmlrpc.client.ProtocolError):
            pass  # the server was killed under us

    def database(self):
        connection = sqlite3.connect(os.path.join(self.am.data_dir, "am.db"))
        self.addCleanup(connection.close)
        return connection

    def check_consistent(self, db):
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        self.assertEqual(db.execute("PRAGMA foreign_key_check").fetchall(), [])
        orphans = db.execute("SELECT resource FROM reservations WHERE sliver_urn NOT IN (SELECT urn FROM slivers)")
        self.assertEqual(orphans.fetchall(), [])
        homeless = db.execute("SELECT urn FROM slivers WHERE slice_urn NOT IN (SELECT urn FROM slices)")
        self.assertEqual(homeless.fetchall(), [])
        held = {}
        for resource, sliver in db.execute("SELECT resource, sliver_urn FROM reservations"):
            held.setdefault(sliver, set()).add(resource)
        for urn, kind, placement in db.execute("SELECT urn, kind, placement FROM slivers"):
            self.assertEqual(held.pop(urn, set()), expected_units(kind, placement), urn)
        self.assertEqual(held, {})
        for host, count in db.execute("SELECT component_id, count(*) FROM slivers WHERE kind = 'node' "
                                      "GROUP BY component_id"):
            self.assertLessEqual(count, SLOTS, host)
        # every slice's slivers: one per node and link of its request, never half of an Allocate
        for slice_urn_, count in db.execute("SELECT slice_urn, count(*) FROM slivers GROUP BY slice_urn"):
            self.assertEqual(count, 3, slice_urn_)

    def test_state_is_consistent_and_nothing_leaks_after_kill_9(self):
        stop, calls = threading.Event(), [0] * CLIENTS
        threads = [threading.Thread(target=self.churn, args=(i, stop, calls)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while sum(calls) < 4 * CLIENTS and time.monotonic() < deadline:
            time.sleep(0.05)
        self.am.kill()
        stop.set()
        for thread in threads:
            thread.join(30)
        self.assertGreaterEqual(sum(calls), 4 * CLIENTS, "the clients barely got going")

        self.am.start()
        db = self.database()
        self.check_consistent(db)
        # Status agrees with the database, slice by slice
        v3 = self.am.proxy()
        for name in self.names:
            urn = slice_urn(name)
            rows = {r[0] for r in db.execute("SELECT urn FROM slivers WHERE slice_urn = ?", (urn,))}
            answer = v3.Status([urn], self.am.v3_credentials(name), {})
            if geni_code(answer) == 12:
                self.assertEqual(rows, set())
                continue
            self.assertEqual(geni_code(answer), 0, answer)
            self.assertEqual({s["geni_sliver_urn"] for s in answer["value"]["geni_slivers"]}, rows)
            self.assertEqual(geni_code(v3.Delete([urn], self.am.v3_credentials(name), {})), 0)
        self.assertEqual(db.execute("SELECT count(*) FROM slivers").fetchone(), (0,))
        self.assertEqual(db.execute("SELECT count(*) FROM reservations").fetchone(), (0,))
        # the whole substrate is free: every slot and every tag in one Allocate
        everything = []
        for i in range(TAGS):
            everything += pair(f"all{i}-", i % HOSTS + 1, (i + 1) % HOSTS + 1)
        self.assertEqual(2 * TAGS, HOSTS * SLOTS)
        answer = v3.Allocate(slice_urn(self.names[0]), self.am.v3_credentials(self.names[0]),
                             request_rspec(*everything), {})
        self.assertEqual(geni_code(answer), 0, answer)
        self.assertEqual(len(answer["value"]["geni_slivers"]), 3 * TAGS)
        self.check_consistent_full(db)

    def check_consistent_full(self, db):
        self.assertEqual(db.execute("SELECT count(*) FROM reservations").fetchone(), (TAGS,))
        for host, count in db.execute("SELECT component_id, count(*) FROM slivers WHERE kind = 'node' "
                                      "GROUP BY component_id"):
            self.assertEqual(count, SLOTS, host)


if __name__ == "__main__":
    unittest.main()
