"""A second look at an endpoint sslyze could not connect to at all.

sslyze's connectivity test shakes hands with its modern OpenSSL build at its default security
level, which refuses NULL and anonymous suites on TLS 1.2; a server that offers nothing else
(the worst kind) would then read as unreachable. Before calling it an error, this tries each
weak suite the system OpenSSL still has (at `@SECLEVEL=0`) on TLS 1.0 to 1.2, one connection
per suite; what it accepts is the endpoint's finding.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from sslyze.plugins.openssl_cipher_suites.cipher_suites import (
    _TLS_OPENSSL_TO_RFC_NAMES_MAPPING as IANA_NAMES,  # sslyze's OpenSSL -> IANA suite names
)

from scanner.config.tls import TlsTarget
from scanner.inventory.common import TlsSuite

WEAK_MARKERS = ("NULL", "ADH", "AECDH", "EXP", "RC4", "DES", "IDEA", "RC2")
VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
}


@dataclass(frozen=True)
class WeakOnly:
    suites: tuple[TlsSuite, ...]
    leaf: x509.Certificate | None


def _context(protocol: str, cipher: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 on purpose
        context.minimum_version = context.maximum_version = VERSIONS[protocol]
    context.set_ciphers(f"{cipher}:@SECLEVEL=0")
    return context


def _weak_ciphers() -> list[Any]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.set_ciphers("ALL:COMPLEMENTOFALL:-PSK:-SRP:@SECLEVEL=0")
    return [
        c
        for c in context.get_ciphers()
        if c["protocol"] != "TLSv1.3" and any(m in str(c["name"]) for m in WEAK_MARKERS)
    ]


def _handshake(
    address: str, target: TlsTarget, context: ssl.SSLContext, timeout: float
) -> bytes | None:
    """The leaf's DER (b"" when none was sent), or None when the server refused."""
    try:
        with (
            socket.create_connection((address, target.port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=target.sni) as tls,
        ):
            return tls.getpeercert(binary_form=True) or b""
    except (ssl.SSLError, OSError):
        return None


def probe_weak_only(address: str, target: TlsTarget, timeout: float) -> WeakOnly | None:
    """The weak suites the endpoint accepts and the leaf it sent; None when it accepts none."""
    suites: list[TlsSuite] = []
    leaf: x509.Certificate | None = None
    for protocol in VERSIONS:
        for cipher in _weak_ciphers():
            name = str(cipher["name"])
            der = _handshake(address, target, _context(protocol, name), timeout)
            if der is None:
                continue
            if der and leaf is None:
                leaf = x509.load_der_x509_certificate(der)
            suites.append(
                TlsSuite(
                    protocol=protocol,
                    name=IANA_NAMES.get(name, name),
                    anonymous=cipher.get("auth") == "auth-null",
                )
            )
    return WeakOnly(tuple(suites), leaf) if suites else None
