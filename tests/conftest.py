"""Shared fixtures. Tests never reach the internet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.check import CheckContext
from scanner.config import PostureConfig

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
