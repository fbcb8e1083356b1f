"""The TLS probe's inventory: what each HOST:PORT served to posture's probe."""

from __future__ import annotations

from scanner.inventory.common import TlsEndpoint
from scanner.models.inventory import Inventory

PROVIDER = "tls"
ENDPOINTS = "tls.endpoints"
"""One probe per HOST:PORT (its scope); a probe that could not connect fails its scope."""


class TlsInventory(Inventory):
    provider: str = PROVIDER
    endpoints: tuple[TlsEndpoint, ...] = ()
