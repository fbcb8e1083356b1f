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


PROVIDERS: dict[str, ProviderSpec] = {
    "aws": ProviderSpec(
        "aws", "providers.aws.adapter:AwsProvider", "aws", "providers.aws.demo:demo_environment"
    ),
    "gcp": ProviderSpec(
        "gcp", "providers.gcp.adapter:GcpProvider", "gcp", "providers.gcp.demo:demo_environment"
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


def _load(target: str, provider: ProviderSpec) -> object:
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in {"scanner", "providers", "checks"}:
            raise
        raise ProviderUnavailableError(
            f"provider {provider.name} needs its SDK: pip install 'posture[{provider.extra}]'"
            f" (missing module {exc.name})"
        ) from None
    return getattr(module, attr)


def load_adapter(name: str, config: PostureConfig) -> ProviderAdapter:
    provider = spec(name)
    factory = _load(provider.adapter, provider)
    adapter: ProviderAdapter = factory(config)  # type: ignore[operator]
    return adapter


def load_demo(name: str) -> DemoFactory | None:
    provider = spec(name)
    if provider.demo is None:
        return None
    demo: DemoFactory = _load(provider.demo, provider)  # type: ignore[assignment]
    return demo
