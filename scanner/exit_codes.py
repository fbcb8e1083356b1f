"""The exit codes of every `posture` command: the one table cron jobs and CI read."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    """Failing findings at or above `--fail-on`."""
    USAGE = 2
    """Bad input: one line on stderr, nothing scanned."""
    PARTIAL = 3
    """Some collection failed: the results are incomplete (wins over FINDINGS)."""
    DELIVERY = 4
    """The results exist, but the history or a sink did not get them."""
    TAMPERED = 5
    """Verification failed: a file of an audit pack, its signature or a scan of the history
    does not match its recorded hash (`posture audit verify`, `posture history verify`)."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT)."""
    TERMINATED = 143
    """SIGTERM (128 + SIGTERM)."""
