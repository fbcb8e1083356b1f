"""The TLS provider's one collection: a probe of each HOST:PORT (the collection's scope)."""

from __future__ import annotations

from datetime import datetime

from providers.tls.probe import ProbeTarget, probe_endpoint
from scanner.collection import AnyCollection, Collection, Scope
from scanner.config.tls import TlsConfig
from scanner.inventory import tls as inv
from scanner.inventory.common import TlsEndpoint

NEEDS = "network access to the endpoint (TLS connections; no API permission)"


def probe(target: ProbeTarget, config: TlsConfig, now: datetime) -> tuple[TlsEndpoint, ...]:
    return (probe_endpoint(target, config, now),)


ENDPOINTS: Collection[str] = Collection(
    name=inv.ENDPOINTS,
    inventory=inv.TlsInventory,
    fields=("endpoints",),
    needs=NEEDS,
    fetch=probe,
    scope=Scope.REGION,
)
COLLECTIONS: tuple[AnyCollection, ...] = (ENDPOINTS,)
