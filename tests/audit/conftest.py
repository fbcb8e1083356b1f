"""Shared fixtures: the half-year history as files, imported with `posture history import`."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import main
from tests.audit.history import nights


def posture(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def audit(
    capsys: pytest.CaptureFixture[str], state: Path, out: Path, *args: str
) -> tuple[int, str, str]:
    """`posture audit` over the whole half year (or `args`' own --from/--to), into `out`."""
    window = () if "--from" in args else ("--from", "2026-01-01", "--to", "2026-06-29")
    return posture(capsys, "audit", *window, "--state", str(state), "--output", str(out), *args)


@pytest.fixture(scope="session")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Each night's `scan --format json` document, as another machine wrote them."""
    directory = tmp_path_factory.mktemp("nights")
    paths = []
    for doc in nights():
        path = directory / f"{doc.scan.started_at:%Y%m%d}.json"
        path.write_text(doc.model_dump_json(indent=2), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory, documents: list[Path]) -> Path:
    """A history store holding the half year, imported from the files (do not modify)."""
    state = tmp_path_factory.mktemp("state") / "history.sqlite3"
    with pytest.raises(SystemExit) as done:
        main(["history", "import", "--state", str(state), *map(str, documents)])
    assert done.value.code == 0
    return state
