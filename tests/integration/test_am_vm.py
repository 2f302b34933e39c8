"""The AM on real QEMU VMs (issue 7), as root: two TCG guests (the busybox test guest of
tests/vm) on one host-local slice link, provisioned through the AM API. The test logs in with
ssh exactly where the manifest's <login> says, with the key the Provision call gave, reaches the
guests over their link from the host (an address on the link's bridge), stops and starts one
through PerformOperationalAction, and checks that Delete leaves no domain or device."""

import os
import socket
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from backend_sites import PrivateNetwork, bridge_name, node_name, run, short_hash
from harness import AggregateManager, GENI3_NS, RSPEC_VERSION, slice_urn, wait_for_state

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOST = "urn:publicid:IDN+federa.local+node+vmhost"


def request():
    nodes = ""
    for client, address in (("vm1", "10.79.0.1"), ("vm2", "10.79.0.2")):
        nodes += (f'<node client_id="{client}" component_id="{HOST}" exclusive="false">'
                  f'<sliver_type name="default-vm"><disk_image name="busybox"/></sliver_type>'
                  f'<interface client_id="{client}:if0"><ip address="{address}" netmask="255.255.255.0"/></interface>'
                  f'</node>')
    return (f'<rspec xmlns="{GENI3_NS}" type="request">{nodes}<link client_id="lan">'
            f'<interface_ref client_id="vm1:if0"/><interface_ref client_id="vm2:if0"/></link></rspec>')


def ping(address):
    return run("ping", "-c", "1", "-W", "1", address, check=False).returncode == 0


def wait_ping(address, timeout=60):
    deadline = time.monotonic() + timeout
    while not ping(address):
        if time.monotonic() > deadline:
            return False
    return True


def counter(address):
    """The test guest's counter (TCP 7001, one more every second)."""
    with socket.create_connection((address, 7001), timeout=10) as conn:
        return int(conn.makefile().read().strip())


class QemuBackendTest(unittest.TestCase):
    def setUp(self):
        self.network = PrivateNetwork("vm")  # the AM's "host namespace" is this test's own
        self.tmp = tempfile.TemporaryDirectory(prefix="federa-vm-it-")
        guest = os.path.join(self.tmp.name, "guest")
        run(os.path.join(SOURCE, "tests", "vm", "build_guest.sh"), guest)
        config = (f'[images.busybox]\nkernel = "{guest}/vmlinuz"\ninitrd = "{guest}/initrd.gz"\n'
                  f'cmdline = "console=ttyS0 quiet panic=-1 federa_counter"\n[backend]\ndefault_image = "busybox"\n')
        inventory = ('[[site]]\nname = "local"\nauthority = "federa.local"\n[site.switch]\nvlans = "100-199"\n'
                     f'[[site.host]]\nname = "vmhost"\nbackend = "qemu:///embed?root={self.tmp.name}/embed"\n'
                     'vcpus = 4\nmemory_mb = 4096\ndisk_gb = 10\nslots = 4\nsliver_types = ["default-vm"]\n')
        self.am = AggregateManager(config, inventory=inventory).start()
        self.key = os.path.join(self.tmp.name, "id_ed25519")
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.key)
        with open(self.key + ".pub") as f:
            self.public_key = f.read().strip()

    def ssh(self, login, command):
        host, port, user = login
        return run("ssh", "-i", self.key, "-p", port, "-o", "StrictHostKeyChecking=no", "-o",
                   "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                   f"{user}@{host}", command, check=False, timeout=60)

    def tearDown(self):
        self.am.close()
        for pid in run("pgrep", "-f", "qemu-system", check=False).stdout.split():  # VMs outlive the AM
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if self.tmp.name.encode() in f.read():
                    os.kill(int(pid), 9)
        self.network.leave()
        logs = os.path.join(self.tmp.name, "embed", "log", "qemu")
        for name in (os.listdir(logs) if os.path.isdir(logs) else []):  # for a failure's report
            with open(os.path.join(logs, name)) as f:
                print(f"--- {name}\n" + "".join(f.readlines()[-15:]))
        self.tmp.cleanup()

    def test_vms_boot_with_the_users_keys_and_follow_actions(self):
        v3, name = self.am.proxy(), f"vm{os.getpid()}"
        urn, creds = slice_urn(name), self.am.v3_credentials(name)
        answer = v3.Allocate(urn, creds, request(), {})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        users = [{"urn": self.am.experimenter_urn, "keys": [self.public_key]}]
        answer = v3.Provision([urn], creds, {"geni_rspec_version": RSPEC_VERSION, "geni_users": users})
        self.assertEqual(answer["code"]["geni_code"], 0, answer["output"])
        wait_for_state(v3, [urn], creds, "geni_ready", timeout=120)
        bridge = bridge_name(urn, "lan", HOST)
        run("ip", "addr", "add", "10.79.0.254/24", "dev", bridge)
        # over the slice link: both guests answer and hold the key Provision gave
        self.assertTrue(wait_ping("10.79.0.1") and wait_ping("10.79.0.2"))
        with socket.create_connection(("10.79.0.1", 7000), timeout=10) as conn:
            self.assertIn(self.public_key, conn.makefile().read())
        manifest = ET.fromstring(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION})
                                 ["value"]["geni_rspec"])
        logins = {n.get("client_id"): (l.get("hostname"), l.get("port"), l.get("username"))
                  for n in manifest.iter(f"{{{GENI3_NS}}}node") for l in n.iter(f"{{{GENI3_NS}}}login")}
        self.assertEqual(set(logins), {"vm1", "vm2"})
        self.assertEqual(logins["vm1"][0], "127.0.0.1")
        self.assertNotEqual(logins["vm1"][1], logins["vm2"][1])
        # log in where the manifest says, as the user, with the key: a shell on the right node
        for client in ("vm1", "vm2"):
            deadline = time.monotonic() + 60
            while (result := self.ssh(logins[client], "hostname; id -un")).returncode != 0:
                self.assertLess(time.monotonic(), deadline, f"{result.returncode} {result.stdout} {result.stderr}")
                time.sleep(1)
            self.assertEqual(result.stdout.split(), [node_name(urn, client), "alice"])
        # a key Provision did not give is refused
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.key + "-other")
        other = run("ssh", "-i", self.key + "-other", "-p", logins["vm1"][1], "-o", "StrictHostKeyChecking=no",
                    "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                    "alice@127.0.0.1", "true", check=False, timeout=60)
        self.assertNotEqual(other.returncode, 0)
        # a consistent snapshot of the running slice, then back to it: the guest's counter goes back
        before = counter("10.79.0.1")
        acted = v3.PerformOperationalAction([urn], creds, "federa_snapshot", {})
        self.assertEqual(acted["code"]["geni_code"], 0, acted["output"])
        self.assertEqual({s["geni_operational_status"] for s in acted["value"]}, {"geni_ready_busy"})
        done = wait_for_state(v3, [urn], creds, "geni_ready", timeout=120)
        self.assertTrue(all(s["federa_progress"].startswith("live snapshot ") for s in done["geni_slivers"]), done)
        described = ET.fromstring(v3.Describe([urn], creds, {"geni_rspec_version": RSPEC_VERSION})["value"]["geni_rspec"])
        snapshots = [e.get("id") for e in described.iter("{urn:federa:rspec:snapshot:1}snapshot")]
        self.assertEqual(len(snapshots), 1)
        self.assertEqual(next(described.iter("{urn:federa:rspec:snapshot:1}snapshot")).get("mode"), "live")
        time.sleep(3)
        later = counter("10.79.0.1")
        self.assertGreater(later, before + 1)
        acted = v3.PerformOperationalAction([urn], creds, "federa_restore", {"federa_snapshot_id": snapshots[0]})
        self.assertEqual(acted["code"]["geni_code"], 0, acted["output"])
        wait_for_state(v3, [urn], creds, "geni_ready", timeout=120)
        self.assertLess(counter("10.79.0.1"), later)
        self.assertTrue(wait_ping("10.79.0.2"))
        # stop and start one VM through the AM API
        vm1 = next(s["geni_sliver_urn"] for s in answer["value"]["geni_slivers"]
                   if s["geni_sliver_urn"] in {n.get("sliver_id") for n in manifest.iter(f"{{{GENI3_NS}}}node")
                                               if n.get("client_id") == "vm1"})
        stopped = v3.PerformOperationalAction([vm1], creds, "geni_stop", {})
        self.assertEqual(stopped["value"][0]["geni_operational_status"], "geni_stopping")
        wait_for_state(v3, [vm1], creds, "geni_notready")
        self.assertFalse(ping("10.79.0.1"))
        self.assertTrue(ping("10.79.0.2"))
        v3.PerformOperationalAction([vm1], creds, "geni_start", {})
        wait_for_state(v3, [vm1], creds, "geni_ready", timeout=120)
        self.assertTrue(wait_ping("10.79.0.1"))
        # Delete: domains, overlays, taps and the bridge go
        self.assertEqual(v3.Delete([urn], creds, {})["code"]["geni_code"], 0)
        ours = {bridge, f"fdt-{short_hash(urn, 'lan', 'vm1')}", f"fdt-{short_hash(urn, 'lan', 'vm2')}"}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            present = set(run("ip", "-o", "link", "show").stdout.replace("@", ": ").split(": "))
            if not ours & present:
                break
            time.sleep(0.2)
        self.assertFalse(ours & present)
        state_files = os.listdir(os.path.join(self.am.data_dir, "backend"))
        self.assertFalse([f for f in state_files if node_name(urn, "vm1") in f])
        # and so do the slice's snapshots (a memory image per node)
        snapshots_dir = os.path.join(self.am.data_dir, "backend", "snapshots")
        deadline = time.monotonic() + 30
        while os.listdir(snapshots_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(os.listdir(snapshots_dir), [])


if __name__ == "__main__":
    unittest.main()
