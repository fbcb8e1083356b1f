"""Sinks: where new and resolved findings go after the results are written (ticketing, hooks).

A sink never raises past `run_sinks`: each failure is reported and turns into exit code 4.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from scanner.diff import FindingsDiff
from scanner.document import Document
from scanner.errors import PostureError

log = logging.getLogger(__name__)


class SinkError(PostureError):
    """A sink could not deliver; the message is safe to print (no secrets)."""


@dataclass
class SinkReport:
    name: str
    ok: bool = True
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    detail: str = ""

    def describe(self) -> str:
        done = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()) if n) or "nothing to do"
        more = f" ({self.detail})" if self.detail else ""
        return f"{self.name}: {done}{more}" if self.ok else f"{self.name} failed: {self.error}"


class Sink(Protocol):
    name: str

    def deliver(self, doc: Document, changes: FindingsDiff) -> SinkReport: ...

    def preview(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        """What `deliver` would send, sending nothing (`posture scan --dry-run`)."""
        ...


SinkFactory = Callable[[], Sink]


def run_sinks(
    factories: Sequence[tuple[str, SinkFactory]],
    doc: Document,
    changes: FindingsDiff,
    dry_run: bool = False,
) -> list[SinkReport]:
    """Each sink delivers (or, on a dry run, previews) in turn; one failing costs no other."""
    reports = []
    for name, factory in factories:
        try:
            sink = factory()
            report = sink.preview(doc, changes) if dry_run else sink.deliver(doc, changes)
        except PostureError as exc:
            report = SinkReport(name, ok=False, error=str(exc))
        except Exception as exc:  # a sink bug must not cost the scan; never print the exception
            log.debug("sink %s raised", name, exc_info=True)
            report = SinkReport(name, ok=False, error=f"unexpected {type(exc).__name__}")
        (log.info if report.ok else log.error)("sink %s", report.describe())
        reports.append(report)
    return reports
