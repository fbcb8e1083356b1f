"""The pieces of the window on small inputs: who is an admin, several scopes in one window,
and the dates `posture audit` accepts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scanner.audit.evidence import gather
from scanner.audit.populations import members_of
from scanner.audit.window import make_window, parse_range, selects
from scanner.errors import UsageError
from scanner.history import HistoryStore
from scanner.models.enums import Status
from scanner.models.findings import Finding, ScanTarget
from tests.audit.history import MFA, night


def _with(f: Finding, **update: object) -> Finding:
    return f.model_copy(update=update)


def _alice() -> Finding:
    return next(f for f in night(0).findings if f.resource.name == "alice")


def test_admins_are_read_from_privilege_evidence() -> None:
    alice = _alice()

    def admin(f: Finding) -> list[str]:
        return [m.detail for m in members_of(f) if m.population == "admins"]

    assert admin(alice) == []
    assert admin(_with(alice, evidence={"roles": ["Global Administrator"]})) == [
        "Global Administrator"
    ]
    assert admin(_with(alice, evidence={"is_admin": True})) == ["is_admin"]
    has_admin = _with(alice, check_id="aws.iam.user_has_admin")
    assert admin(has_admin) == [] and admin(_with(has_admin, status=Status.FAIL)) != []
    assert list(members_of(_with(alice, status=Status.ERROR))) == []
    assert list(members_of(_with(alice, provider="identity"))) == []
    keys = [
        m.uid
        for m in members_of(_with(alice, evidence={"active_key_slots": [1, 2]}))
        if m.population == "credentials"
    ]
    assert keys == [f"{alice.resource.uid}#access-key-1", f"{alice.resource.uid}#access-key-2"]


def test_a_day_missing_one_of_two_scopes_is_incomplete(tmp_path: Path) -> None:
    other = ScanTarget(provider="okta", account="acme.okta.com")

    def okta(n: int) -> object:
        doc = night(n)
        header = doc.scan.model_copy(update={"id": f"okta-{n}", "targets": (other,)})
        findings = tuple(_with(f, provider="okta", account="acme.okta.com") for f in doc.findings)
        return doc.model_copy(update={"scan": header, "findings": findings})

    with HistoryStore(tmp_path / "h.sqlite3") as store:
        for doc in (night(0), okta(0), night(1)):
            store.record(doc)  # type: ignore[arg-type]
        evidence = gather(store, make_window("2026-01-01", "2026-01-02"))
    assert evidence.scopes == ("aws:111122223333", "okta:acme.okta.com")
    assert [(d.day, d.complete, len(d.counted)) for d in evidence.days] == [
        (date(2026, 1, 1), True, 2),
        (date(2026, 1, 2), False, 1),
    ]
    assert evidence.incomplete_days == [date(2026, 1, 2)]
    mfa = next(c for c in evidence.checks if c.check_id == MFA)
    assert [s.value for s in mfa.states] == ["pass", "pass"]
    with HistoryStore(tmp_path / "h.sqlite3", read_only=True) as store:
        only = gather(store, make_window("2026-01-01", "2026-01-02"), ["acme.okta.com"])
    assert only.scopes == ("okta:acme.okta.com",) and len(only.scans) == 1
    assert selects("aws:1,okta:acme.okta.com", ["okta:acme.okta.com"])


def test_window_dates() -> None:
    assert make_window("2026-01-01", "2026-01-01").days == (date(2026, 1, 1),)
    # A timestamp counts by its UTC day.
    assert make_window("2026-01-01T23:30:00-02:00", "2026-01-03").start == date(2026, 1, 2)
    assert parse_range("2026-01-01..2026-01-31").end == date(2026, 1, 31)
    for bad in (("2026-02-30", "2026-03-01"), ("2026-03-02", "2026-03-01"), ("x", "y")):
        with pytest.raises(UsageError):
            make_window(*bad)
    assert datetime(2026, 1, 1, 23, 59, tzinfo=UTC) in make_window("2026-01-01", "2026-01-01")
