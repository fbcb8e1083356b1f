"""TLS endpoint verdicts any provider can use: plaintext HTTP and protocol versions below a floor.

Provider checks pick their endpoints (by kind) and a resource type; the verdicts live here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import JsonValue

from scanner.check import CheckResult, error, fail, pass_or_fail, passed
from scanner.inventory.common import TLS_PROTOCOLS, TlsEndpoint
from scanner.models.findings import Resource

TLS_ORDER = TLS_PROTOCOLS
WEB = frozenset({"HTTP", "HTTPS"})
TLS = frozenset({"HTTPS", "TLS", "SSL"})


def resource(endpoint: TlsEndpoint, resource_type: str) -> Resource:
    return Resource(uid=endpoint.uid, type=resource_type, name=endpoint.name)


def below(protocols: Iterable[str], floor: str) -> tuple[str, ...]:
    """The allowed protocols older than `floor`; an unknown name counts as older."""
    rank = TLS_ORDER.index(floor)
    return tuple(p for p in protocols if p not in TLS_ORDER or TLS_ORDER.index(p) < rank)


def _evidence(endpoint: TlsEndpoint) -> dict[str, JsonValue]:
    return {
        "host": endpoint.host,
        "port": endpoint.port,
        "listener_protocol": endpoint.listener_protocol,
        "policy": endpoint.policy,
        "protocols": list(endpoint.protocols),
    }


def plaintext_results(
    endpoints: Iterable[TlsEndpoint], resource_type: str
) -> Iterator[CheckResult]:
    """HTTP served without a redirect to HTTPS fails; HTTPS and redirecting listeners pass."""
    for endpoint in endpoints:
        if (endpoint.listener_protocol or "").upper() not in WEB:
            continue  # TCP, UDP, TLS pass-through and the like carry no HTTP to redirect
        evidence = {**_evidence(endpoint), "allows_plaintext": endpoint.allows_plaintext}
        yield pass_or_fail(
            resource(endpoint, resource_type),
            not endpoint.allows_plaintext,
            f"{endpoint.name} serves HTTPS only or redirects HTTP to HTTPS.",
            f"{endpoint.name} serves plain HTTP without redirecting to HTTPS; redirect "
            "HTTP to HTTPS or remove the HTTP listener.",
            evidence=evidence,
            region=endpoint.region,
        )


def weak_protocol_results(
    endpoints: Iterable[TlsEndpoint], floor: str, resource_type: str
) -> Iterator[CheckResult]:
    """A TLS endpoint whose policy allows a version below `floor` fails.

    Endpoints without TLS (plain HTTP, TCP) are skipped; a TLS endpoint whose allowed versions
    are unknown is an error, never a pass.
    """
    for endpoint in endpoints:
        if endpoint.policy is None and (endpoint.listener_protocol or "").upper() not in TLS:
            continue
        evidence = {**_evidence(endpoint), "minimum_required": floor}
        if not endpoint.protocols:
            yield error(
                resource(endpoint, resource_type),
                f"Not evaluated: the TLS versions of policy {endpoint.policy!r} on "
                f"{endpoint.name} are unknown.",
                evidence=evidence,
                region=endpoint.region,
            )
            continue
        weak = below(endpoint.protocols, floor)
        if weak:
            yield fail(
                resource(endpoint, resource_type),
                f"{endpoint.name} accepts {', '.join(weak)} through policy {endpoint.policy}; "
                f"switch to a policy that allows {floor} or later only.",
                evidence={**evidence, "weak_protocols": list(weak)},
                region=endpoint.region,
            )
        else:
            yield passed(
                resource(endpoint, resource_type),
                f"{endpoint.name} accepts {floor} or later only.",
                evidence=evidence,
                region=endpoint.region,
            )
