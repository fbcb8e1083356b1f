"""What a served certificate chain says: its key, its weakest signature, whether it names the
host, and whether it leads to a trusted root.

sslyze validates each chain with cryptography's RFC 5280 verifier against its trust stores
(plus `--tls-ca-file`); that verdict folds expiry, a wrong name and SHA-1 into one "failed".
Those have checks of their own, so a chain that failed only for them is still called trusted
here: its signatures lead, certificate by certificate, to a trusted root.
"""

from __future__ import annotations

import ipaddress
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

MAX_CHAIN = 10


@dataclass(frozen=True)
class KeyInfo:
    type: str | None
    bits: int | None


def key_info(cert: x509.Certificate) -> KeyInfo:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return KeyInfo("RSA", key.key_size)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return KeyInfo("EC", key.curve.key_size)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return KeyInfo("Ed25519", 256)
    if isinstance(key, ed448.Ed448PublicKey):
        return KeyInfo("Ed448", 456)
    if isinstance(key, dsa.DSAPublicKey):
        return KeyInfo("DSA", key.key_size)
    return KeyInfo(None, None)


_HASH_STRENGTH = {"md5": 0, "sha1": 1, "sha224": 2, "sha256": 3, "sha384": 4, "sha512": 5}


def _self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and _issued_by(cert, cert)


def weakest_signature_hash(chain: Sequence[x509.Certificate]) -> str | None:
    """The weakest hash signing the leaf or an intermediate (a root's own signature is not
    checked by clients, so it does not count); None for hashless schemes (Ed25519)."""
    names = []
    for cert in chain:
        if cert is not chain[0] and _self_signed(cert):
            continue
        try:
            algorithm = cert.signature_hash_algorithm
        except UnsupportedAlgorithm:
            names.append("unknown")
            continue
        if algorithm is not None:
            names.append(algorithm.name)
    if not names:
        return None
    return min(names, key=lambda n: _HASH_STRENGTH.get(n, -1))


def _label_match(pattern: str, host: str) -> bool:
    """RFC 6125 6.4.3: a wildcard only as the whole left-most label, standing for one label."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if not pattern.startswith("*."):
        return pattern == host
    suffix = pattern[1:]
    first, dot, rest = host.partition(".")
    return bool(first) and bool(dot) and f".{rest}" == suffix and suffix.count(".") >= 2


def names_host(cert: x509.Certificate, host: str) -> bool:
    """The certificate's subjectAltName names `host` (the common name is not read: clients
    stopped reading it when SAN became required)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return any(_label_match(n, host) for n in san.get_values_for_type(x509.DNSName))
    return ip in san.get_values_for_type(x509.IPAddress)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except ValueError:
        return _legacy_signature_valid(cert, issuer)
    except (TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _legacy_signature_valid(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """The signature checked with the issuer's key directly: cryptography's issuer check
    refuses SHA-1 and MD5 outright, and here a weak hash is the weak-signature check's
    finding, not a broken chain."""
    key = issuer.public_key()
    try:
        algorithm = cert.signature_hash_algorithm
        if algorithm is None:
            return False
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def chain_problem(
    chain: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate], now: datetime
) -> str | None:
    """Why the signatures of `chain` (leaf first) do not lead to one of `anchors`; None when
    they do. Intermediates must be CAs within their validity; the leaf's own validity and
    names are the other checks' business."""
    current = chain[0]
    pool = list(chain[1:])
    for _ in range(MAX_CHAIN):
        if any(_issued_by(current, a) or current == a for a in anchors):
            return None
        if _self_signed(current):
            kind = "self-signed certificate" if current is chain[0] else "root"
            return f"the {kind} {current.subject.rfc4514_string()} is not trusted"
        parent = next((c for c in pool if _issued_by(current, c)), None)
        if parent is None:
            return (
                f"incomplete chain: the issuer {current.issuer.rfc4514_string()} was not sent "
                "and is not a trusted root"
            )
        if not _is_ca(parent):
            return f"{parent.subject.rfc4514_string()} signs certificates but is not a CA"
        if not parent.not_valid_before_utc <= now.astimezone(UTC) <= parent.not_valid_after_utc:
            return f"the intermediate {parent.subject.rfc4514_string()} is outside its validity"
        pool.remove(parent)
        current = parent
    return "the chain is longer than any client follows"


def load_anchors(pem_files: Sequence[bytes]) -> tuple[x509.Certificate, ...]:
    found: list[x509.Certificate] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # old roots with negative serials in sslyze's stores
        for data in pem_files:
            found.extend(x509.load_pem_x509_certificates(data))
    return tuple(found)
