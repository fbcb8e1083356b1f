"""A fresh fake GCP organization per test, reached through the real clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.demo.fakes.gcp import FakeGcp
from providers.gcp.clients import ENDPOINT_ENV
from scanner.endpoints import ALLOW_INSECURE_ENV


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGcp]:
    with FakeGcp(page_size=2) as server:
        monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
        monkeypatch.setenv(ENDPOINT_ENV, server.url)
        yield server
