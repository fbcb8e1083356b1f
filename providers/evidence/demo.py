"""The demo evidence set: a packaged example directory, its dates moved to today.

The files under fixtures/evidence/demo/ are written as of `REFERENCE_DATE`; the demo copies
them to a temporary directory with every ISO date shifted by the days since then, so the demo
shows the same gaps (and the same passes) on any day.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fixtures import FIXTURES_DIR
from scanner.config import PostureConfig

DEMO_DIR = FIXTURES_DIR / "evidence" / "demo"
REFERENCE_DATE = date(2026, 6, 15)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def shift_dates(text: str, days: int) -> str:
    def moved(m: re.Match[str]) -> str:
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return m.group(0)
        return (day + timedelta(days=days)).isoformat()

    return _ISO_DATE.sub(moved, text)


def materialise(target: Path, today: date) -> Path:
    """Copies the demo set below `target` with its dates moved to `today`."""
    days = (today - REFERENCE_DATE).days
    for source in sorted(DEMO_DIR.rglob("*")):
        if source.is_dir() or source.suffix not in {".yaml", ".csv", ".md"}:
            continue
        dest = target / source.relative_to(DEMO_DIR)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(shift_dates(source.read_text(encoding="utf-8"), days), encoding="utf-8")
    return target


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    workdir = Path(tempfile.mkdtemp(prefix="posture-evidence-demo-"))
    try:
        root = materialise(workdir / "evidence", datetime.now(UTC).date())
        evidence = config.evidence.model_copy(update={"dir": root})
        yield config.model_copy(update={"evidence": evidence})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
