"""Findings as CSV for spreadsheets; cells that a spreadsheet would run as formulas are defused."""

from __future__ import annotations

import csv
from typing import TextIO

from scanner.document import Document
from scanner.models.findings import Finding

COLUMNS = (
    "fingerprint",
    "check_id",
    "status",
    "severity",
    "category",
    "soc2",
    "provider",
    "account",
    "region",
    "resource_uid",
    "resource_type",
    "resource_name",
    "message",
    "remediation",
    "first_seen",
    "last_seen",
    "waiver_reason",
    "waiver_owner",
    "waiver_expires",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    # A resource name such as `=HYPERLINK(...)` is attacker-controlled: never a live formula.
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(f: Finding) -> list[str]:
    w = f.waiver
    values = (
        f.fingerprint,
        f.check_id,
        f.status.value,
        f.severity.value,
        f.category.value,
        ";".join(f.soc2),
        f.provider,
        f.account,
        f.region or "",
        f.resource.uid,
        f.resource.type,
        f.resource.name,
        f.message,
        f.remediation,
        f.first_seen.isoformat(),
        f.last_seen.isoformat(),
        w.reason if w else "",
        w.owner if w else "",
        w.expires.isoformat() if w else "",
    )
    return [safe_cell(v) for v in values]


def write(doc: Document, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in doc.findings:
        writer.writerow(_row(f))
