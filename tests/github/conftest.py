"""A fake GitHub per test, reached through the real client over loopback http."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from providers.demo.fakes.github import FakeGithub
from scanner.cli import main
from scanner.endpoints import ALLOW_INSECURE_ENV

TOKEN = "ghp_testTokenDoNotPrint0123456789abcdef"


@contextlib.contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGithub]:
    """The fake organisation behind TOKEN, which the environment holds (five items a page)."""
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with FakeGithub(token=TOKEN, page_size=5) as server:
        yield server


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGithub]:
    with serving(monkeypatch) as server:
        yield server


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def scan_argv(fake: FakeGithub, *extra: str) -> list[str]:
    return [
        "scan",
        "--provider",
        "github",
        "--github-org",
        fake.org,
        "--github-api-url",
        fake.url,
        "--format",
        "json",
        "-q",
        *extra,
    ]


def verdicts(doc: dict[str, Any], status: str) -> set[tuple[str, str]]:
    return {
        (f["check_id"], f["resource"]["name"]) for f in doc["findings"] if f["status"] == status
    }


def scan_json(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any], str, str]:
    code, out, err = run(scan_argv(fake, *extra), capsys)
    assert TOKEN not in out and TOKEN not in err
    return code, json.loads(out), out, err
