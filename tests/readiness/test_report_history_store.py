"""The readiness report reads the SQLite history `posture scan` records into."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.history import HistoryStore
from scanner.report.history import StoreHistory

pytest.importorskip("moto")


def posture(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0)


def trend_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-trend="([^"]+)"', html)


def test_report_latest_after_ordinary_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state" / "history.sqlite3"
    assert posture("scan", "--demo", "--provider", "aws", "--state", str(state), "-q") == 1
    monkeypatch.setenv("POSTURE_STATE", str(state))  # the variable works like --state
    assert posture("scan", "--demo", "--provider", "aws", "-q") == 1
    with HistoryStore(state, read_only=True) as store:
        scans = store.scans()
    assert len(scans) == 2
    capsys.readouterr()

    out = tmp_path / "r.html"
    assert posture("report", "--latest", "--format", "html", "--output", str(out)) == 0
    html = out.read_text(encoding="utf-8")
    assert sorted(trend_rows(html)) == sorted(s.started_at.isoformat() for s in scans)
    assert 'data-current="true"' in html
    assert "No earlier scans in the history yet" not in html
    latest = StoreHistory(state).latest()
    assert latest is not None and latest.scan.started_at == scans[0].started_at
    fails = latest.scan.summary.by_status["fail"]
    assert f"| {fails} |" in (md := _markdown(tmp_path, "--state", str(state)))
    assert "(this scan)" in md

    # --scan FILE takes the trend of the same accounts from the store too.
    doc = tmp_path / "scan.json"
    assert posture("history", "show", str(scans[0].id)) == 0
    doc.write_text(capsys.readouterr().out, encoding="utf-8")
    assert posture("report", "--scan", str(doc), "--output", str(out)) == 0
    assert len(trend_rows(out.read_text(encoding="utf-8"))) == 2


def _markdown(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "r.md"
    assert posture("report", "--latest", "--format", "markdown", "--output", str(out), *args) == 0
    return out.read_text(encoding="utf-8")


def test_report_follows_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("POSTURE_STATE", raising=False)
    assert posture("report", "--latest") == 2
    err = capsys.readouterr().err
    assert "--latest needs the scan history" in err and str(tmp_path / "xdg") in err
    assert posture("scan", "--demo", "--provider", "aws", "-q") == 1
    assert (tmp_path / "xdg" / "posture" / "history.sqlite3").is_file()
    md = _markdown(tmp_path)
    assert "## Trend" in md and "(this scan)" in md


def test_trend_keeps_to_the_scope_of_the_report(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.readiness.report_documents import sample

    state = tmp_path / "h.sqlite3"
    base = datetime(2026, 11, 20, 2, tzinfo=UTC)
    with HistoryStore(state) as store:
        for day in range(3):
            store.record(sample(base + timedelta(days=day)))
        other = sample(base + timedelta(days=3))
        header = other.scan.model_copy(update={"targets": ()})
        store.record(other.model_copy(update={"scan": header}))
    history = StoreHistory(state, scope=None)
    latest = history.latest()
    assert latest is not None and latest.scan.targets == ()
    assert len(history.records()) == 1  # only the scan of the same (empty) scope
    scoped = StoreHistory(state, scope="aws:111122223333,evidence:Acme")
    records = scoped.records()
    assert [r.started_at for r in records] == [base + timedelta(days=d) for d in range(3)]
    assert all(r.failing for r in records)
