"""Running a piece of posture in a child process under an address-space limit: what a test
of a memory-bound case uses, so that a regression fails the test rather than the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_with_memory_limit(
    code: str, limit_bytes: int, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`code` (dedented) in a fresh interpreter with RLIMIT_AS at `limit_bytes`, the tree on
    its path; its exit code, stdout and stderr."""
    prelude = (
        f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=False,
    )
