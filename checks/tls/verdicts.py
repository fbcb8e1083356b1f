"""TLS endpoint verdicts every provider uses, whether the endpoint's facts come from a cloud
API (`configured`) or from probing it (`probed`): plaintext HTTP, protocol versions below a
floor, weak cipher suites, and what the served certificate says.

Provider checks pick their endpoints (by kind) and a resource type; the verdicts live here.
A probed endpoint's findings are placed at its HOST:PORT (the scope of its probe).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import JsonValue

from scanner.check import CheckResult, error, fail, pass_or_fail, passed
from scanner.inventory.common import TLS_PROTOCOLS, TlsEndpoint, TlsSuite
from scanner.models.findings import Resource

TLS_ORDER = TLS_PROTOCOLS
WEB = frozenset({"HTTP", "HTTPS"})
TLS = frozenset({"HTTPS", "TLS", "SSL"})
PROBED_ENDPOINT = "tls-endpoint"
"""The resource type of a probed HOST:PORT."""


def resource(endpoint: TlsEndpoint, resource_type: str) -> Resource:
    return Resource(uid=endpoint.uid, type=resource_type, name=endpoint.name)


def place(endpoint: TlsEndpoint) -> str | None:
    """Where a finding about the endpoint is: the cloud region, or a probe's HOST:PORT."""
    return endpoint.uid if endpoint.probed else endpoint.region


def below(protocols: Iterable[str], floor: str) -> tuple[str, ...]:
    """The allowed protocols older than `floor`; an unknown name counts as older."""
    rank = TLS_ORDER.index(floor)
    return tuple(p for p in protocols if p not in TLS_ORDER or TLS_ORDER.index(p) < rank)


def _evidence(endpoint: TlsEndpoint) -> dict[str, JsonValue]:
    evidence: dict[str, JsonValue] = {
        "host": endpoint.host,
        "port": endpoint.port,
        "source": endpoint.source,
        "listener_protocol": endpoint.listener_protocol,
        "policy": endpoint.policy,
        "protocols": list(endpoint.protocols),
    }
    if endpoint.configured:
        evidence["configured"] = [
            {"uid": c.uid, "policy": c.policy, "protocols": list(c.protocols)}
            for c in endpoint.configured
        ]
    return evidence


def plaintext_results(
    endpoints: Iterable[TlsEndpoint], resource_type: str
) -> Iterator[CheckResult]:
    """HTTP served without a redirect to HTTPS fails; HTTPS and redirecting listeners pass.
    A probed endpoint is judged only when its plain-HTTP port was probed."""
    for endpoint in endpoints:
        if (endpoint.listener_protocol or "").upper() not in WEB:
            continue  # TCP, UDP, TLS pass-through and the like carry no HTTP to redirect
        if endpoint.probed and endpoint.plaintext_port is None:
            continue
        evidence = {**_evidence(endpoint), "allows_plaintext": endpoint.allows_plaintext}
        where = endpoint.name
        if endpoint.probed:
            evidence["http_port"] = endpoint.plaintext_port
            where = f"{endpoint.host} (port {endpoint.plaintext_port})"
        yield pass_or_fail(
            resource(endpoint, resource_type),
            not endpoint.allows_plaintext,
            f"{where} serves HTTPS only or redirects HTTP to HTTPS.",
            f"{where} serves plain HTTP without redirecting to HTTPS; redirect "
            "HTTP to HTTPS or remove the HTTP listener.",
            evidence=evidence,
            region=place(endpoint),
        )


def _claims(endpoint: TlsEndpoint) -> str:
    """What the cloud configuration says, for a message about a probed endpoint."""
    said = [
        f"{c.kind} {c.uid} has policy {c.policy} allowing {', '.join(c.protocols) or 'unknown'}"
        for c in endpoint.configured
    ]
    return f" Its configuration says otherwise: {'; '.join(said)}." if said else ""


def weak_protocol_results(
    endpoints: Iterable[TlsEndpoint], floor: str, resource_type: str
) -> Iterator[CheckResult]:
    """A TLS endpoint whose policy allows, or that accepts on the wire, a version below
    `floor` fails.

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
                region=place(endpoint),
            )
            continue
        weak = below(endpoint.protocols, floor)
        how = "when probed" if endpoint.probed else f"through policy {endpoint.policy}"
        if weak:
            claims = [c for c in endpoint.configured if not below(c.protocols, floor)]
            said = _claims(endpoint.model_copy(update={"configured": tuple(claims)}))
            yield fail(
                resource(endpoint, resource_type),
                f"{endpoint.name} accepts {', '.join(weak)} {how}; allow {floor} or later "
                f"only.{said}",
                evidence={**evidence, "weak_protocols": list(weak)},
                region=place(endpoint),
            )
        else:
            yield passed(
                resource(endpoint, resource_type),
                f"{endpoint.name} accepts {floor} or later only.",
                evidence=evidence,
                region=place(endpoint),
            )


def weak_suite_reason(suite: TlsSuite) -> str | None:
    """Why an accepted suite is weak, or None. Names are IANA's (SSLv2's SSL_CK_ names too)."""
    name = suite.name.upper()
    if "_NULL_" in name or name.endswith("_NULL") or "WITH_NULL" in name:
        return "no encryption (NULL)"
    if suite.anonymous or "_ANON_" in name:
        return "no server authentication (anonymous)"
    if "EXPORT" in name:
        return "export-grade"
    if "RC4" in name:
        return "RC4"
    if "RC2" in name:
        return "RC2"
    if "DES" in name:  # DES, DES40 and 3DES (DES_EDE, DES_192_EDE3)
        return "DES/3DES (64-bit block)"
    if "IDEA" in name:
        return "IDEA (64-bit block)"
    if suite.protocol in ("SSLv2", "SSLv3", "TLSv1") and "CBC" in name:
        return f"CBC with {suite.protocol} (BEAST)"
    return None


def weak_suites(endpoint: TlsEndpoint) -> list[tuple[TlsSuite, str]]:
    found = [(s, weak_suite_reason(s)) for s in endpoint.accepted_suites]
    return [(s, reason) for s, reason in found if reason is not None]
