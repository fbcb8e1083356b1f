"""Runs a command and writes its own resource usage (JSON) to a file.

The benchmark runs scanners through this small, freshly started process rather than forking
them from itself: Linux counts the memory a child held between fork and exec in its peak RSS,
so a child forked from the benchmark (which holds the whole moto account) would be charged
for the benchmark's memory.

    python -m bench.launch USAGE.json COMMAND [ARG...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    usage_path, command = Path(sys.argv[1]), sys.argv[2:]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    usage_path.write_text(
        json.dumps(
            {
                "exit_code": os.waitstatus_to_exitcode(status),
                "wall_seconds": time.perf_counter() - started,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_kb": usage.ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    main()
