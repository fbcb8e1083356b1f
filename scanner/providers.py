"""The provider catalogue. Adapters are imported only when their provider runs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from scanner.config import PostureConfig
from scanner.errors import ProviderUnavailableError, UsageError
from scanner.models.inventory import Inventory
from scanner.progress import NullProgress, ProgressSink


@dataclass(frozen=True)
class CollectRequest:
    config: PostureConfig
    collections: frozenset[str]
    """The collections the selected checks read; adapters skip the rest."""
    now: datetime
    progress: ProgressSink = field(default_factory=NullProgress)


class ProviderAdapter(Protocol):
    def collect(self, request: CollectRequest) -> list[Inventory]: ...


DemoFactory = Callable[[PostureConfig], AbstractContextManager[PostureConfig]]


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    adapter: str
    """module:attribute of a callable taking a PostureConfig and returning a ProviderAdapter."""
    extra: str
    demo: str | None = None
    """module:attribute of a DemoFactory that sets up an embedded environment."""
    permissions: str | None = None
    """module:attribute of `(collections) -> str`: the least privilege the collections need."""


PROVIDERS: dict[str, ProviderSpec] = {
    "aws": ProviderSpec(
        "aws",
        "providers.aws.adapter:AwsProvider",
        "aws",
        demo="providers.aws.demo:demo_environment",
        permissions="providers.aws.permissions:render",
    ),
    "azuread": ProviderSpec(
        "azuread",
        "providers.azuread.adapter:AzureAdProvider",
        "azuread",
        demo="providers.azuread.demo:demo_environment",
        permissions="providers.azuread.permissions:render",
    ),
    "evidence": ProviderSpec(
        "evidence",
        "providers.evidence.adapter:EvidenceProvider",
        "core",
        "providers.evidence.demo:demo_environment",
    ),
    "okta": ProviderSpec(
        "okta",
        "providers.okta.adapter:OktaProvider",
        "okta",
        "providers.okta.demo:demo_environment",
        permissions="providers.okta.permissions:render",
    ),
    "gcp": ProviderSpec(
        "gcp",
        "providers.gcp.adapter:GcpProvider",
        "gcp",
        "providers.gcp.demo:demo_environment",
        permissions="providers.gcp.permissions:render",
    ),
}


def provider_names() -> tuple[str, ...]:
    return tuple(PROVIDERS)


def spec(name: str) -> ProviderSpec:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(PROVIDERS)
        raise UsageError(f"unknown provider {name!r} (known: {known})") from None


def _load(target: str, provider: ProviderSpec, needs: str | None = None) -> object:
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


PermissionsRenderer = Callable[[frozenset[str]], str]


def load_permissions(name: str) -> PermissionsRenderer | None:
    provider = spec(name)
    if provider.permissions is None:
        return None
    renderer: PermissionsRenderer = _load(provider.permissions, provider)  # type: ignore[assignment]
    return renderer


def load_demo(name: str) -> DemoFactory | None:
    provider = spec(name)
    if provider.demo is None:
        return None
    # The SDK first, so that a module missing after it is the demo extra's (moto, the fakes).
    _load(provider.adapter, provider)
    needs = "the demo extra for --demo: pip install 'posture-scanner[demo]'"
    demo: DemoFactory = _load(provider.demo, provider, needs)  # type: ignore[assignment]
    return demo
