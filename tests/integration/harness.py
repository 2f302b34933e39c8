"""Starting real federa processes for integration tests, and clients that talk to them as omni
does: Python's own xmlrpc.client over ssl with a client certificate (an implementation
independent of federa's). Every process runs on an ephemeral port on 127.0.0.1."""

import itertools
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import warnings
import xmlrpc.client

warnings.simplefilter("ignore", ResourceWarning)  # xmlrpc.client leaves its sockets to the GC

FEDERA = os.environ.get("FEDERA_BIN", "federa")


GENI3_NS = "http://www.geni.net/resources/rspec/3"
RSPEC_VERSION = {"type": "GENI", "version": "3"}
AUTHORITY = "federa.local"


def run_federa(*args, data_dir, check=True):
    env = dict(os.environ, FEDERA_DATA_DIR=data_dir)
    return subprocess.run([FEDERA, *args], env=env, check=check, capture_output=True, text=True)


class Identity:
    """A certificate chain and key, as omni's cert= and key= settings."""

    def __init__(self, cert, key):
        self.cert, self.key = cert, key

    def context(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # omni does not check the aggregate's certificate
        if self.cert:
            ctx.load_cert_chain(self.cert, self.key)
        return ctx


class OneCallTransport(xmlrpc.client.SafeTransport):
    """One TLS connection per call, closed after the answer, as omni does (and no unclosed sockets
    left to the garbage collector)."""

    def single_request(self, *args, **kwargs):
        try:
            return super().single_request(*args, **kwargs)
        finally:
            self.close()


class AggregateManager:
    """A `federa am` process on its own data directory with the local CA and one experimenter.

    inventory: TOML text of the inventory (docs/inventory.md); None = the embedded default.
    backend: "sqlite" or "postgresql" for its fresh database (TestDatabase); None = as the
    environment says (FEDERA_TEST_STORE).
    peer: another AggregateManager whose data directory, CA, experimenter and database this one
    shares (a second process of one aggregate, as in a scale-out); it gets its own log and config.
    """

    _names = itertools.count(1)

    def __init__(self, config_text="", experimenter="alice", inventory=None, backend=None, peer=None):
        self.peer = peer
        self.name = "am" if peer is None else f"am-{next(self._names)}"
        if peer is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="federa-it-")
            self.data_dir = self.tmp.name
            run_federa("ca", "experimenter", experimenter, "--email", f"{experimenter}@example.org",
                       data_dir=self.data_dir)
            exp_dir = os.path.join(self.data_dir, "experimenters", experimenter)
            self.experimenter = Identity(os.path.join(exp_dir, f"{experimenter}-cert.pem"),
                                         os.path.join(exp_dir, f"{experimenter}-key.pem"))
            self.experimenter_urn = f"urn:publicid:IDN+{AUTHORITY}+user+{experimenter}"
            self.database = TestDatabase(backend)
            self.credentials = {}
        else:
            self.tmp, self.database = None, peer.database
            for name in ("data_dir", "experimenter", "experimenter_urn", "credentials"):
                setattr(self, name, getattr(peer, name))
        self.config = os.path.join(self.data_dir, f"{self.name}.toml")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.inventory = None
        if inventory is not None:
            self.inventory = os.path.join(self.data_dir, f"{self.name}-inventory.toml")
            with open(self.inventory, "w") as f:
                f.write(inventory)
        self.log_path = os.path.join(self.data_dir, f"{self.name}.log")
        self.process = None
        self.port = None

    def command(self):
        command = [FEDERA, "am", "--config", self.config, "--port", "0"]
        if self.database.uri:
            command += ["--db", self.database.uri]
        if self.inventory:
            command += ["--inventory", self.inventory]
        return command

    def start(self, timeout=20):
        started_at = len(self.read_log()) if os.path.exists(self.log_path) else 0  # a restart appends
        self.log = open(self.log_path, "a")
        env = dict(os.environ, FEDERA_DATA_DIR=self.data_dir)
        self.process = subprocess.Popen(self.command(), env=env, stderr=self.log, stdout=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"event=listening url=https://127\.0\.0\.1:(\d+)/", self.read_log()[started_at:])
            if match:
                self.port = int(match.group(1))
                return self
            if self.process.poll() is not None:
                raise RuntimeError("federa am exited: " + self.read_log())
            time.sleep(0.05)
        raise RuntimeError("federa am did not start: " + self.read_log())

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def url(self, path="/am/3.0"):
        return f"https://127.0.0.1:{self.port}{path}"

    def proxy(self, path="/am/3.0", identity=None):
        identity = identity or self.experimenter
        return xmlrpc.client.ServerProxy(self.url(path), transport=OneCallTransport(context=identity.context()))

    def tls_socket(self, identity=None):
        identity = identity or self.experimenter
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return identity.context().wrap_socket(raw)

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def signal(self, signum):
        self.process.send_signal(signum)

    def kill(self):
        """kill -9: no drain, no cleanup, whatever the process was doing."""
        self.process.kill()
        self.process.wait()
        self.log.close()

    def stop(self, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and not self.log.closed:
            self.log.close()
        return self.process.returncode if self.process else None

    def close(self):
        self.stop()
        if self.peer is None:
            self.database.close()
            self.tmp.cleanup()

    def add_experimenter(self, name):
        """Another experimenter of the local CA; returns its Identity."""
        run_federa("ca", "experimenter", name, "--email", f"{name}@example.org", data_dir=self.data_dir)
        exp_dir = os.path.join(self.data_dir, "experimenters", name)
        return Identity(os.path.join(exp_dir, f"{name}-cert.pem"), os.path.join(exp_dir, f"{name}-key.pem"))

    def slice_credential(self, slice_name, privileges="*", expires="1d", owner=None):
        """The XML of a slice credential signed by the local CA (`federa cred issue`), owned by the
        experimenter unless `owner` (an Identity) is given. expires: a duration (1d, 2h) or an
        RFC 3339 time, e.g. one in the past. Issued once per argument set."""
        owner = owner or self.experimenter
        key = (slice_name, privileges, expires, owner.cert)
        if key not in self.credentials:
            ca = os.path.join(self.data_dir, "ca")
            path = os.path.join(self.data_dir, f"cred-{secrets.token_hex(6)}.xml")
            run_federa("cred", "issue", "--signer-cert", f"{ca}/ca-cert.pem", "--signer-key", f"{ca}/ca-key.pem",
                       "--owner-cert", owner.cert, "--target-urn", slice_urn(slice_name), "--privileges",
                       privileges, "--expires", expires, "-o", path, data_dir=self.data_dir)
            with open(path) as f:
                self.credentials[key] = f.read()
        return self.credentials[key]

    def v3_credentials(self, slice_name, **kwargs):
        """The `credentials` argument of an AM API v3 call on the slice: [{geni_type, ...}]."""
        return [geni_sfa(self.slice_credential(slice_name, **kwargs))]


class TestDatabase:
    """The store of one test aggregate. Backend "postgresql" (default: $FEDERA_TEST_STORE): a fresh
    schema on the server at FEDERA_TEST_PG_URI (ctest's "postgresql" fixture), dropped on close;
    "sqlite": the AM's default file in its data directory (uri None)."""

    def __init__(self, backend=None):
        self.uri, self.schema = None, None
        if (backend or os.environ.get("FEDERA_TEST_STORE", "sqlite")) != "postgresql":
            return
        self.base = os.environ.get("FEDERA_TEST_PG_URI")
        if not self.base:
            raise RuntimeError("FEDERA_TEST_STORE=postgresql needs FEDERA_TEST_PG_URI (run through ctest, or "
                               "start a server with tests/pg/start.sh DIR PORT and export its URI)")
        self.schema = "it_" + secrets.token_hex(8)
        self.psql(f"CREATE SCHEMA {self.schema}")
        self.uri = f"{self.base}?options=-csearch_path%3D{self.schema}"

    def psql(self, sql):
        """Runs SQL (in this database's schema) with psql; returns the rows as lists of strings."""
        if self.schema:
            sql = f"SET search_path TO {self.schema}; {sql}"
        out = subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", self.base, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def close(self):
        if self.schema:
            self.psql(f"DROP SCHEMA {self.schema} CASCADE")


def slice_urn(name):
    return f"urn:publicid:IDN+{AUTHORITY}+slice+{name}"


def host_urn(name):
    return f"urn:publicid:IDN+{AUTHORITY}+node+{name}"


def geni_sfa(xml):
    return {"geni_type": "geni_sfa", "geni_version": "3", "geni_value": xml}


def node_xml(client_id, sliver_type="default-vm", component_id=None, interfaces=(), exclusive=False):
    """A request <node>; interfaces are client_ids of its interfaces."""
    bound = f' component_id="{component_id}"' if component_id else ""
    inner = f'<sliver_type name="{sliver_type}"/>' + "".join(f'<interface client_id="{i}"/>' for i in interfaces)
    return f'<node client_id="{client_id}" exclusive="{str(exclusive).lower()}"{bound}>{inner}</node>'


def link_xml(client_id, *interface_ids):
    refs = "".join(f'<interface_ref client_id="{i}"/>' for i in interface_ids)
    return f'<link client_id="{client_id}">{refs}</link>'


def request_rspec(*elements, namespace=GENI3_NS):
    return f'<rspec xmlns="{namespace}" type="request">{"".join(elements)}</rspec>'


def inventory_toml(hosts, slots=1, vlans="100-999", sliver_types=("default-vm", "raw-pc")):
    """One site "local" (authority federa.local) with `hosts` hosts host1.. of `slots` slots each."""
    text = f'[[site]]\nname = "local"\nauthority = "{AUTHORITY}"\n[site.switch]\nvlans = "{vlans}"\n'
    types = ", ".join(f'"{t}"' for t in sliver_types)
    for i in range(1, hosts + 1):
        text += (f'[[site.host]]\nname = "host{i}"\nbackend = "test:///default"\nvcpus = 64\nmemory_mb = 65536\n'
                 f'disk_gb = 1000\nslots = {slots}\nsliver_types = [{types}]\n')
    return text


def wait_for_state(proxy, urns, credentials, state, timeout=60):
    """Polls Status until every sliver named has operational `state` (the backend worker works
    asynchronously); returns the last Status value. Fails on geni_failed or after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        answer = proxy.Status(urns, credentials, {})
        if answer["code"]["geni_code"] != 0:
            raise AssertionError(f"Status failed: {answer.get('output')}")
        slivers = answer["value"]["geni_slivers"]
        states = {s["geni_operational_status"] for s in slivers}
        if states == {state}:
            return answer["value"]
        if "geni_failed" in states and state != "geni_failed":
            raise AssertionError(f"a sliver failed: {[(s['geni_sliver_urn'], s['geni_error']) for s in slivers]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"slivers still {states} after {timeout} s, not {state}: {slivers}")
        time.sleep(0.1)


def geni_code(answer):
    return answer["code"]["geni_code"]


def post(am, body, path="/am/3.0", identity=None, version="1.1", headers=None):
    """Sends one raw HTTP request over TLS; returns (status, headers text, body bytes)."""
    sock = am.tls_socket(identity)
    try:
        head = f"POST {path} HTTP/{version}\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        try:
            sock.sendall(head.encode() + b"\r\n" + body)
        except (ssl.SSLError, BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything (e.g. 413)
        return read_response(sock)
    finally:
        sock.close()


def read_response(sock):
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            break
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, head.decode(errors="replace"), body


class AggregateTestCase(unittest.TestCase):
    """A test class sharing one `federa am` started with CONFIG (TOML text)."""

    CONFIG = ""
    INVENTORY = None  # TOML text; None = the embedded default inventory

    @classmethod
    def setUpClass(cls):
        cls.am = AggregateManager(cls.CONFIG, inventory=cls.INVENTORY).start()

    @classmethod
    def tearDownClass(cls):
        cls.am.close()
