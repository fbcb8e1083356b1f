"""The TLS verdicts on hand-built endpoints, and the probe's pure parts: suite names, host
names, addresses, targets, chains."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography import x509

from checks.tls.certificate import expiring_soon
from checks.tls.configuration import live_disagrees_with_policy
from checks.tls.verdicts import weak_suite_reason
from providers.demo.fakes.tls import TestCa
from providers.tls.addresses import forbidden, resolve
from providers.tls.certificates import chain_problem, names_host
from providers.tls.plaintext import serves_plaintext
from scanner.check import CheckContext
from scanner.collection import CollectionFailedError
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig, AwsThresholds
from scanner.config.tls import TlsConfig, TlsTarget
from scanner.inventory.common import ConfiguredTls, TlsEndpoint, TlsSuite
from scanner.inventory.tls import TlsInventory
from scanner.models.enums import Status
from tests.conftest import FIXED_NOW


@pytest.mark.parametrize(
    ("protocol", "name", "why"),
    [
        ("TLSv1.2", "TLS_RSA_WITH_NULL_SHA256", "no encryption (NULL)"),
        ("TLSv1.2", "TLS_DH_anon_WITH_AES_128_CBC_SHA", "no server authentication (anonymous)"),
        ("TLSv1", "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", "export-grade"),
        ("TLSv1.2", "TLS_RSA_WITH_RC4_128_SHA", "RC4"),
        ("SSLv2", "SSL_CK_RC2_128_CBC_WITH_MD5", "RC2"),
        ("TLSv1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES/3DES (64-bit block)"),
        ("TLSv1.2", "TLS_RSA_WITH_DES_CBC_SHA", "DES/3DES (64-bit block)"),
        ("TLSv1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "CBC with TLSv1 (BEAST)"),
        ("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", None),
        ("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", None),
        ("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", None),
    ],
)
def test_weak_suites_are_named_for_why(protocol: str, name: str, why: str | None) -> None:
    assert weak_suite_reason(TlsSuite(protocol=protocol, name=name)) == why


def test_an_anonymous_suite_is_weak_by_its_flag_too() -> None:
    suite = TlsSuite(protocol="TLSv1.2", name="TLS_ECDH_ANON_X", anonymous=True)
    assert weak_suite_reason(suite) == "no server authentication (anonymous)"


@pytest.fixture(scope="module")
def ca() -> TestCa:
    return TestCa()


@pytest.mark.parametrize(
    ("names", "host", "matches"),
    [
        (("api.example.com",), "API.example.com", True),
        (("*.example.com",), "api.example.com", True),
        (("*.example.com",), "a.b.example.com", False),  # one label only
        (("*.example.com",), "example.com", False),
        (("*.com",), "example.com", False),  # no wildcard over a public suffix-like label
        (("127.0.0.1",), "127.0.0.1", True),
        (("127.0.0.1",), "localhost", False),
        (("other.example",), "localhost", False),
    ],
)
def test_host_names_match_as_rfc_6125_says(
    ca: TestCa, names: tuple[str, ...], host: str, matches: bool
) -> None:
    cert = x509.load_pem_x509_certificate(ca.issue(names).cert_pem)
    assert names_host(cert, host) is matches


def test_a_leaf_of_an_unknown_ca_is_an_incomplete_chain(ca: TestCa) -> None:
    other = TestCa("someone else's CA")
    leaf = x509.load_pem_x509_certificate(other.issue().cert_pem)
    problem = chain_problem([leaf], [ca.cert], FIXED_NOW)
    assert problem is not None and "someone else's CA" in problem and "not sent" in problem
    assert chain_problem([leaf, other.cert], [ca.cert], FIXED_NOW) is not None
    assert chain_problem([leaf], [ca.cert, other.cert], FIXED_NOW) is None


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("169.254.169.254", True),
        ("169.254.0.1", True),
        ("fd00:ec2::254", True),
        ("fe80::1", True),
        ("::ffff:169.254.169.254", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("fd00:ec2::253", False),
    ],
)
def test_link_local_and_metadata_addresses_are_never_probed(address: str, refused: bool) -> None:
    assert forbidden(address) is refused


@pytest.mark.parametrize("host", ["169.254.169.254", "fd00:ec2::254"])
def test_a_name_resolving_to_metadata_is_refused(host: str) -> None:
    with pytest.raises(CollectionFailedError, match="never probes"):
        resolve(host, 443)


def test_a_name_without_address_is_an_error() -> None:
    with pytest.raises(CollectionFailedError, match="does not resolve"):
        resolve("no-such-host.invalid", 443)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("example.com", "example.com:443"),
        ("Example.COM:8443", "example.com:8443"),
        ("[::1]:8443", "[::1]:8443"),
        ("::1", "[::1]:443"),
    ],
)
def test_targets_are_host_and_port(text: str, key: str) -> None:
    assert TlsTarget.model_validate(text).key == key


@pytest.mark.parametrize("text", ["host:notaport", "host:0", "host:65536", "a/b:443", "[::1]x"])
def test_a_target_that_is_not_host_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        TlsTarget.model_validate(text)


def probed(**fields: object) -> TlsEndpoint:
    base: dict[str, object] = {
        "uid": "web.example:443",
        "name": "web.example:443",
        "kind": "probed",
        "host": "web.example",
        "port": 443,
        "source": "probed",
        "listener_protocol": "HTTPS",
        "protocols": ("TLSv1.2", "TLSv1.3"),
        "certificate_subject": "CN=web.example",
    }
    return TlsEndpoint.model_validate({**base, **fields})


def test_the_expiry_window_is_the_acm_one_unless_set() -> None:
    endpoint = probed(certificate_expires=FIXED_NOW + timedelta(days=40))
    inventory = TlsInventory(account="tls", endpoints=(endpoint,))
    acm_45 = PostureConfig(aws=AwsConfig(thresholds=AwsThresholds(cert_expiry_warning_days=45)))
    own_10 = acm_45.model_copy(update={"tls": TlsConfig(cert_expiry_warning_days=10)})
    statuses = [
        [r.status for r in expiring_soon.evaluate(inventory, CheckContext(FIXED_NOW, config))]
        for config in (PostureConfig(), acm_45, own_10)
    ]
    assert statuses == [[Status.PASS], [Status.FAIL], [Status.PASS]]


def test_a_configuration_of_unknown_versions_is_not_compared(ctx: CheckContext) -> None:
    claims = (
        ConfiguredTls(provider="gcp", account="p", uid="proxy", kind="gcp-x", protocols=()),
        ConfiguredTls(
            provider="aws", account="1", uid="arn", kind="cloudfront", policy="TLSv1.2_2021",
            protocols=("TLSv1.2", "TLSv1.3"),
        ),
    )  # fmt: skip
    inventory = TlsInventory(account="tls", endpoints=(probed(configured=claims),))
    results = list(live_disagrees_with_policy.evaluate(inventory, ctx))
    assert [(r.status, r.sub_key) for r in results] == [(Status.PASS, "arn")]


class _Answer(http.server.BaseHTTPRequestHandler):
    redirect = False

    def do_GET(self) -> None:
        if self.redirect:
            self.send_response(301)
            self.send_header("Location", f"https://{self.headers['Host']}/")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


class _Redirect(_Answer):
    redirect = True


@pytest.fixture
def http_servers() -> Iterator[dict[bool, int]]:
    """{redirects: port}: one server redirects to HTTPS, the other serves plain text."""
    servers = {
        redirects: http.server.HTTPServer(("127.0.0.1", 0), _Redirect if redirects else _Answer)
        for redirects in (True, False)
    }
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {k: s.server_port for k, s in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def test_plain_http_without_a_redirect_is_seen(http_servers: dict[bool, int]) -> None:
    config = TlsConfig(connect_timeout_seconds=2)
    assert serves_plaintext("localhost", "127.0.0.1", http_servers[True], config) is False
    assert serves_plaintext("localhost", "127.0.0.1", http_servers[False], config) is True
