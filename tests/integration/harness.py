"""Starting real federa processes for integration tests, and clients that talk to them as omni
does: Python's own xmlrpc.client over ssl with a client certificate (an implementation
independent of federa's). Every process runs on an ephemeral port on 127.0.0.1."""

import os
import re
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


class AggregateManager:
    """A `federa am` process on its own data directory with the local CA and one experimenter."""

    def __init__(self, config_text="", experimenter="alice"):
        self.tmp = tempfile.TemporaryDirectory(prefix="federa-it-")
        self.data_dir = self.tmp.name
        run_federa("ca", "experimenter", experimenter, "--email", f"{experimenter}@example.org",
                   data_dir=self.data_dir)
        exp_dir = os.path.join(self.data_dir, "experimenters", experimenter)
        self.experimenter = Identity(os.path.join(exp_dir, f"{experimenter}-cert.pem"),
                                     os.path.join(exp_dir, f"{experimenter}-key.pem"))
        self.experimenter_urn = f"urn:publicid:IDN+federa.local+user+{experimenter}"
        self.config = os.path.join(self.data_dir, "am.toml")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.log_path = os.path.join(self.data_dir, "am.log")
        self.process = None
        self.port = None

    def start(self, timeout=20):
        self.log = open(self.log_path, "a")
        env = dict(os.environ, FEDERA_DATA_DIR=self.data_dir)
        self.process = subprocess.Popen([FEDERA, "am", "--config", self.config, "--port", "0"],
                                        env=env, stderr=self.log, stdout=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"event=listening url=https://127\.0\.0\.1:(\d+)/", self.read_log())
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
        return xmlrpc.client.ServerProxy(self.url(path), context=identity.context())

    def tls_socket(self, identity=None):
        identity = identity or self.experimenter
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return identity.context().wrap_socket(raw)

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def signal(self, signum):
        self.process.send_signal(signum)

    def stop(self, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()
        return self.process.returncode if self.process else None

    def close(self):
        self.stop()
        self.tmp.cleanup()


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

    @classmethod
    def setUpClass(cls):
        cls.am = AggregateManager(cls.CONFIG).start()

    @classmethod
    def tearDownClass(cls):
        cls.am.close()
