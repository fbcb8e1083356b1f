"""Which endpoints a probe visits: the configured ones, and with `--probe-tls` every TLS
endpoint the run's cloud inventories found (each host name it answers to)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from providers.tls.probe import ProbeTarget
from scanner.config.tls import DEFAULT_PORT, TlsConfig, TlsTarget
from scanner.errors import UsageError
from scanner.inventory.common import ConfiguredTls, TlsEndpoint
from scanner.models.inventory import Inventory

TLS_LISTENERS = frozenset({"HTTPS", "TLS", "SSL"})


def cloud_endpoints(inventories: Iterable[Inventory]) -> Iterator[tuple[Inventory, TlsEndpoint]]:
    """Every endpoint a provider inventory exposes as `tls_endpoints` that terminates TLS."""
    for inv in inventories:
        for endpoint in getattr(inv, "tls_endpoints", ()):
            if not isinstance(endpoint, TlsEndpoint) or endpoint.probed:
                continue
            if (endpoint.listener_protocol or "").upper() in TLS_LISTENERS and endpoint.host:
                yield inv, endpoint


def probe_targets(config: TlsConfig, inventories: Iterable[Inventory] = ()) -> list[ProbeTarget]:
    """One target per HOST:PORT, in order: configured first, then the cloud's (merged with a
    configured one at the same place). More than `max_endpoints` is bad input."""
    targets: dict[str, TlsTarget] = {t.key: t for t in config.endpoints}
    configured: dict[str, list[ConfiguredTls]] = {key: [] for key in targets}
    for inv, endpoint in cloud_endpoints(inventories):
        claim = ConfiguredTls(
            provider=inv.provider,
            account=inv.account,
            uid=endpoint.uid,
            kind=endpoint.kind,
            policy=endpoint.policy,
            protocols=endpoint.protocols,
        )
        for host in dict.fromkeys((endpoint.host or "", *endpoint.aliases)):
            target = TlsTarget(host=host, port=endpoint.port or DEFAULT_PORT)
            targets.setdefault(target.key, target)
            configured.setdefault(target.key, []).append(claim)
    if len(targets) > config.max_endpoints:
        raise UsageError(
            f"{len(targets)} TLS endpoints to probe, more than tls.max_endpoints "
            f"({config.max_endpoints}); narrow the scan or raise the limit"
        )
    return [ProbeTarget(t, tuple(configured[k])) for k, t in targets.items()]
