"""A scan of a thousand-account organisation records in a PostgreSQL history: scans are found
by the hash of their scope (migration 0005), not by a 17 KB scope PostgreSQL cannot index.
A store written before 0005 upgrades in place and finds its old scans by scope."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from scanner.history import database
from scanner.history.location import StateLocation, parse_state
from scanner.history.store import HistoryStore, scope_key, scope_of
from scanner.models.findings import FindingsDocument
from tests.nightly.documents import T0, document, finding
from tests.nightly.revisions import store_at

MFA = "aws.iam.user_console_without_mfa"
ACCOUNTS = tuple(f"{n:012d}" for n in range(1000))


def _organisation_scan(started: datetime = T0) -> FindingsDocument:
    return document(
        [finding(MFA, "ops", account=a) for a in ACCOUNTS], started=started, accounts=ACCOUNTS
    )


def test_a_thousand_account_scan_records_in_postgresql(pg_url: str) -> None:
    doc = _organisation_scan()
    assert len(scope_of(doc)) > 16_000
    with HistoryStore(parse_state(pg_url)) as store:
        store.record(doc)
        again = store.record(_organisation_scan(T0.replace(day=2)))
    assert again.previous is not None  # the second scan found the first by its scope


def _at_0004_with_a_scan(location: StateLocation) -> str:
    scope = "aws:111111111111"
    with store_at(location, "0004") as conn:
        conn.execute(
            text(
                "INSERT INTO scans (started_at, finished_at, scope, partial, schema_version, "
                "header) VALUES ('2026-12-01', '2026-12-01', :scope, 0, '1.2.0', '{}')"
            ),
            {"scope": scope},
        )
    return scope


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> StateLocation:
    if request.param == "sqlite":
        return tmp_path / "h.db"
    return parse_state(request.getfixturevalue("pg_url"))


def test_0005_backfills_the_scope_key(location: StateLocation) -> None:
    scope = _at_0004_with_a_scan(location)
    with HistoryStore(location) as store:
        with store._engine.connect() as conn:
            assert database.current_revision(conn) == database.head_revision()
            keys = conn.execute(text("SELECT scope_key FROM scans")).scalars().all()
        assert keys == [scope_key(scope)]
