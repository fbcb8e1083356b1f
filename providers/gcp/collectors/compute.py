"""Load balancer TLS: SSL policies and target HTTPS/SSL proxies, global and regional."""

from __future__ import annotations

from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv
from scanner.inventory.common import TlsEndpoint

DEFAULT_PROFILE = inv.DEFAULT_SSL_PROFILE
DEFAULT_MIN_TLS = inv.DEFAULT_MIN_TLS_VERSION


def _region(scope: str) -> str | None:
    return scope.split("/", 1)[1] if scope.startswith("regions/") else None


def _aggregated(
    clients: GcpClients, resource: Any, project: Project, kind: str
) -> list[tuple[str | None, dict[str, Any]]]:
    pairs = clients.paginate("compute", resource, "aggregatedList", "items", project=project.id)
    return [(_region(scope), item) for scope, block in pairs for item in block.get(kind, [])]


def _features(raw: dict[str, Any]) -> tuple[str, ...] | None:
    listed = raw.get("enabledFeatures")
    if listed is None and raw.get("profile") == "CUSTOM":
        listed = raw.get("customFeatures")
    return None if listed is None else tuple(str(f) for f in listed)


def _endpoint(proxy: inv.TargetProxy, policy: inv.SslPolicy | None) -> TlsEndpoint:
    return TlsEndpoint(
        uid=proxy.self_link,
        name=proxy.name,
        kind=f"gcp-{proxy.kind}",
        region=proxy.region or "global",
        port=443 if proxy.kind == "targetHttpsProxy" else None,
        listener_protocol="HTTPS" if proxy.kind == "targetHttpsProxy" else "SSL",
        policy=policy.name if policy else None,
        protocols=inv.tls_protocols(policy.min_tls_version if policy else DEFAULT_MIN_TLS),
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
            # enabledFeatures is output only and lists what the profile (or, for CUSTOM, the
            # customFeatures) turns on.
            enabled_features=_features(raw),
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
    gcp_collection(inv.TLS_PROXIES, ("ssl_policies", "target_proxies", "tls_endpoints"), fetch_tls),
)
