"""TLS probe checks: what endpoints serve on the wire (`--provider tls`, `--probe-tls`).
The list below is the tls part of the catalogue; order is display order. The verdicts they
share with the cloud providers' TLS checks live in checks.tls.verdicts."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "protocol.legacy_version_accepted",
    "cipher.weak_suite_accepted",
    "certificate.expired",
    "certificate.expiring_soon",
    "certificate.chain_untrusted",
    "certificate.hostname_mismatch",
    "certificate.weak_key",
    "certificate.weak_signature",
    "configuration.live_disagrees_with_policy",
    "http.hsts_missing",
    "http.plaintext_without_redirect",
)
