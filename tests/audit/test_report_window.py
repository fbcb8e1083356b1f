"""`posture report --window FROM..TO`: the readiness report shows the audit window."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.conftest import posture


def test_report_window_shows_the_audit_window(
    tmp_path: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def report(out: Path, *args: str) -> tuple[int, str, str]:
        return posture(
            capsys,
            "report",
            "--latest",
            "--state",
            str(imported),
            "--window",
            "2026-01-01..2026-06-29",
            "--output",
            str(out),
            *args,
        )

    out = tmp_path / "report.html"
    code, _, err = report(out)
    assert code == 0, err
    html = out.read_text()
    assert 'id="window-coverage"' in html and 'data-window-criterion="CC6.1"' in html
    assert html.count('data-state="no_scan"') >= 3
    assert html.count("data-exception=") == 3 and html.count("data-gap=") == 3
    md = tmp_path / "report.md"
    code, _, _ = report(md, "--format", "markdown")
    assert code == 0 and "## Audit window 2026-01-01 to 2026-06-29" in md.read_text()
    for bad in ("2026-01-01", "2026-06-01..2026-01-01", "x..y"):
        code, _, err = posture(
            capsys, "report", "--latest", "--state", str(imported), "--window", bad
        )
        assert code == 2 and len(err.strip().splitlines()) == 1, bad
