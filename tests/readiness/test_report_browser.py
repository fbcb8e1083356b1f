"""The HTML report opened in a real browser (headless Debian Chromium) shows the JSON's counts."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.models.enums import Status
from scanner.models.findings import FindingsDocument
from scanner.report.areas import area_of
from scanner.report.history import record_of
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, render_report
from tests.readiness.report_documents import parse, sample

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)


def test_browser_shows_the_json_counts(tmp_path: Path) -> None:
    doc_json = sample(WHEN).model_dump_json()
    doc = FindingsDocument.model_validate_json(doc_json)  # what ticketing would read
    page = tmp_path / "report.html"
    report = build_report(doc, [record_of(sample(datetime(2026, 11, 19, tzinfo=UTC)))], now=WHEN)
    page.write_text(render_report(report, ReportFormat.HTML), encoding="utf-8")

    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    shown = parse(dom)

    by_status = doc.scan.summary.by_status
    assert shown.totals == {
        "fail": by_status[Status.FAIL],
        "pass": by_status[Status.PASS],
        "error": by_status[Status.ERROR],
        "muted": by_status[Status.MUTED],
    }
    expected: dict[str, Counter[str]] = {}
    for f in doc.findings:
        expected.setdefault(area_of(f).key, Counter())[f.status.value] += 1
    for key, counts in shown.areas.items():
        want = expected.get(key, Counter())
        assert counts == {s: want.get(s, 0) for s in ("pass", "fail", "error", "muted")}, key
    assert shown.external == []
    # The inline filter script ran (offline) and showed its controls.
    assert '<div id="filter">' in dom and '<div id="filter" hidden' not in dom

    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1800", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000
