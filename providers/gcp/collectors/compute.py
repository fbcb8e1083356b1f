"""Load balancer TLS: SSL policies and target HTTPS/SSL proxies, global and regional."""

from __future__ import annotations

from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.runner import Collection, Project
from scanner.inventory import gcp as inv
from scanner.inventory.common import TlsEndpoint

# A proxy without an SSL policy gets Google's default: COMPATIBLE with TLS 1.0 and up.
DEFAULT_PROFILE = "COMPATIBLE"
DEFAULT_MIN_TLS = "TLS_1_0"
_VERSIONS = ("TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3")
_PROTOCOL_NAMES = {
    "TLS_1_0": "TLSv1",
    "TLS_1_1": "TLSv1.1",
    "TLS_1_2": "TLSv1.2",
    "TLS_1_3": "TLSv1.3",
}


def protocols_from(min_tls_version: str) -> tuple[str, ...]:
    """The TLS versions a policy accepts, in OpenSSL naming (TLSv1 … TLSv1.3)."""
    start = _VERSIONS.index(min_tls_version) if min_tls_version in _VERSIONS else 0
    return tuple(_PROTOCOL_NAMES[v] for v in _VERSIONS[start:])


def _region(scope: str) -> str | None:
    return scope.split("/", 1)[1] if scope.startswith("regions/") else None


def _aggregated(
    clients: GcpClients, resource: Any, project: Project, kind: str
) -> list[tuple[str | None, dict[str, Any]]]:
    pairs = clients.paginate("compute", resource, "aggregatedList", "items", project=project.id)
    return [(_region(scope), item) for scope, block in pairs for item in block.get(kind, [])]


def _endpoint(proxy: inv.TargetProxy, policy: inv.SslPolicy | None) -> TlsEndpoint:
    return TlsEndpoint(
        uid=proxy.self_link,
        name=proxy.name,
        kind=f"gcp-{proxy.kind}",
        region=proxy.region or "global",
        port=443 if proxy.kind == "targetHttpsProxy" else None,
        policy=policy.name if policy else None,
        protocols=protocols_from(policy.min_tls_version if policy else DEFAULT_MIN_TLS),
    )


def fetch_tls(clients: GcpClients, project: Project) -> dict[str, Any]:
    compute = clients.service("compute")
    policies = tuple(
        inv.SslPolicy(
            name=str(raw["name"]),
            self_link=str(raw.get("selfLink", raw["name"])),
            profile=str(raw.get("profile", DEFAULT_PROFILE)),
            min_tls_version=str(raw.get("minTlsVersion", DEFAULT_MIN_TLS)),
            region=region,
        )
        for region, raw in _aggregated(clients, compute.sslPolicies(), project, "sslPolicies")
    )
    proxies = [
        inv.TargetProxy(
            name=str(raw["name"]),
            self_link=str(raw.get("selfLink", raw["name"])),
            kind="targetHttpsProxy",
            region=region,
            ssl_policy=raw.get("sslPolicy") or None,
        )
        for region, raw in _aggregated(
            clients, compute.targetHttpsProxies(), project, "targetHttpsProxies"
        )
    ]
    ssl_proxies = clients.paginate(
        "compute", compute.targetSslProxies(), "list", "items", project=project.id
    )
    proxies.extend(
        inv.TargetProxy(
            name=str(raw["name"]),
            self_link=str(raw.get("selfLink", raw["name"])),
            kind="targetSslProxy",
            ssl_policy=raw.get("sslPolicy") or None,
        )
        for raw in ssl_proxies
    )
    by_path = {p.path: p for p in policies}
    return {
        "ssl_policies": policies,
        "target_proxies": tuple(proxies),
        "tls_endpoints": tuple(
            _endpoint(p, by_path.get(inv.compute_path(p.ssl_policy or ""))) for p in proxies
        ),
    }


COLLECTIONS = (
    Collection(
        inv.TLS_PROXIES,
        None,
        "compute",
        fetch_tls,
    ),
)
