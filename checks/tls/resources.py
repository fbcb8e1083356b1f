"""What the TLS probe checks share: the probed endpoint as a finding's resource, and the
certificate facts every certificate verdict shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import JsonValue

from checks.tls.verdicts import PROBED_ENDPOINT, resource
from scanner.inventory.common import TlsEndpoint
from scanner.inventory.tls import TlsInventory
from scanner.models.findings import Resource

if TYPE_CHECKING:
    from scanner.config import PostureConfig


def endpoint_resource(endpoint: TlsEndpoint) -> Resource:
    return resource(endpoint, PROBED_ENDPOINT)


def with_certificate(inventory: TlsInventory) -> Iterator[TlsEndpoint]:
    """Probed endpoints that served a certificate (one serving only anonymous suites served
    none: the weak-suite and chain checks say so)."""
    return (e for e in inventory.endpoints if e.certificate_subject is not None)


def certificate_evidence(endpoint: TlsEndpoint) -> dict[str, JsonValue]:
    return {
        "server_name": endpoint.server_name,
        "subject": endpoint.certificate_subject,
        "not_before": endpoint.certificate_not_before.isoformat()
        if endpoint.certificate_not_before
        else None,
        "not_after": endpoint.certificate_expires.isoformat()
        if endpoint.certificate_expires
        else None,
        "sha256_fingerprint": endpoint.certificate_ids[0] if endpoint.certificate_ids else None,
    }


def expiry_warning_days(config: PostureConfig) -> int:
    """tls.cert_expiry_warning_days, or the ACM check's threshold when unset (one window)."""
    own = config.tls.cert_expiry_warning_days
    return own if own is not None else config.aws.thresholds.cert_expiry_warning_days
