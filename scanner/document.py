"""What outputs, waivers, history and sinks read: a header and findings in document order.

`FindingsDocument` is the JSON contract, held whole in memory (read back from a file or the
history). A scan's own document is a `SpooledDocument`: its findings live in a spool on disk
and are read one by one, so a scan's memory does not grow with its number of findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from scanner.models.enums import Severity, Status
from scanner.models.findings import (
    SCHEMA_VERSION,
    Finding,
    FindingsDocument,
    ScanHeader,
    ScanSummary,
)
from scanner.spool import FindingsSpool, sort_key


class Document(Protocol):
    @property
    def schema_version(self) -> str: ...

    @property
    def scan(self) -> ScanHeader: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The document's deterministic order."""
    return tuple(sorted(findings, key=sort_key))


def summarise(findings: Iterable[Finding]) -> ScanSummary:
    by_status: Counter[Status] = Counter()
    failed: Counter[Severity] = Counter()
    total = 0
    for f in findings:
        total += 1
        by_status[f.status] += 1
        if f.status is Status.FAIL:
            failed[f.severity] += 1
    return ScanSummary(
        total=total,
        by_status={s: by_status.get(s, 0) for s in Status},
        failed_by_severity={s: failed.get(s, 0) for s in Severity},
    )


@dataclass(frozen=True)
class SpooledDocument:
    scan: ScanHeader
    findings: FindingsSpool
    schema_version: str = SCHEMA_VERSION

    def materialize(self) -> FindingsDocument:
        return FindingsDocument(
            schema_version=self.schema_version, scan=self.scan, findings=tuple(self.findings)
        )

    def close(self) -> None:
        self.findings.close()


def spooled(header: ScanHeader, findings: Iterable[Finding]) -> SpooledDocument:
    """A document over `findings`, with the header's summary counted from them."""
    spool = FindingsSpool(findings)
    return SpooledDocument(
        scan=header.model_copy(update={"summary": spool.summary()}), findings=spool
    )


def with_findings(doc: Document, findings: Iterable[Finding]) -> Document:
    """`doc` with other findings (re-ordered, re-counted), kept the way `doc` keeps them."""
    if isinstance(doc, SpooledDocument):
        return spooled(doc.scan, findings)
    kept = ordered(findings)
    header = doc.scan.model_copy(update={"summary": summarise(kept)})
    return FindingsDocument(schema_version=doc.schema_version, scan=header, findings=kept)
