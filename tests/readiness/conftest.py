"""Fixtures for the readiness tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readiness.helpers import WriteFiles


@pytest.fixture
def write_files(tmp_path: Path) -> WriteFiles:
    """Writes an evidence directory from {relative path: text}; returns its root."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "evidence"
        root.mkdir(exist_ok=True)
        for rel, text in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return write
