"""The AM on real backends (issue 7): slices of network-namespace nodes on two sites, each site a
namespace this test makes, joined by a veth "wan"; the link across the sites is VXLAN. Checks
traffic across the link (ping and a TCP transfer), isolation from a second slice on the same
hosts, states that follow the nodes, Shutdown (links cut, nodes paused), Delete leaving nothing,
and the startup sweep after a kill -9. Needs root."""

import json
import os
import signal
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from backend_sites import (TwoSites, bridge_name, federa_devices, federa_tables, in_netns, namespaces, node_name,
                           ping, short_hash)
from harness import AggregateManager, GENI3_NS, RSPEC_VERSION, run_federa, slice_urn, wait_for_state

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBackendsTestKey alice@example.org"


def inventory(sites):
    text = ""
    for name, ns, address in (("a", sites.a, "10.201.0.1"), ("b", sites.b, "10.201.0.2")):
        text += (f'[[site]]\nname = "{name}"\nauthority = "{name}.federa.local"\n[site.switch]\nvlans = "100-199"\n'
                 f'[[site.host]]\nname = "h1"\nbackend = "netns:///{ns}"\nvcpus = 8\nmemory_mb = 8192\n'
                 f'disk_gb = 100\nslots = 4\nsliver_types = ["default-vm"]\n'
                 f'[site.host.network]\nnetns = "{ns}"\nunderlay = "wan"\naddress = "{address}"\n')
    return text + '[[link]]\nname = "ab"\nsites = ["a", "b"]\nbandwidth_kbps = 1000000\nvlans = "150-159"\n'


def host(site):
    return f"urn:publicid:IDN+{site}.federa.local+node+h1"


def two_site_request(prefix, address_a="10.0.1.1", address_b="10.0.1.2"):
    nodes = ""
    for client, site, address in ((f"{prefix}1", "a", address_a), (f"{prefix}2", "b", address_b)):
        nodes += (f'<node client_id="{client}" component_id="{host(site)}" exclusive="false">'
                  f'<sliver_type name="default-vm"/><interface client_id="{client}:if0">'
                  f'<ip address="{address}" netmask="255.255.255.0" type="ipv4"/></interface></node>')
    link = (f'<link client_id="{prefix}-lan"><interface_ref client_id="{prefix}1:if0"/>'
            f'<interface_ref client_id="{prefix}2:if0"/></link>')
    return f'<rspec xmlns="{GENI3_NS}" type="request">{nodes}{link}</rspec>'


class NetnsBackendTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sites = TwoSites()
        cls.am = AggregateManager(inventory=inventory(cls.sites)).start()

    @classmethod
    def tearDownClass(cls):
        cls.am.close()
        cls.sites.close()
        for name in namespaces():  # the nodes of a test that failed half-way
            if name.startswith("fd-") and name in cls.nodes:
                subprocess.run(["ip", "netns", "delete", name], check=False)

    nodes = set()

    def provision(self, name, prefix, **addresses):
        name = f"{name}x{os.getpid()}"  # unique per run: node names derive from the slice URN
        v3, urn = self.am.proxy(), slice_urn(name)
        creds = self.am.v3_credentials(name)
        answer = v3.Allocate(urn, creds, two_site_request(prefix, **addresses), {})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        users = [{"urn": self.am.experimenter_urn, "keys": [SSH_KEY]}]
        answer = v3.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION, "geni_users": users})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        self.assertEqual({s["geni_operational_status"] for s in answer["value"]["geni_slivers"]}, {"geni_configuring"})
        self.nodes.update(node_name(urn, f"{prefix}{i}") for i in (1, 2))
        wait_for_state(v3, [urn], creds, "geni_ready")
        return urn, creds

    def delete_and_check_clean(self, urn, creds, prefix):
        answer = self.am.proxy().Delete([urn], creds, {})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        self.wait_clean(urn, prefix)

    def wait_clean(self, urn, prefix, timeout=20):
        """Waits until none of the slice's nodes, devices (by federa's names) or cut tables is left."""
        link, hosts = f"{prefix}-lan", (host("a"), host("b"))
        ours = {node_name(urn, f"{prefix}{i}") for i in (1, 2)}
        ours |= {f"fd{kind}-{short_hash(urn, link, h)}" for kind in "bx" for h in hosts}
        ours |= {f"fdt-{short_hash(urn, link, f'{prefix}{i}')}" for i in (1, 2)}
        ours |= {f"fd_{short_hash('cut', urn, link, h)}" for h in hosts}
        deadline = time.monotonic() + timeout
        while True:
            present = namespaces() + federa_devices(self.sites.a) + federa_devices(self.sites.b)
            present += [t.split()[-1] for t in federa_tables(self.sites.a) + federa_tables(self.sites.b)]
            left = sorted(ours & set(present))
            if not left:
                return
            if time.monotonic() > deadline:
                self.fail(f"left behind after Delete: {left}")
            time.sleep(0.1)

    def test_two_site_slice_carries_traffic_and_is_isolated(self):
        urn, creds = self.provision("netns1", "n")
        n1, n2 = node_name(urn, "n1"), node_name(urn, "n2")
        # the manifest reports the ports the backend made
        manifest = ET.fromstring(self.am.proxy().Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION})
                                 ["value"]["geni_rspec"])
        macs = {i.get("client_id"): i.get("mac_address") for i in manifest.iter(f"{{{GENI3_NS}}}interface")}
        self.assertEqual(set(macs), {"n1:if0", "n2:if0"})
        link = in_netns(n1, "ip", "-o", "link", "show", "eth1").stdout
        self.assertIn(macs["n1:if0"], link)
        # the bridges are in the site namespaces, joined by a VXLAN port
        self.assertIn(bridge_name(urn, "n-lan", host("a")), federa_devices(self.sites.a))
        self.assertTrue(any(d.startswith("fdx-") for d in federa_devices(self.sites.b)))
        # ping and a TCP transfer across the sites
        self.assertTrue(ping(n1, "10.0.1.2", count=3))
        payload = "x" * 200000
        server = subprocess.Popen(
            ["ip", "netns", "exec", n2, "python3", "-c",
             "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
             "s.bind(('10.0.1.2',7001));s.listen(1);c,_=s.accept();n=0\n"
             "while True:\n b=c.recv(65536)\n if not b: break\n n+=len(b)\nprint(n)"],
            stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        in_netns(n1, "python3", "-c", "import socket;s=socket.create_connection(('10.0.1.2',7001),5);"
                 f"s.sendall(b'x'*{len(payload)});s.close()")
        self.assertEqual(server.communicate(timeout=20)[0].strip(), str(len(payload)))
        # a second slice on the same hosts, same addresses: its frames never reach the first one
        urn2, creds2 = self.provision("netns2", "m")
        m1 = node_name(urn2, "m1")
        listener = subprocess.Popen(
            ["ip", "netns", "exec", n2, "python3", "-c",
             "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(('',9999));s.settimeout(3)\n"
             "try:\n print(s.recv(100))\nexcept socket.timeout:\n print('nothing')"],
            stdout=subprocess.PIPE, text=True)
        time.sleep(0.3)
        self.assertTrue(ping(m1, "10.0.1.2"))  # reaches its own m2
        in_netns(m1, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
                 "s.setsockopt(socket.SOL_SOCKET,socket.SO_BROADCAST,1);"
                 "[s.sendto(b'slice2',(a,9999)) for a in ('10.0.1.255','10.0.1.2') for _ in range(5)]")
        self.assertEqual(listener.communicate(timeout=10)[0].strip(), "nothing")
        # Delete the second slice: its devices go, the first slice's stay and still work
        answer = self.am.proxy().Delete([urn2], creds2, {})
        self.assertEqual(answer["code"]["geni_code"], 0)
        deadline = time.monotonic() + 20
        while m1 in namespaces() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertNotIn(m1, namespaces())
        self.assertTrue(ping(n1, "10.0.1.2"))
        self.delete_and_check_clean(urn, creds, "n")

    def test_actions_shutdown_and_states_follow_the_nodes(self):
        v3 = self.am.proxy()
        urn, creds = self.provision("netns3", "s", address_a="10.0.3.1", address_b="10.0.3.2")
        s1 = node_name(urn, "s1")
        self.assertTrue(ping(s1, "10.0.3.2"))
        # the operator can tell who holds the node's address and MAC (binding history)
        mac = in_netns(s1, "cat", "/sys/class/net/eth1/address").stdout.strip()
        moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
        time.sleep(1.5)
        for option, value in (("--ip", "10.0.3.1"), ("--mac", mac)):
            holders = json.loads(run_federa("admin", "whohad", option, value, "--at", moment, "--json", "--config",
                                            self.am.config, "--inventory", self.am.inventory,
                                            data_dir=self.am.data_dir).stdout)
            self.assertEqual([(h["slice_urn"], h["value"]) for h in holders], [(urn, value)], option)
        # geni_stop brings the nodes' ports down and cuts the link; geni_start brings them back
        answer = v3.PerformOperationalAction([urn], creds, "geni_stop", {})
        self.assertEqual({s["geni_operational_status"] for s in answer["value"]}, {"geni_stopping"})
        wait_for_state(v3, [urn], creds, "geni_notready")
        self.assertFalse(ping(s1, "10.0.3.2"))
        self.assertTrue(federa_tables(self.sites.a))
        v3.PerformOperationalAction([urn], creds, "geni_start", {})
        wait_for_state(v3, [urn], creds, "geni_ready")
        self.assertTrue(ping(s1, "10.0.3.2", count=3))
        self.assertFalse(federa_tables(self.sites.a))
        # snapshot (live, the default) and restore through the AM API; refusals name what is wrong
        refused = v3.PerformOperationalAction([urn], creds, "federa_snapshot", {"federa_snapshot_mode": "sideways"})
        self.assertEqual(refused["code"]["geni_code"], 1, refused["output"])
        self.assertIn("federa_snapshot_mode", refused["output"])
        answer = v3.PerformOperationalAction([urn], creds, "federa_snapshot", {})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        done = wait_for_state(v3, [urn], creds, "geni_ready")
        self.assertTrue(all(s["federa_progress"].startswith("live snapshot ") for s in done["geni_slivers"]), done)
        manifest = ET.fromstring(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION})["value"]["geni_rspec"])
        described = next(manifest.iter("{urn:federa:rspec:snapshot:1}snapshot"))
        self.assertEqual(described.get("mode"), "live")
        snapshot_id = described.get("id")
        refused = v3.PerformOperationalAction([urn], creds, "federa_restore", {})
        self.assertEqual(refused["code"]["geni_code"], 1, refused["output"])
        self.assertIn("federa_snapshot_id", refused["output"])
        refused = v3.PerformOperationalAction([urn], creds, "federa_restore", {"federa_snapshot_id": "nope"})
        self.assertEqual(refused["code"]["geni_code"], 12, refused["output"])
        answer = v3.PerformOperationalAction([urn], creds, "federa_restore", {"federa_snapshot_id": snapshot_id})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        done = wait_for_state(v3, [urn], creds, "geni_ready")
        self.assertTrue(all(s["federa_progress"].startswith("restored ") for s in done["geni_slivers"]), done)
        self.assertTrue(ping(s1, "10.0.3.2", count=3))
        # the operator's side: snapshot by the running AM, list, delete
        admin = ("--config", self.am.config, "--inventory", self.am.inventory)
        taken = run_federa("admin", "snapshot", urn, "--mode", "stop-the-world", *admin, data_dir=self.am.data_dir).stdout
        self.assertRegex(taken.splitlines()[-1], r"^stop-the-world snapshot \S+ taken$")  # progress lines may come first
        listed = run_federa("admin", "snapshots", urn, *admin, data_dir=self.am.data_dir).stdout.splitlines()
        self.assertEqual(len(listed), 2)
        self.assertIn(snapshot_id, listed[1])  # newest first
        run_federa("admin", "delete-snapshot", snapshot_id, *admin, data_dir=self.am.data_dir)
        listed = run_federa("admin", "snapshots", urn, *admin, data_dir=self.am.data_dir).stdout.splitlines()
        self.assertEqual(len(listed), 1)
        self.assertNotIn(snapshot_id, listed[0])
        # Shutdown: nodes paused, links cut, kept; the operator clears it and the slice comes back
        shutdown = v3.Shutdown(urn, creds, {})
        self.assertEqual(shutdown["code"]["geni_code"], 0, shutdown["output"])
        deadline = time.monotonic() + 20
        while not federa_tables(self.sites.a) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertTrue(federa_tables(self.sites.a))
        self.assertFalse(ping(s1, "10.0.3.2"))
        self.assertIn(s1, namespaces())  # kept
        run_federa("admin", "clear-shutdown", urn, "--config", self.am.config, "--inventory", self.am.inventory,
                   data_dir=self.am.data_dir)
        wait_for_state(v3, [urn], creds, "geni_ready")
        self.assertTrue(ping(s1, "10.0.3.2", count=3))
        # kill -9, then a stray device and a vanished node: the restarted AM sweeps the one and
        # rebuilds the other
        self.am.signal(signal.SIGKILL)
        self.am.process.wait()
        in_netns(self.sites.a, "ip", "link", "add", "fdb-0123456789", "type", "bridge")
        subprocess.run(["ip", "netns", "delete", s1], check=True)
        self.am.start()
        v3 = self.am.proxy()
        deadline = time.monotonic() + 30
        while (s1 not in namespaces() or "fdb-0123456789" in federa_devices(self.sites.a)) and \
                time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertNotIn("fdb-0123456789", federa_devices(self.sites.a))
        wait_for_state(v3, [urn], creds, "geni_ready")
        self.assertTrue(ping(s1, "10.0.3.2", count=3))
        self.delete_and_check_clean(urn, creds, "s")
        # the deleted slice's remaining snapshot goes with it (its memory images are large)
        deadline = time.monotonic() + 20
        while run_federa("admin", "snapshots", urn, *admin, data_dir=self.am.data_dir).stdout.strip():
            if time.monotonic() > deadline:
                self.fail("the deleted slice's snapshot is still listed")
            time.sleep(0.2)
        self.assertIn("event=snapshot_swept", self.am.read_log())


if __name__ == "__main__":
    unittest.main()
