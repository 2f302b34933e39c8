"""Sites for backend tests: network namespaces this test makes (names unique per process), joined
by a veth "wan", and the names federa gives nodes and devices (federation/backend_names.h), so a
test can look inside a node or check that nothing is left. Needs root (CI runs as root)."""

import os
import subprocess


def run(*argv, check=True, **kwargs):
    return subprocess.run(argv, check=check, capture_output=True, text=True, **kwargs)


def short_hash(*parts):
    """FNV-1a 64 over the parts joined by newlines, first 10 hex digits (backend_names.cpp)."""
    value = 1469598103934665603
    for byte in "\n".join(parts).encode():
        value = ((value ^ byte) * 1099511628211) % (1 << 64)
    return f"{value:016x}"[:10]


def node_name(slice_urn, client_id):
    return f"fd-{short_hash(slice_urn, client_id)}-{client_id}"


def bridge_name(slice_urn, link_id, host_urn):
    return f"fdb-{short_hash(slice_urn, link_id, host_urn)}"


def require_root():
    if os.geteuid() != 0:
        raise RuntimeError("backend tests need root (real network namespaces, bridges, VXLAN)")


class TwoSites:
    """Namespaces <prefix>-a and <prefix>-b with "wan" 10.201.0.1/24 and 10.201.0.2/24."""

    def __init__(self):
        require_root()
        self.prefix = f"fdit{os.getpid()}"
        self.a, self.b = f"{self.prefix}-a", f"{self.prefix}-b"
        for ns in (self.a, self.b):
            run("ip", "netns", "delete", ns, check=False)
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        run("ip", "link", "add", "wan", "netns", self.a, "type", "veth", "peer", "name", "wan", "netns", self.b)
        for ns, address in ((self.a, "10.201.0.1/24"), (self.b, "10.201.0.2/24")):
            run("ip", "-n", ns, "addr", "add", address, "dev", "wan")
            run("ip", "-n", ns, "link", "set", "wan", "up")

    def close(self):
        for ns in (self.a, self.b):
            run("ip", "netns", "delete", ns, check=False)


def federa_devices(netns):
    """Devices named by federa's scheme in `netns`."""
    names = run("ip", "-n", netns, "-o", "link", "show").stdout.split("\n")
    found = []
    for line in names:
        if ": fd" in line:
            found.append(line.split(": ")[1].split("@")[0])
    return found


def federa_tables(netns):
    return [line for line in run("ip", "netns", "exec", netns, "nft", "list", "tables").stdout.splitlines()
            if " fd_" in line]


def namespaces():
    return [line.split()[0] for line in run("ip", "netns", "list").stdout.splitlines() if line.strip()]


def in_netns(netns, *argv, check=True, timeout=30):
    return run("ip", "netns", "exec", netns, *argv, check=check, timeout=timeout)


def ping(netns, address, count=1, wait=1):
    return in_netns(netns, "ping", "-c", str(count), "-W", str(wait), address, check=False).returncode == 0


class PrivateNetwork:
    """Moves this test process (and so every process it starts afterwards: federa am, QEMU, ssh,
    ping) into a network namespace of its own, so devices the AM makes in "its" namespace and
    the ports it forwards never meet another test's; leave() moves back and deletes it."""

    def __init__(self, name):
        import ctypes
        require_root()
        self.name = f"fdit{os.getpid()}-{name}"
        self._libc = ctypes.CDLL(None, use_errno=True)
        run("ip", "netns", "delete", self.name, check=False)
        run("ip", "netns", "add", self.name)
        self._home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self._enter(f"/run/netns/{self.name}")
        run("ip", "link", "set", "lo", "up")

    def _enter(self, path):
        fd = os.open(path, os.O_RDONLY) if isinstance(path, str) else path
        if self._libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(f"setns({path}) failed")

    def leave(self):
        self._enter(self._home)
        os.close(self._home)
        run("ip", "netns", "delete", self.name, check=False)


class SiteDaemon:
    """A libvirtd of its own for one site namespace (federation/site_daemon.h, in Python): its
    own /etc/libvirt, /run/libvirt, ... bind-mounted in a private mount namespace, listening
    for migrations on the site's underlay address. uri for the AM's inventory, peer_uri for
    migration_uri."""

    MOUNTS = (("etc", "/etc/libvirt"), ("run", "/run/libvirt"), ("qemu", "/var/lib/libvirt/qemu"),
              ("cache", "/var/cache/libvirt"), ("log", "/var/log/libvirt"))

    def __init__(self, netns, address, hostname, directory):
        import shutil
        import uuid
        self.netns, self.address, self.dir = netns, address, directory
        shutil.rmtree(directory, ignore_errors=True)
        for name, _ in self.MOUNTS:
            os.makedirs(os.path.join(directory, name), exist_ok=True)
        shutil.copytree("/etc/libvirt", os.path.join(directory, "etc"), dirs_exist_ok=True)
        with open(os.path.join(directory, "etc", "libvirtd.conf"), "a") as f:
            f.write(f'\nhost_uuid = "{uuid.uuid4()}"\nlisten_tls = 0\nlisten_tcp = 1\nauth_tcp = "none"\n'
                    f'listen_addr = "{address}"\nunix_sock_rw_perms = "0700"\n')
        with open(os.path.join(directory, "etc", "qemu.conf"), "a") as f:
            f.write(f'\ncgroup_controllers = [ ]\nmigration_host = "{address}"\nmigration_address = "{address}"\n'
                    'user = "root"\ngroup = "root"\nremember_owner = 0\nsecurity_driver = "none"\n'
                    'stdio_handler = "file"\n')
        script = f"hostname {hostname}\n"
        script += "".join(f"mount --bind {os.path.join(directory, name)} {target}\n" for name, target in self.MOUNTS)
        script += f"exec libvirtd -d --listen --pid-file {os.path.join(directory, 'libvirtd.pid')}\n"
        run("ip", "netns", "exec", netns, "unshare", "-m", "-u", "--propagation", "private", "sh", "-e", "-c", script)
        self.uri = f"qemu:///system?socket={os.path.join(directory, 'run', 'libvirt-sock')}"
        self.peer_uri = f"qemu+tcp://{address}/system"
        import time
        deadline = time.monotonic() + 20
        while run("virsh", "-c", self.uri, "hostname", check=False).returncode != 0:
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the libvirtd of {netns} did not answer on {self.uri}")
            time.sleep(0.1)

    def close(self):
        import shutil
        import signal
        import time
        for name in run("virsh", "-c", self.uri, "list", "--all", "--name", check=False).stdout.split():
            run("virsh", "-c", self.uri, "destroy", name, check=False)
            run("virsh", "-c", self.uri, "undefine", name, check=False)
        try:
            with open(os.path.join(self.dir, "libvirtd.pid")) as f:
                pid = int(f.read().strip())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
                time.sleep(0.05)
            if os.path.exists(f"/proc/{pid}"):
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
