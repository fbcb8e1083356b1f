"""Shared fixtures. Tests never reach the internet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.check import CheckContext
from scanner.config import PostureConfig
from tests.servers import Postgres, Redis, create_database, free_port, postgres_server, redis_server

FIXED_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test keeps its scan history in its own temporary directory, never the real home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    for name in ("POSTURE_STATE", "POSTURE_CONFIG", "POSTURE_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ctx() -> CheckContext:
    return CheckContext(now=FIXED_NOW, config=PostureConfig())


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A throw-away PostgreSQL server (started once, on first use)."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def pg_url(postgres: Postgres, request: pytest.FixtureRequest) -> str:
    """A database of its own for this test on the session's PostgreSQL."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:50]
    return create_database(postgres, f"{name}_{free_port()}")
