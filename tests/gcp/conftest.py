"""A fresh fake GCP organization per test, reached through the real clients."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers.demo.fakes.gcp import FakeGcp
from providers.gcp.clients import ENDPOINT_ENV
from scanner.endpoints import ALLOW_INSECURE_ENV


@contextlib.contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGcp]:
    """The fake organization, the clients pointed at it (two items a page)."""
    with FakeGcp(page_size=2) as server:
        monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
        monkeypatch.setenv(ENDPOINT_ENV, server.url)
        yield server


def quick_config(directory: Path) -> Path:
    """A config file with short retries and a few requests in flight, for CLI tests."""
    path = directory / "posture.yaml"
    path.write_text(
        "gcp:\n  retry_initial_seconds: 0.01\n  max_requests_in_flight: 4\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGcp]:
    with serving(monkeypatch) as server:
        yield server
