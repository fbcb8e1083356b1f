"""The pack's index.html opened in headless Chromium (as the readiness report's test does):
offline, it shows window.json's numbers, a calendar cell per day, and links only into the pack.
"""

from __future__ import annotations

import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.audit.conftest import audit
from tests.readiness.test_report_browser import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.summary: dict[str, int] = {}
        self.calendars: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.exceptions: list[str] = []
        self.gaps: list[str] = []
        self._criterion: str | None = None
        self._summary: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "link", "img", "iframe") or a.get("src"):
            self.links.append(f"<{tag}>")
        if "href" in a:
            self.links.append(a["href"])
        if "data-window-criterion" in a:
            self._criterion = a["data-window-criterion"]
            self.calendars[self._criterion] = []
        if "data-state" in a and self._criterion is not None:
            self.calendars[self._criterion].append(a["data-state"])
        if "data-summary" in a:
            self._summary = a["data-summary"]
        if "data-exception" in a:
            self.exceptions.append(a["data-exception"])
        if "data-gap" in a:
            self.gaps.append(a["data-gap"])

    def handle_data(self, data: str) -> None:
        if self._summary is not None and data.strip():
            self.summary[self._summary] = int(data)
            self._summary = None


def test_index_shows_the_window_offline(
    tmp_path: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack.zip"
    code, _, _ = audit(capsys, imported, pack)
    assert code == 0
    folder = tmp_path / "pack"
    with zipfile.ZipFile(pack) as z:
        z.extractall(folder)
    window = json.loads((folder / "window.json").read_text())
    page = folder / "index.html"

    shown = PageParser()
    shown.feed(chromium(tmp_path, "--dump-dom", page.as_uri()).stdout)

    assert (
        shown.summary
        == {
            "complete-days": sum(1 for d in window["days"] if d["complete"]),
            "days-without-scan": len(window["days_without_scan"]),
            "incomplete-days": len(window["incomplete_days"]),
            "outside-sla": window["exceptions"]["outside_sla"],
        }
        == {"complete-days": 175, "days-without-scan": 3, "incomplete-days": 2, "outside-sla": 2}
    )
    cc61 = shown.calendars["CC6.1"]
    assert len(cc61) == 180 and cc61.count("no_scan") == 3
    # Failing on bob's 43 scanned days, root's 5 and the key's 89 after its waiver expired.
    assert cc61.count("fail") == 43 + 5 + 89
    assert len(shown.exceptions) == window["exceptions"]["total"] == 3
    assert shown.gaps == window["days_without_scan"]
    assert "<script>" not in shown.links
    for link in shown.links:
        assert not link.startswith(("http:", "https:", "//", "<")), link
        if not link.startswith("#"):
            assert (folder / link).is_file(), link

    shot = tmp_path / "index.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000
