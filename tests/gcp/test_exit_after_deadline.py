"""`posture scan` exits at its deadline even while an abandoned call still hangs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from providers.demo.fakes.gcp import FakeGcp
from providers.demo.fakes.server import Fault
from providers.gcp.clients import ENDPOINT_ENV
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.inventory import gcp as inv

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 1.5


def test_a_scan_with_a_hung_call_exits_soon_after_its_deadline(
    fake: FakeGcp, tmp_path: Path
) -> None:
    # Hangs far longer than the deadline; the call's own timeout (60 s) would end it later.
    fake.inject(Fault("/sqladmin/v1/projects/acme-prod/", 200, {}, delay_seconds=120))
    config = tmp_path / "posture.yaml"
    config.write_text(
        f"gcp:\n  organization: '482019374651'\n  scan_timeout_seconds: {DEADLINE}\n",
        encoding="utf-8",
    )
    out = tmp_path / "findings.json"
    argv = ["scan", "--provider", "gcp", "--config", str(config), "--output", f"json={out}"]
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", "from scanner.cli import main; main()", *argv, "--no-history", "-q"],
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            ALLOW_INSECURE_ENV: "1",
            ENDPOINT_ENV: fake.url,
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    elapsed = time.monotonic() - started
    assert run.returncode == 3, run.stderr  # partial
    # Interpreter start-up and imports take a few seconds; the hung call would take 60.
    assert elapsed < DEADLINE + 10, elapsed
    doc = json.loads(out.read_text(encoding="utf-8"))
    errors = {(e["account"], e["collection"]) for e in doc["scan"]["errors"]}
    assert ("acme-prod", inv.SQL_INSTANCES) in errors
    assert doc["findings"]  # the whole document was written
    assert "not finished within the scan deadline" in run.stderr
