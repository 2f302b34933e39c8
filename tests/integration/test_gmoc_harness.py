"""Shared parts of the GMOC integration tests (no tests here): an aggregate with ops.toml, HTTPS
GETs with a client certificate, a `federa gmoc` process, the monitoring schema validator."""

import datetime
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema  # Debian python3-jsonschema

from harness import FEDERA, AggregateManager, TestDatabase, geni_sfa, host_urn, link_xml, node_xml, request_rspec

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema", "monitoring")
TOKEN = "noc-token-0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pair_request(prefix):
    """Two nodes on host1 and host2 joined by a link, which takes a VLAN tag."""
    return request_rspec(
        node_xml(f"{prefix}a", component_id=host_urn("host1"), interfaces=[f"{prefix}a:if0"]),
        node_xml(f"{prefix}b", component_id=host_urn("host2"), interfaces=[f"{prefix}b:if0"]),
        link_xml(f"{prefix}link", f"{prefix}a:if0", f"{prefix}b:if0"))


def write_ops_toml(am, text):
    with open(os.path.join(am.data_dir, "ops.toml"), "w") as f:
        f.write(text)


def https_get(port, path, identity):
    """(status, parsed JSON or text) of a GET over TLS with the identity's certificate."""
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, context=identity.context(), timeout=10) as response:
            status, body, kind = response.status, response.read().decode(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        status, body, kind = error.code, error.read().decode(), error.headers["Content-Type"]
    return status, json.loads(body) if kind and kind.startswith("application/json") else body


def load_jwc(name):
    """A .jwc schema: JSON with // comment lines and trailing // comments outside strings."""
    with open(os.path.join(SCHEMA_DIR, f"{name}.schema.jwc")) as f:
        lines = []
        for line in f:
            out, in_string, i = "", False, 0
            while i < len(line):
                c = line[i]
                if c == '"' and (i == 0 or line[i - 1] != "\\"):
                    in_string = not in_string
                if not in_string and line.startswith("//", i):
                    break
                out += c
                i += 1
            lines.append(out)
        return json.loads("\n".join(lines))


# The UNIS base schemas the monitoring schemas extend are not shipped with them; their fields,
# as the GENI examples use them, are merged into each schema (draft 3 checks additionalProperties
# of a schema against its own properties only).
NETWORKRESOURCE = {"$schema": {"type": "string"}, "id": {"type": "string", "required": True},
                   "selfRef": {"type": "string"}, "urn": {"type": "string"}, "ts": {"type": "integer"},
                   "name": {"type": "string"}, "description": {"type": "string"}}
METADATA = {"$schema": {"type": "string"}, "id": {"type": "string", "required": True},
            "subject": {"type": "string", "required": True}, "eventType": {"type": "string", "required": True},
            "selfRef": {"type": "string"}}


# sliver.aggregate refers to ".../20140828/link#", meaning a hyperlink ({urn, href}) as in
# every GENI example; it is not shipped, so it is replaced by that reference shape.
REFERENCE = {"type": "object", "properties": {"urn": {"type": "string", "required": True},
                                              "href": {"type": "string", "required": True}}}


def without_remote_refs(node):
    if isinstance(node, dict):
        if node.get("$ref", "").endswith("/20140828/link#"):
            return REFERENCE
        return {key: without_remote_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [without_remote_refs(item) for item in node]
    return node


def validator(name):
    schema = without_remote_refs(load_jwc(name))
    base = schema.pop("extends", {}).get("$ref", "")
    extra = METADATA if base.endswith("/metadata#") else NETWORKRESOURCE if base else {}
    schema["properties"] = {**extra, **schema["properties"]}
    schema.pop("$schema", None)
    return jsonschema.Draft3Validator(schema)


def validate(name, document):
    errors = sorted(validator(name).iter_errors(document), key=str)
    if errors:
        raise AssertionError(f"{name} document does not validate: {errors[0].message}\n{json.dumps(document)[:800]}")


def start_aggregate(am_id, ops_extra="", peer_ca=None, inventory=None):
    """An AggregateManager with ops.toml (monitoring id am_id); peer_ca: another AggregateManager
    whose CA, trust roots and experimenters this one takes (one federation, one CA)."""
    am = AggregateManager(inventory=inventory)
    if peer_ca is not None:
        for part in ("ca", "trusted_roots", "experimenters"):
            subprocess.run(["rm", "-rf", os.path.join(am.data_dir, part)], check=True)
            subprocess.run(["cp", "-a", os.path.join(peer_ca.data_dir, part), am.data_dir], check=True)
        am.experimenter = peer_ca.experimenter
        am.credentials = peer_ca.credentials
    write_ops_toml(am, f'[aggregate]\nid = "{am_id}"\norganization = "Test Org {am_id}"\n'
                       f'[datastore]\ncollectors = ["urn:publicid:IDN+federa.local+user+gmoc"]\n'
                       f'[history]\nsample_interval = 0.5\n{ops_extra}')
    return am.start()


class Gmoc:
    """A `federa gmoc` process; identity: the collector's and operator's certificate (a CA user).
    aggregates: (id, AM URL) pairs for [[aggregate]] (probed, and their datastores polled).
    Its store is SQLite, or a fresh PostgreSQL schema when FEDERA_TEST_STORE=postgresql."""

    def __init__(self, ca_am, port=0, aggregates=(), poll_extra=""):
        self.tmp = tempfile.TemporaryDirectory(prefix="federa-gmoc-")
        self.database = TestDatabase()
        self.data_dir = self.tmp.name
        self.identity = ca_am.add_experimenter("gmoc")
        self.credentials_dir = os.path.join(self.data_dir, "operator-credentials")
        os.makedirs(self.credentials_dir)
        self.config = os.path.join(self.data_dir, "gmoc.toml")
        with open(self.config, "w") as f:
            f.write(f'[tls]\ncertificate = "{self.identity.cert}"\nprivate_key = "{self.identity.key}"\n'
                    f'trust_roots = "{os.path.join(ca_am.data_dir, "trusted_roots")}"\n'
                    f'[poll]\ninterval = 0.5\n{poll_extra}[operators]\nnoc-alice = "{TOKEN}"\n')
            if self.database.uri:
                f.write(f'[store]\nuri = "{self.database.uri}"\n')
            for am_id, url in aggregates:
                f.write(f'[[aggregate]]\nid = "{am_id}"\nurl = "{url}"\n')
        self.port, self.log_path, self.process = port, os.path.join(self.data_dir, "gmoc.log"), None

    def start(self, timeout=20):
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [FEDERA, "gmoc", "--config", self.config, "--data-dir", self.data_dir, "--port", str(self.port),
             "--dashboard-port", "0"], stdout=self.log, stderr=self.log)
        match = wait_for(lambda: re.search(r"event=listening url=https://127\.0\.0\.1:(\d+)/gmoc/push "
                                           r"dashboard=http://127\.0\.0\.1:(\d+)/", self.read_log()),
                         timeout, "federa gmoc to listen")
        self.port, self.dashboard_port = int(match.group(1)), int(match.group(2))
        return self

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def api(self, path, body=None, token=TOKEN):
        request = urllib.request.Request(f"http://127.0.0.1:{self.dashboard_port}{path}",
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def add_credential(self, name, xml):
        with open(os.path.join(self.credentials_dir, f"{name}.xml"), "w") as f:
            f.write(xml)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        if self.process:
            self.log.close()

    def close(self):
        self.stop()
        self.database.close()
        self.tmp.cleanup()
