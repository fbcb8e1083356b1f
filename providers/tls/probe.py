"""One endpoint's probe: resolve it, make sure it answers TLS at all, then let sslyze test
every protocol version and cipher suite, fetch the certificate chain(s) and the HTTP headers.

sslyze reports a failure as data (a scan command attempt with a status and an error reason);
any part that did not complete makes the whole endpoint an error, since a protocol version
that was not tested must never read as "not accepted".
"""

from __future__ import annotations

import socket
import ssl
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256
from sslyze.errors import ServerTlsConfigurationNotSupported
from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument
from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import (
    TrustStoresRepository,
)
from sslyze.plugins.scan_commands import ScanCommand
from sslyze.scanner.models import (
    ScanCommandsExtraArguments,
    ServerScanRequest,
    ServerScanResult,
    ServerScanStatusEnum,
)
from sslyze.scanner.scan_command_attempt import ScanCommandAttemptStatusEnum
from sslyze.scanner.scanner import Scanner
from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

from providers.tls import certificates
from providers.tls.addresses import resolve
from providers.tls.plaintext import serves_plaintext
from providers.tls.weak_only import probe_weak_only
from scanner.collection import CollectionFailedError
from scanner.config.tls import TlsConfig, TlsTarget
from scanner.inventory.common import PROBED, ConfiguredTls, TlsEndpoint, TlsSuite
from scanner.models.enums import Outcome

# sslyze loads its bundled trust stores, which hold old roots with negative serial numbers.
warnings.filterwarnings("ignore", message="Parsed a serial number which wasn't positive")

SUITE_COMMANDS: dict[ScanCommand, str] = {
    ScanCommand.SSL_2_0_CIPHER_SUITES: "SSLv2",
    ScanCommand.SSL_3_0_CIPHER_SUITES: "SSLv3",
    ScanCommand.TLS_1_0_CIPHER_SUITES: "TLSv1",
    ScanCommand.TLS_1_1_CIPHER_SUITES: "TLSv1.1",
    ScanCommand.TLS_1_2_CIPHER_SUITES: "TLSv1.2",
    ScanCommand.TLS_1_3_CIPHER_SUITES: "TLSv1.3",
}
"""sslyze's per-version suite tests, to the names of scanner.inventory.common.TLS_PROTOCOLS."""


@dataclass(frozen=True)
class ProbeTarget:
    target: TlsTarget
    configured: tuple[ConfiguredTls, ...] = ()


def _failed(message: str, missing: str | None = None) -> CollectionFailedError:
    return CollectionFailedError(Outcome.ERROR, message, missing=missing)


def answers_tls(address: str, target: TlsTarget, timeout: float) -> None:
    """One TCP connection and one ClientHello with a deadline: a refused port or a server that
    never answers is known here in `timeout` seconds, not after sslyze's many retries. A TLS
    alert is an answer (the server may speak only what sslyze's own OpenSSL builds can)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((address, target.port), timeout=timeout) as raw:
            raw.settimeout(timeout)
            with context.wrap_socket(raw, server_hostname=target.sni):
                pass
    except ssl.SSLError:
        return
    except TimeoutError:
        raise _failed(f"{target.key} did not answer a TLS handshake within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise _failed(f"{target.key} refused the connection") from None
    except OSError as exc:
        raise _failed(f"{target.key} could not be reached ({exc.strerror or exc})") from None


def _store_pems(ca_file: Path | None) -> tuple[bytes, ...]:
    stores = [s.path.read_bytes() for s in TrustStoresRepository.get_default().get_all_stores()]
    if ca_file is not None:
        stores.append(ca_file.read_bytes())
    return tuple(stores)


@cache
def anchors(ca_file: Path | None) -> tuple[x509.Certificate, ...]:
    """sslyze's trust stores and the CA file (read once per scan and file)."""
    return certificates.load_anchors(_store_pems(ca_file))


def scan_request(address: str, target: TlsTarget, config: TlsConfig) -> ServerScanRequest:
    commands = {ScanCommand.CERTIFICATE_INFO, *SUITE_COMMANDS}
    if config.check_hsts:
        commands.add(ScanCommand.HTTP_HEADERS)
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=config.ca_file)
        if config.ca_file
        else None
    )
    return ServerScanRequest(
        server_location=ServerNetworkLocation(target.host, target.port, ip_address=address),
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=target.sni,
            network_timeout=config.connect_timeout_seconds,
            network_max_retries=1,
        ),
        scan_commands=commands,
        scan_commands_extra_arguments=extra,
    )


def _attempt(result: Any, name: str, key: str) -> Any:
    attempt = getattr(result, name)
    if attempt.status is not ScanCommandAttemptStatusEnum.COMPLETED:
        reason = attempt.error_reason.value.lower() if attempt.error_reason else "not run"
        raise _failed(f"{key}: the {name.replace('_', ' ')} test did not complete ({reason})")
    return attempt.result


def _suites(result: Any, key: str) -> tuple[TlsSuite, ...]:
    found: list[TlsSuite] = []
    for command, protocol in SUITE_COMMANDS.items():
        scanned = _attempt(result, command.value, key)
        found.extend(
            TlsSuite(
                protocol=protocol,
                name=accepted.cipher_suite.name,
                anonymous=accepted.cipher_suite.is_anonymous,
            )
            for accepted in scanned.accepted_cipher_suites
        )
    return tuple(found)


def probed_endpoint(
    probe: ProbeTarget, suites: tuple[TlsSuite, ...], fields: dict[str, Any]
) -> TlsEndpoint:
    target = probe.target
    return TlsEndpoint(
        uid=target.key,
        name=target.key,
        kind="probed",
        host=target.host,
        port=target.port,
        protocols=tuple(dict.fromkeys(s.protocol for s in suites)),
        accepted_suites=suites,
        listener_protocol="HTTPS",
        source=PROBED,
        server_name=target.sni,
        configured=probe.configured,
        **fields,
    )


def endpoint_from_scan(
    probe: ProbeTarget, scanned: ServerScanResult, config: TlsConfig, now: datetime
) -> TlsEndpoint:
    target = probe.target
    if scanned.scan_status is not ServerScanStatusEnum.COMPLETED or scanned.scan_result is None:
        trace = scanned.connectivity_error_trace
        detail = str(trace).strip() if trace is not None else "no connectivity"
        raise _failed(f"{target.key}: {detail}")
    result = scanned.scan_result
    suites = _suites(result, target.key)
    fields: dict[str, Any] = {}
    info = _attempt(result, "certificate_info", target.key)
    if info.certificate_deployments:
        # The chain a default client gets; other deployments (say, an ECDSA twin) are
        # judged when they are the only one.
        deployment = info.certificate_deployments[0]
        validated = any(p.was_validation_successful for p in deployment.path_validation_results)
        chain = list(deployment.received_certificate_chain)
        fields = certificate_fields(chain, validated, target, config, now)
    if config.check_hsts:
        headers = _attempt(result, "http_headers", target.key)
        if headers.http_error_trace is None:
            sts = headers.strict_transport_security_header
            fields["http_checked"] = True
            fields["hsts_max_age"] = sts.max_age if sts is not None else None
    return probed_endpoint(probe, suites, fields)


def certificate_fields(
    chain: list[x509.Certificate],
    validated: bool,
    target: TlsTarget,
    config: TlsConfig,
    now: datetime,
) -> dict[str, Any]:
    """The leaf's facts; `validated`: sslyze built a trusted path (else the chain is walked)."""
    leaf = chain[0]
    key = certificates.key_info(leaf)
    problem = None if validated else certificates.chain_problem(chain, anchors(config.ca_file), now)
    return {
        "certificate_subject": leaf.subject.rfc4514_string(),
        "certificate_not_before": leaf.not_valid_before_utc,
        "certificate_expires": leaf.not_valid_after_utc,
        "chain_trusted": problem is None,
        "chain_error": problem,
        "hostname_matches": certificates.names_host(leaf, target.sni),
        "key_type": key.type,
        "key_bits": key.bits,
        "signature_hash": certificates.weakest_signature_hash(chain),
        "certificate_ids": (leaf.fingerprint(SHA256()).hex(),),
    }


def _weak_only(
    probe: ProbeTarget, address: str, config: TlsConfig, now: datetime
) -> TlsEndpoint | None:
    """The endpoint as seen by the weak-suite fallback, when sslyze found no suite at all."""
    found = probe_weak_only(address, probe.target, config.connect_timeout_seconds)
    if found is None:
        return None
    fields: dict[str, Any] = {}
    if found.leaf is not None:  # only the leaf: Python's ssl does not hand out the chain
        fields = certificate_fields([found.leaf], False, probe.target, config, now)
    return probed_endpoint(probe, found.suites, fields)


def probe_endpoint(probe: ProbeTarget, config: TlsConfig, now: datetime) -> TlsEndpoint:
    """Everything the endpoint serves; raises CollectionFailedError when it cannot be probed."""
    target = probe.target
    address = resolve(target.host, target.port)
    answers_tls(address, target, config.connect_timeout_seconds)
    scanner = Scanner(
        per_server_concurrent_connections_limit=config.connections_per_host,
        concurrent_server_scans_limit=1,
    )
    scanner.queue_scans([scan_request(address, target, config)])
    scanned = next(iter(scanner.get_results()))
    trace = scanned.connectivity_error_trace
    fallback = None
    if trace is not None and trace.exc_type is ServerTlsConfigurationNotSupported:
        fallback = _weak_only(probe, address, config, now)
    endpoint = fallback or endpoint_from_scan(probe, scanned, config, now)
    if config.check_http_redirect:
        plaintext = serves_plaintext(target.host, address, config.http_port, config)
        endpoint = endpoint.model_copy(
            update={"plaintext_port": config.http_port, "allows_plaintext": plaintext}
        )
    return endpoint
