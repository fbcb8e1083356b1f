from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from providers.demo.fakes.graph import FakeGraph, start_fake_graph
from providers.demo.fakes.server import FakeServer

logging.getLogger("werkzeug").setLevel(logging.WARNING)


@pytest.fixture
def insecure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    for name in (
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "POSTURE_GRAPH_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def graph(request: pytest.FixtureRequest) -> Iterator[tuple[FakeServer, FakeGraph]]:
    """A fake tenant; parametrise indirectly with FakeGraph keyword arguments."""
    kwargs = getattr(request, "param", {})
    server, fake = start_fake_graph(**kwargs)
    try:
        yield server, fake
    finally:
        server.stop()
