"""The SQLite history: first/last seen, whole-or-nothing scans, overlapping cron runs."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from scanner.errors import UsageError
from scanner.history import HistoryStore
from scanner.models.enums import Status
from tests.nightly.documents import T0, document, finding

MFA = "aws.iam.user_console_without_mfa"


def day(n: int) -> object:
    return T0 + timedelta(days=n)


def test_first_seen_is_kept_across_scans_and_restarts_after_resolution(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db") as store:
        first = store.record(document([finding(MFA, "alice")], started=T0))
        assert first.previous is None and len(first.diff.new) == 1
        second = store.record(document([finding(MFA, "alice")], started=T0 + timedelta(days=1)))
        alice = second.document.findings[0]
        assert (alice.first_seen, alice.last_seen) == (T0, T0 + timedelta(days=1))
        assert len(second.diff.unchanged) == 1 and second.previous is not None
        fixed = store.record(
            document([finding(MFA, "alice", status=Status.PASS)], started=T0 + timedelta(days=2))
        )
        assert len(fixed.diff.resolved) == 1
        back = store.record(document([finding(MFA, "alice")], started=T0 + timedelta(days=3)))
        assert back.document.findings[0].first_seen == T0 + timedelta(days=3)
        assert len(back.diff.new) == 1
        assert [s.id for s in store.scans()] == [4, 3, 2, 1]


def test_since_last_compares_scans_of_the_same_accounts(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db") as store:
        store.record(document([finding(MFA, "alice")], started=T0))
        store.record(
            document([finding(MFA, "zed", account="222222222222")], accounts=("222222222222",))
        )
        again = store.record(document([finding(MFA, "alice")], started=T0 + timedelta(days=1)))
        assert again.previous is not None
        assert {t.account for t in again.previous.scan.targets} == {"123456789012"}
        assert len(again.diff.unchanged) == 1 and not again.diff.new


def test_a_failed_record_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.db"
    with HistoryStore(path) as store:
        store.record(document([finding(MFA, "alice")], started=T0))

        def crash(*_: object) -> None:
            raise RuntimeError("power cut")

        monkeypatch.setattr(HistoryStore, "_prune", staticmethod(crash))
        with pytest.raises(RuntimeError):
            store.record(document([finding(MFA, "bob")], started=T0 + timedelta(days=1)))
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM scans").fetchone() == (1,)
    assert db.execute("SELECT COUNT(*) FROM findings").fetchone() == (1,)
    assert db.execute("SELECT COUNT(*) FROM seen").fetchone() == (1,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _record_many(path: str, worker: int, count: int) -> None:
    with HistoryStore(Path(path)) as store:
        for i in range(count):
            users = [finding(MFA, f"user{worker}-{n}") for n in range(50)]
            store.record(document(users, started=T0 + timedelta(minutes=worker * 100 + i)))


def test_overlapping_runs_both_land_whole(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    HistoryStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_record_many, args=(str(path), w, 8)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM scans").fetchone() == (16,)
    per_scan = db.execute("SELECT COUNT(*) FROM findings GROUP BY scan_id").fetchall()
    assert per_scan == [(50,)] * 16
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_old_scans_are_pruned(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db") as store:
        for n in range(5):
            store.record(
                document([finding(MFA, "alice")], started=T0 + timedelta(days=n)), keep_scans=3
            )
        assert [s.id for s in store.scans()] == [5, 4, 3]
        assert store.document(5).findings[0].first_seen == T0


def test_store_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "state" / "h.db"
    with HistoryStore(path) as store:
        store.record(document([finding(MFA, "alice")]))
    assert path.stat().st_mode & 0o077 == 0


def test_not_a_database_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_text("this is not sqlite, it is a text file long enough to have a header" * 20)
    with pytest.raises(UsageError, match=r"history store .*h\.db"):
        HistoryStore(path)


def test_default_path_follows_xdg_state_home(tmp_path: Path) -> None:
    from scanner.history import default_state_path

    assert default_state_path() == tmp_path / "xdg-state" / "posture" / "history.sqlite3"


def test_read_only_opening_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with HistoryStore(path) as store:
        store.record(document([finding(MFA, "alice")]))
    before = path.stat().st_mtime_ns
    with HistoryStore(path, read_only=True) as store:
        assert len(store.scans()) == 1
        with pytest.raises(OperationalError, match="readonly"):
            store.connection.exec_driver_sql("DELETE FROM scans")
    assert path.stat().st_mtime_ns == before
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(UsageError, match="not a posture history"):
        HistoryStore(other, read_only=True)
