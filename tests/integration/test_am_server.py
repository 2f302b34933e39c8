"""The AM's HTTPS/XML-RPC front door and GetVersion, against a real `federa am` process."""

import os
import signal
import socket
import ssl
import time
import unittest
import xmlrpc.client

from harness import AggregateManager, AggregateTestCase, Identity, post, read_response, run_federa

LIMITS = """
[server]
max_body_bytes = 1048576
max_connections = 16
idle_timeout = 1.5
header_timeout = 1.5
"""


def call_xml(method, *params):
    return xmlrpc.client.dumps(params, method).encode()


def fault_of(body):
    try:
        xmlrpc.client.loads(body)
    except xmlrpc.client.Fault as fault:
        return fault.faultCode
    raise AssertionError("no fault in " + body[:200].decode(errors="replace"))


class GetVersionTest(AggregateTestCase):
    CONFIG = LIMITS

    def check_return_struct(self, answer, api):
        self.assertEqual(answer["geni_api"], api)
        self.assertIs(type(answer["code"]["geni_code"]), int)
        self.assertEqual(answer["code"]["geni_code"], 0)
        self.assertEqual(answer["output"], "")
        value = answer["value"]
        self.assertIs(type(value["geni_api"]), int)
        self.assertEqual(value["geni_api"], api)
        return value

    def test_v3_has_every_required_field_with_its_type(self):
        value = self.check_return_struct(self.am.proxy("/am/3.0").GetVersion(), 3)
        self.assertEqual(value["geni_api_versions"], {"3": self.am.url("/am/3.0"), "2": self.am.url("/am/2.0")})
        for key, schema in (("geni_request_rspec_versions", "request.xsd"), ("geni_ad_rspec_versions", "ad.xsd")):
            versions = value[key]
            self.assertIsInstance(versions, list)
            geni3 = [v for v in versions if v["type"].lower() == "geni" and v["version"] == "3"]
            self.assertEqual(len(geni3), 1)
            self.assertEqual(geni3[0]["namespace"], "http://www.geni.net/resources/rspec/3")
            self.assertEqual(geni3[0]["schema"], "http://www.geni.net/resources/rspec/3/" + schema)
            self.assertIn("http://hpn.east.isi.edu/rspec/ext/stitch/0.1/", geni3[0]["extensions"])
        self.assertIn({"geni_type": "geni_sfa", "geni_version": "3"}, value["geni_credential_types"])
        self.assertIs(type(value["geni_single_allocation"]), int)
        self.assertEqual(value["geni_allocate"], "geni_many")
        self.assertEqual(value["urn"], "urn:publicid:IDN+federa.local+authority+am")
        self.assertIsInstance(value["geni_am_type"], list)

    def test_v2_and_root_path(self):
        value = self.check_return_struct(self.am.proxy("/am/2.0").GetVersion({}), 2)
        self.assertEqual(value["geni_request_rspec_versions"][0]["type"], "geni")
        self.assertEqual(value["geni_api_versions"]["3"], self.am.url("/am/3.0"))
        self.check_return_struct(self.am.proxy("/").GetVersion(), 3)

    def test_getversion_options_must_be_a_struct(self):
        answer = self.am.proxy().GetVersion("not options")
        self.assertEqual(answer["code"]["geni_code"], 1)
        self.assertIn("expected struct", answer["output"])

    def test_the_caller_is_the_certificate_urn(self):
        self.am.proxy().GetVersion()
        self.assertIn("caller=" + self.am.experimenter_urn, self.am.read_log())

    def test_keep_alive_serves_several_calls_on_one_connection(self):
        sock = self.am.tls_socket()
        body = call_xml("GetVersion")
        request = (f"POST /am/3.0 HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        for _ in range(3):
            sock.sendall(request)
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(1)
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
            payload = b""
            while len(payload) < length:
                payload += sock.recv(length - len(payload))
            self.assertEqual(xmlrpc.client.loads(payload)[0][0]["geni_api"], 3)
        sock.close()

    def test_http_1_0_without_host_uses_the_listen_address(self):
        status, head, body = post(self.am, call_xml("GetVersion"), version="1.0")
        self.assertEqual(status, 200)
        self.assertIn("HTTP/1.0", head)
        value = xmlrpc.client.loads(body)[0][0]["value"]
        self.assertTrue(value["geni_api_versions"]["3"].startswith("https://127.0.0.1"))

    def test_wrong_path_and_verb(self):
        self.assertEqual(post(self.am, call_xml("GetVersion"), path="/nowhere")[0], 404)
        sock = self.am.tls_socket()
        sock.sendall(b"GET /am/3.0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(read_response(sock)[0], 405)

    def test_unknown_method_is_a_fault(self):
        status, _, body = post(self.am, call_xml("NoSuchMethod"))
        self.assertEqual(status, 200)
        self.assertEqual(fault_of(body), -32601)


class HostileInputTest(AggregateTestCase):
    CONFIG = LIMITS

    def assert_still_serving(self):
        self.assertEqual(self.am.proxy().GetVersion()["code"]["geni_code"], 0)

    def assert_fault_quickly(self, body, code):
        started = time.monotonic()
        status, _, answer = post(self.am, body)
        self.assertEqual(status, 200)
        self.assertEqual(fault_of(answer), code)
        self.assertLess(time.monotonic() - started, 5)
        self.assert_still_serving()

    def test_malformed_xml(self):
        self.assert_fault_quickly(b"<methodCall><methodName>GetVersion</methodName>", -32700)
        self.assert_fault_quickly(b"", -32700)
        self.assert_fault_quickly(b"<methodCall><params/></methodCall>", -32600)

    def test_xxe_is_refused(self):
        body = (b"<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                b"<methodCall><methodName>GetVersion</methodName><params><param><value>&x;</value>"
                b"</param></params></methodCall>")
        status, _, answer = post(self.am, body)
        self.assertNotIn(b"root:", answer)
        self.assertEqual(fault_of(answer), -32700)

    def test_billion_laughs_is_refused_with_bounded_memory(self):
        entities = "<!ENTITY a0 'lol'>" + "".join(
            f"<!ENTITY a{i} '{('&a%d;' % (i - 1)) * 10}'>" for i in range(1, 10))
        body = (f"<?xml version='1.0'?><!DOCTYPE m [{entities}]><methodCall><methodName>&a9;"
                "</methodName></methodCall>").encode()
        before = self.am.rss_kib()
        self.assert_fault_quickly(body, -32700)
        self.assertLess(self.am.rss_kib() - before, 64 * 1024)

    def test_deep_nesting_is_refused(self):
        depth = 20000  # far beyond any limit, yet under the 1 MiB body limit
        body = (b"<methodCall><methodName>GetVersion</methodName><params><param>"
                + b"<value><array><data>" * depth + b"</data></array></value>" * depth
                + b"</param></params></methodCall>")
        self.assertLess(len(body), 1048576)
        self.assert_fault_quickly(body, -32700)

    def test_oversized_body_gets_413(self):
        started = time.monotonic()
        status, _, answer = post(self.am, b"<" * (64 * 1048576))
        self.assertEqual(status, 413)
        self.assertLess(time.monotonic() - started, 5)  # refused from the header, body unread
        self.assertIn(b"larger than 1048576", answer)
        self.assert_still_serving()

    def test_oversized_headers_get_431(self):
        status, _, _ = post(self.am, call_xml("GetVersion"), headers={"X-Big": "y" * 20000})
        self.assertEqual(status, 431)
        self.assert_still_serving()

    def test_slow_headers_are_cut_off(self):
        sock = self.am.tls_socket()
        sock.sendall(b"POST /am/3.0 HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        sock.settimeout(10)
        self.assertEqual(sock.recv(100), b"")  # closed by the header timeout
        self.assertLess(time.monotonic() - started, 5)
        self.assert_still_serving()

    def test_idle_keep_alive_connections_are_closed(self):
        sock = self.am.tls_socket()
        sock.settimeout(10)
        started = time.monotonic()
        self.assertEqual(sock.recv(100), b"")
        self.assertGreater(time.monotonic() - started, 1.0)

    def test_connections_over_the_cap_are_closed(self):
        holders = [socket.create_connection(("127.0.0.1", self.am.port)) for _ in range(16)]
        # Once the server has accepted all 16 (asynchronously), the next connection is closed at once.
        closed_at_once = False
        deadline = time.monotonic() + 20
        while not closed_at_once and time.monotonic() < deadline:
            extra = socket.create_connection(("127.0.0.1", self.am.port))
            extra.settimeout(1)
            try:
                closed_at_once = extra.recv(10) == b""
            except ConnectionResetError:
                closed_at_once = True
            except TimeoutError:
                pass
            extra.close()
        for s in holders:
            s.close()
        self.assertTrue(closed_at_once)
        time.sleep(0.3)
        self.assert_still_serving()
        self.assertIn("reason=connection_cap", self.am.read_log())


class ClientCertificateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.am = AggregateManager(LIMITS).start()
        cls.certs = os.path.join(cls.am.data_dir, "test-certs")
        ca = os.path.join(cls.am.data_dir, "ca")
        run_federa("ca", "issue", "--urn", "urn:publicid:IDN+federa.local+user+old", "--out-dir", cls.certs,
                   "--name", "expired", "--issuer-cert", f"{ca}/ca-cert.pem", "--issuer-key", f"{ca}/ca-key.pem",
                   "--days", "1", "--backdate-days", "10", data_dir=cls.am.data_dir)
        run_federa("ca", "issue", "--urn", "urn:publicid:IDN+elsewhere+authority+sa", "--ca", "--out-dir",
                   cls.certs, "--name", "rogue-ca", data_dir=cls.am.data_dir)
        run_federa("ca", "issue", "--urn", "urn:publicid:IDN+elsewhere+user+mallory", "--out-dir", cls.certs,
                   "--name", "mallory", "--issuer-cert", f"{cls.certs}/rogue-ca-cert.pem",
                   "--issuer-key", f"{cls.certs}/rogue-ca-key.pem", data_dir=cls.am.data_dir)

    @classmethod
    def tearDownClass(cls):
        cls.am.close()

    def identity(self, name):
        return Identity(f"{self.certs}/{name}-cert.pem", f"{self.certs}/{name}-key.pem")

    def assert_refused_at_tls(self, identity):
        with self.assertRaises((ssl.SSLError, ConnectionResetError, BrokenPipeError, xmlrpc.client.ProtocolError)):
            self.am.proxy(identity=identity).GetVersion()

    def test_no_client_certificate_is_refused(self):
        self.assert_refused_at_tls(Identity(None, None))

    def test_expired_certificate_is_refused(self):
        self.assert_refused_at_tls(self.identity("expired"))

    def test_untrusted_authority_is_refused_until_trusted_and_reloaded(self):
        self.assert_refused_at_tls(self.identity("mallory"))
        roots = os.path.join(self.am.data_dir, "trusted_roots")
        with open(f"{self.certs}/rogue-ca-cert.pem") as src, open(f"{roots}/elsewhere.pem", "w") as dst:
            dst.write(src.read())
        self.am.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "event=tls_reloaded" not in self.am.read_log() and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = self.am.proxy(identity=self.identity("mallory")).GetVersion()
        self.assertEqual(answer["code"]["geni_code"], 0)
        os.remove(f"{roots}/elsewhere.pem")
        self.am.signal(signal.SIGHUP)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_lets_an_in_flight_call_finish_then_exits_0(self):
        am = AggregateManager().start()
        try:
            idle = am.tls_socket()  # an idle keep-alive connection must not hold up the exit
            busy = am.tls_socket()
            body = call_xml("GetVersion")
            busy.sendall(f"POST /am/3.0 HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                         + body[:20])
            time.sleep(0.3)
            am.signal(signal.SIGTERM)
            time.sleep(0.3)
            busy.sendall(body[20:])
            status, head, answer = read_response(busy)
            self.assertEqual(status, 200)
            self.assertEqual(xmlrpc.client.loads(answer)[0][0]["code"]["geni_code"], 0)
            self.assertEqual(am.process.wait(10), 0)
            self.assertIn("event=stopped", am.read_log())
            idle.close()
        finally:
            am.close()


if __name__ == "__main__":
    unittest.main()
