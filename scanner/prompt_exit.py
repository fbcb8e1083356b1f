"""Ending the process when calls abandoned at the scan deadline still hang.

Python joins every non-daemon thread (thread-pool workers included) before it exits, so one
call hung past the deadline would keep a finished scan alive until its own timeout. By the
time this runs, history is committed and outputs are written and closed; only buffered
streams and log handlers are left to flush, which `os._exit` would otherwise skip.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from typing import NoReturn


def lingering_threads() -> list[threading.Thread]:
    """Non-daemon threads other than this one that are still running."""
    current = threading.current_thread()
    return [t for t in threading.enumerate() if t is not current and not t.daemon and t.is_alive()]


def exit_promptly(code: int) -> NoReturn:
    """`sys.exit(code)`, or, with threads still running, flush and end the process now."""
    if not lingering_threads():
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to write
            stream.flush()
    logging.shutdown()
    os._exit(code)
