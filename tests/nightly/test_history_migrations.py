"""The history's migrations: a format-1 SQLite store upgrades in place, nothing lost; the same
schema and behaviour on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from scanner.errors import UsageError
from scanner.history import HistoryStore
from scanner.history.database import head_revision
from scanner.history.location import DatabaseUrl, parse_state
from scanner.models.enums import Status
from tests.nightly.documents import T0, document, finding

FORMAT1 = Path(__file__).parents[2] / "fixtures" / "history" / "format1.sqlite3"
MFA = "aws.iam.user_console_without_mfa"


def test_a_format1_store_upgrades_in_place_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FORMAT1, path)
    raw = sqlite3.connect(path)
    before = raw.execute(
        "SELECT s.id, s.scope, s.header, f.fingerprint, f.status, f.body FROM findings f"
        " JOIN scans s ON s.id = f.scan_id ORDER BY f.rowid"
    ).fetchall()
    seen_before = raw.execute("SELECT * FROM seen ORDER BY fingerprint").fetchall()
    raw.close()
    with pytest.raises(UsageError, match="format 1: the next `posture scan`"):
        HistoryStore(path, read_only=True)

    with HistoryStore(path) as store:
        assert [s.id for s in store.scans()] == [3, 2, 1]
        second = store.document(2)
        # Document order survives (format 1 kept it in rowid order).
        assert [f.fingerprint for f in second.findings] == [r[3] for r in before if r[0] == 2]
        fourth = document([finding(MFA, "alice")], started=T0 + timedelta(days=2))
        again = store.record(
            fourth.model_copy(update={"scan": fourth.scan.model_copy(update={"id": "scan-4"})})
        )
        # alice's streak began in the format-1 data and carries on.
        assert again.document.findings[0].first_seen == T0
        assert again.previous is not None and len(again.diff.unchanged) == 1

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (2,)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    after = raw.execute(
        "SELECT s.id, s.scope, s.header, f.fingerprint, f.status, f.body FROM findings f"
        " JOIN scans s ON s.id = f.scan_id WHERE s.id <= 3 ORDER BY f.position"
    ).fetchall()
    assert after == before
    old_seen = {r[0]: r for r in seen_before}
    new_seen = {r[0]: r for r in raw.execute("SELECT * FROM seen")}
    assert set(old_seen) == set(new_seen)
    chain = raw.execute("SELECT uid, prev_hash, record_hash FROM scans ORDER BY id").fetchall()
    # Format-1 scans stay unchained; the first scan recorded after the upgrade starts the chain.
    assert chain[:3] == [(None, None, None)] * 3
    assert chain[3][:2] == ("scan-4", None) and len(chain[3][2]) == 64
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    tables = set(inspect(create_engine(f"sqlite:///{path}")).get_table_names())
    assert {"runs", "jobs", "run_findings", "scans", "findings", "seen"} <= tables
    with HistoryStore(path, read_only=True) as store:
        assert len(store.scans()) == 4


def test_a_store_from_a_newer_posture_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    HistoryStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    with pytest.raises(UsageError, match="newer"):
        HistoryStore(path)


def test_state_urls_hide_their_password() -> None:
    location = parse_state("postgresql://scanner:hunter2@db.internal:5432/posture")
    assert isinstance(location, DatabaseUrl)
    assert "hunter2" not in str(location) and "db.internal" in str(location)
    assert location.url.drivername == "postgresql+psycopg"
    with pytest.raises(UsageError, match="expected a file path or postgresql"):
        parse_state("mysql://x/y")


def test_the_history_on_postgresql(pg_url: str) -> None:
    """The same behaviour as on SQLite: streaks, resolution, scope, pruning, order."""
    location = parse_state(pg_url)
    with HistoryStore(location) as store:
        first = store.record(document([finding(MFA, "alice"), finding(MFA, "bob")], started=T0))
        assert first.previous is None and len(first.diff.new) == 2
        second = store.record(
            document(
                [finding(MFA, "alice"), finding(MFA, "bob", status=Status.PASS)],
                started=T0 + timedelta(days=1),
            ),
        )
        alice = next(f for f in second.document.findings if f.resource.name == "alice")
        assert (alice.first_seen, alice.last_seen) == (T0, T0 + timedelta(days=1))
        assert len(second.diff.resolved) == 1
        back = store.record(document([finding(MFA, "bob")], started=T0 + timedelta(days=2)))
        assert back.document.findings[0].first_seen == T0 + timedelta(days=2)
        for n in range(3, 6):
            store.record(
                document([finding(MFA, "alice")], started=T0 + timedelta(days=n)), keep_scans=3
            )
        assert [s.id for s in store.scans()] == [6, 5, 4]
        assert store.document(6).findings[0].first_seen == T0 + timedelta(days=3)
    # Reopened: already at head, nothing re-run; read-only reads work.
    with HistoryStore(location, read_only=True) as store:
        latest = store.latest()
        assert latest is not None and latest.findings[0].resource.name == "alice"
    tables = set(inspect(create_engine(location.url)).get_table_names())
    assert {"runs", "jobs", "run_findings", "alembic_version"} <= tables


def test_an_empty_postgresql_database_has_no_history_yet(pg_url: str) -> None:
    with pytest.raises(UsageError, match=r"no history at .* yet"):
        HistoryStore(parse_state(pg_url), read_only=True)
