"""Shared fixtures. Tests never reach the internet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scanner.check import CheckContext
from scanner.config import PostureConfig

FIXED_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def ctx() -> CheckContext:
    return CheckContext(now=FIXED_NOW, config=PostureConfig())


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placeholder credentials for moto; removes anything that could reach a real account."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
