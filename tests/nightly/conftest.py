"""Every test here keeps its scan history in its own temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("POSTURE_STATE", raising=False)
    monkeypatch.delenv("POSTURE_CONFIG", raising=False)
    monkeypatch.delenv("POSTURE_LOG_FORMAT", raising=False)
