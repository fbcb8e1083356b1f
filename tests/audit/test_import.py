"""`posture history import`: documents from another machine, once each, older schemas upgraded
and unknown ones refused with one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scanner.exit_codes import ExitCode
from scanner.models.findings import SCHEMA_VERSION
from tests.audit.conftest import posture
from tests.audit.history import night


def _write(path: Path, doc: dict[str, object]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _raw(n: int) -> dict[str, object]:
    return json.loads(night(n).model_dump_json())


def test_reimport_is_idempotent_by_scan_id(
    tmp_path: Path, documents: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "h.sqlite3"
    first = [str(p) for p in documents[:5]]
    code, out, err = posture(capsys, "history", "import", "--state", str(state), *first)
    assert code == ExitCode.OK and out.count("imported ") == 5 and "5 imported, 0 already" in err
    again = [str(p) for p in documents[:7]]
    code, out, err = posture(capsys, "history", "import", "--state", str(state), *again)
    assert code == ExitCode.OK and "2 imported, 5 already" in err
    assert out.count("skipped ") == 5
    db = sqlite3.connect(state)
    assert db.execute("SELECT count(*), count(DISTINCT uid) FROM scans").fetchone() == (7, 7)
    # Imported out of order, they are recorded oldest first: the chain follows time.
    starts = [r[0] for r in db.execute("SELECT started_at FROM scans ORDER BY id")]
    assert starts == sorted(starts)
    db.close()
    code, out, _ = posture(capsys, "history", "verify", "--state", str(state))
    assert code == ExitCode.OK and "7 of 7 scans chained" in out


def test_an_older_schema_is_upgraded_with_a_stable_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _raw(3)
    old["schema_version"] = "1.1.0"
    del old["scan"]["id"]  # type: ignore[attr-defined]
    path = _write(tmp_path / "old.json", old)
    state = tmp_path / "h.sqlite3"
    code, out, err = posture(capsys, "history", "import", "--state", str(state), str(path))
    assert code == ExitCode.OK and "upgraded" in err and "1 imported" in err
    code, _, err = posture(capsys, "history", "import", "--state", str(state), str(path))
    assert code == ExitCode.OK and "0 imported, 1 already" in err
    code, out, _ = posture(capsys, "history", "--state", str(state), "show", "1")
    shown = json.loads(out)
    assert shown["schema_version"] == SCHEMA_VERSION and shown["scan"]["id"]


@pytest.mark.parametrize(
    ("version", "words"),
    [("2.0.0", "schema 1.x"), ("1.9.0", "newer than this posture reads"), ("", "schema 1.x")],
)
def test_unknown_schemas_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, words: str
) -> None:
    doc = _raw(1)
    doc["schema_version"] = version
    good = _write(tmp_path / "good.json", _raw(2))
    bad = _write(tmp_path / "bad.json", doc)
    state = tmp_path / "h.sqlite3"
    code, out, err = posture(
        capsys, "history", "import", "--state", str(state), str(good), str(bad)
    )
    assert code == ExitCode.USAGE
    assert len(err.strip().splitlines()) == 1 and words in err and "bad.json" in err
    assert out == ""  # one bad file imports nothing
    if state.exists():
        db = sqlite3.connect(state)
        assert db.execute("SELECT count(*) FROM scans").fetchone() == (0,)
        db.close()


def test_a_format_1_store_is_migrated_and_its_old_scans_start_no_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history written before the chain: its scans keep NULL hashes, new ones chain on."""
    state = tmp_path / "h.sqlite3"
    db = sqlite3.connect(state)
    db.executescript(
        """
        CREATE TABLE scans (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL, scope TEXT NOT NULL, partial INTEGER NOT NULL,
            schema_version TEXT NOT NULL, header TEXT NOT NULL);
        CREATE TABLE findings (scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL, status TEXT NOT NULL, body BLOB NOT NULL,
            PRIMARY KEY (scan_id, fingerprint));
        CREATE TABLE seen (fingerprint TEXT PRIMARY KEY, state TEXT NOT NULL,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
        PRAGMA user_version = 1;
        """
    )
    doc = night(0)
    db.execute(
        "INSERT INTO scans (started_at, finished_at, scope, partial, schema_version, header)"
        " VALUES (?, ?, ?, 0, '1.1.0', ?)",
        (
            doc.scan.started_at.isoformat(),
            doc.scan.finished_at.isoformat(),
            "aws:111122223333",
            doc.scan.model_copy(update={"id": None}).model_dump_json(exclude={"id"}),
        ),
    )
    db.commit()
    db.close()
    path = _write(tmp_path / "n1.json", _raw(1))
    code, _, _ = posture(capsys, "history", "import", "--state", str(state), str(path))
    assert code == ExitCode.OK
    code, out, _ = posture(capsys, "history", "verify", "--state", str(state))
    assert code == ExitCode.OK
    assert "1 of 2 scans chained" in out and "1 recorded before the chain" in out
