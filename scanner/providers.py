"""The provider catalogue: the plugins. Adapters are imported only when their provider runs."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from scanner.config import PostureConfig
from scanner.errors import ProviderUnavailableError, UsageError
from scanner.models.inventory import Inventory
from scanner.plugin import ProviderPlugin
from scanner.progress import NullProgress, ProgressSink

if TYPE_CHECKING:
    from scanner.collection import AnyCollection


@dataclass(frozen=True)
class JobIO:
    """One job of a distributed run, as its provider's adapter sees it."""

    detail: Mapping[str, Any]
    """What the planner's listing stored for the scope (scanner.plugin.PlannedScope.detail)."""
    received: Mapping[str, Any] = field(default_factory=dict)
    """What the jobs it waited for (its detail's "after") handed down, by their scope."""
    hand_down: dict[str, Any] = field(default_factory=dict)
    """Filled by the adapter: JSON data for the jobs that wait for this one."""
    broker: str | None = None
    """The broker URL of a brokered run: where workers share client-side rate limits."""


@dataclass(frozen=True)
class CollectRequest:
    config: PostureConfig
    collections: frozenset[str]
    """The collections the selected checks read; adapters skip the rest."""
    now: datetime
    progress: ProgressSink = field(default_factory=NullProgress)
    inventories: tuple[Inventory, ...] = ()
    """What the providers before this one collected in the run (the TLS probe reads their
    endpoints with --probe-tls)."""
    job: JobIO | None = None
    """Set when this collection is one job of a distributed run."""


class ProviderAdapter(Protocol):
    def collect(self, request: CollectRequest) -> list[Inventory]: ...


DemoFactory = Callable[[PostureConfig], AbstractContextManager[PostureConfig]]


PLUGIN_MODULES: tuple[str, ...] = (
    "providers.aws.plugin",
    "providers.azuread.plugin",
    "providers.evidence.plugin",
    "providers.okta.plugin",
    "providers.gcp.plugin",
    "providers.github.plugin",
    "providers.tls.plugin",
)
"""Every provider, in the order a scan of several runs them (tls last: with --probe-tls it
probes what the others found). Adding a provider is one line."""


def _plugins() -> dict[str, ProviderPlugin]:
    found: dict[str, ProviderPlugin] = {}
    for module in PLUGIN_MODULES:
        plugin: ProviderPlugin = importlib.import_module(module).PLUGIN
        found[plugin.name] = plugin
    return found


PROVIDERS: dict[str, ProviderPlugin] = _plugins()


def plugins() -> tuple[ProviderPlugin, ...]:
    return tuple(PROVIDERS.values())


def provider_names() -> tuple[str, ...]:
    return tuple(PROVIDERS)


def spec(name: str) -> ProviderPlugin:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(PROVIDERS)
        raise UsageError(f"unknown provider {name!r} (known: {known})") from None


def _load(target: str, provider: ProviderPlugin, needs: str | None = None) -> object:
    """`needs` names what a missing module means (default: the provider's SDK extra)."""
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in {"scanner", "providers", "checks"}:
            raise
        needs = needs or f"its SDK: pip install 'posture-scanner[{provider.extra}]'"
        raise ProviderUnavailableError(
            f"provider {provider.name} needs {needs} (missing module {exc.name})"
        ) from None
    return getattr(module, attr)


def load_adapter(name: str, config: PostureConfig) -> ProviderAdapter:
    provider = spec(name)
    factory = _load(provider.adapter, provider)
    adapter: ProviderAdapter = factory(config)  # type: ignore[operator]
    return adapter


def preflight(name: str, config: PostureConfig) -> None:
    """The provider's own check of its settings before a distributed run is planned."""
    provider = spec(name)
    if provider.preflight:
        check = _load(provider.preflight, provider)
        check(config)  # type: ignore[operator]


PermissionsRenderer = Callable[[frozenset[str]], str]


def load_permissions(name: str) -> PermissionsRenderer | None:
    provider = spec(name)
    if provider.permissions is None:
        return None
    renderer: PermissionsRenderer = _load(provider.permissions, provider)  # type: ignore[assignment]
    return renderer


def load_collections(name: str) -> tuple[AnyCollection, ...]:
    """The provider's collection table (imports its collectors, hence its SDK)."""
    provider = spec(name)
    table: tuple[AnyCollection, ...] = _load(provider.collections, provider)  # type: ignore[assignment]
    return table


def load_demo(name: str) -> DemoFactory | None:
    provider = spec(name)
    if provider.demo is None:
        return None
    # The SDK first, so that a module missing after it is the demo extra's (moto, the fakes).
    _load(provider.adapter, provider)
    needs = "the demo extra for --demo: pip install 'posture-scanner[demo]'"
    demo: DemoFactory = _load(provider.demo, provider, needs)  # type: ignore[assignment]
    return demo
