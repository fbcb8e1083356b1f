"""Writing the evidence pack (docs/audit.md is its contract): a zip whose `manifest.csv` lists
every other file with its SHA-256 and size, optionally signed (`manifest.sig`)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scanner import __version__
from scanner.audit import exceptions, populations, waiver_log
from scanner.audit.evidence import WindowEvidence
from scanner.audit.page import render_index
from scanner.audit.signing import fingerprint, sign
from scanner.audit.window import scan_name
from scanner.history.store import ChainLink
from scanner.models.findings import FindingsDocument
from scanner.output.csv_format import safe_cell
from scanner.output.files import atomic_binary_writer

PACK_FORMAT = "1.0"
MANIFEST = "manifest.csv"
SIGNATURE = "manifest.sig"
MANIFEST_COLUMNS = ("path", "sha256", "bytes")
CHAIN_COLUMNS = (
    "scan",
    "history_id",
    "scope",
    "started_at",
    "partial",
    "prev_hash",
    "record_hash",
    "in_window",
    "document",
)
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """RFC 4180 CSV with a header; text a spreadsheet would run as a formula is defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in columns])
    return out.getvalue()


def document_path(link: ChainLink) -> str:
    name = _SAFE_NAME.sub("_", scan_name(link))[:80]
    return f"scans/{link.started_at.astimezone(UTC):%Y%m%dT%H%M%SZ}-{name}.json"


class _Pack:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.manifest: list[dict[str, str]] = []

    def add(self, path: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        info = zipfile.ZipInfo(path, date_time=_ENTRY_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.archive.writestr(info, raw)
        if path not in (MANIFEST, SIGNATURE):
            self.manifest.append(
                {"path": path, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": str(len(raw))}
            )


def window_json(
    evidence: WindowEvidence, generated: datetime, key_fingerprint: str | None
) -> dict[str, object]:
    w = evidence.window
    heads: dict[str, str | None] = {}
    for link in evidence.chain:
        heads[link.scope] = link.record_hash
    episodes = evidence.episodes
    rows = [e.row(w.end, evidence.sla) for e in episodes]
    return {
        "pack_format": PACK_FORMAT,
        "from": w.start.isoformat(),
        "to": w.end.isoformat(),
        "day": "UTC calendar day",
        "tool": "posture",
        "tool_version": __version__,
        "generated_at": generated.isoformat(timespec="seconds"),
        "scopes": list(evidence.scopes),
        "scans": len(evidence.scans),
        "sla_days": evidence.sla.model_dump(mode="json"),
        "signature": (
            {"file": SIGNATURE, "algorithm": "ed25519", "public_key_fingerprint": key_fingerprint}
            if key_fingerprint
            else None
        ),
        "chain": {
            "file": "chain.csv",
            "verified": not evidence.chain_problems,
            "problems": [str(p) for p in evidence.chain_problems],
            "heads": heads,
        },
        "days_without_scan": [d.isoformat() for d in evidence.days_without_scan],
        "incomplete_days": [d.isoformat() for d in evidence.incomplete_days],
        "exceptions": {
            "total": len(rows),
            "open": sum(1 for r in rows if not r["resolved"]),
            "outside_sla": sum(1 for r in rows if r["within_sla"] == "false"),
        },
        "days": [d.as_json() for d in evidence.days],
        "checks": [c.as_json() for c in evidence.checks],
    }


def chain_rows(evidence: WindowEvidence) -> list[dict[str, str]]:
    inside = {link.id for link in evidence.scans}
    return [
        {
            "scan": scan_name(link),
            "history_id": str(link.id),
            "scope": link.scope,
            "started_at": link.started_at.isoformat(),
            "partial": str(link.partial).lower(),
            "prev_hash": link.prev_hash or "",
            "record_hash": link.record_hash or "",
            "in_window": str(link.id in inside).lower(),
            "document": document_path(link) if link.id in inside else "",
        }
        for link in evidence.chain
    ]


def population_files(evidence: WindowEvidence) -> dict[str, str]:
    pops = evidence.populations
    files: dict[str, str] = {}
    for name in populations.POPULATIONS:
        for edge, members in (("first", pops.first), ("last", pops.last)):
            rows = sorted(
                (m.row(scan) for m, scan in (members or {}).values() if m.population == name),
                key=lambda r: (r["provider"], r["account"], r["uid"]),
            )
            files[f"populations/{name}-{edge}.csv"] = csv_text(populations.COLUMNS, rows)
        changes = [c.row() for c in pops.changes if c.member.population == name]
        files[f"populations/{name}-changes.csv"] = csv_text(populations.CHANGE_COLUMNS, changes)
    return files


def write_pack(
    output: Path,
    evidence: WindowEvidence,
    documents: Iterable[tuple[ChainLink, FindingsDocument]],
    sign_key: Ed25519PrivateKey | None = None,
    generated: datetime | None = None,
) -> list[str]:
    """Writes the pack atomically; returns the manifest's paths."""
    when = generated or datetime.now(UTC)
    key_fp = fingerprint(sign_key.public_key()) if sign_key is not None else None
    with atomic_binary_writer(output) as handle, zipfile.ZipFile(handle, "w") as archive:
        pack = _Pack(archive)
        body = window_json(evidence, when, key_fp)
        pack.add("window.json", json.dumps(body, indent=2) + "\n")
        pack.add(
            "exceptions.csv",
            csv_text(
                exceptions.COLUMNS,
                (e.row(evidence.window.end, evidence.sla) for e in evidence.episodes),
            ),
        )
        pack.add(
            "waivers.csv",
            csv_text(waiver_log.COLUMNS, (e.row(evidence.window) for e in evidence.waivers)),
        )
        for path, text in population_files(evidence).items():
            pack.add(path, text)
        pack.add("chain.csv", csv_text(CHAIN_COLUMNS, chain_rows(evidence)))
        for link, doc in documents:
            pack.add(document_path(link), doc.model_dump_json(indent=2) + "\n")
        pack.add("index.html", render_index(evidence, body, when))
        manifest = csv_text(MANIFEST_COLUMNS, pack.manifest).encode("utf-8")
        pack.add(MANIFEST, manifest)
        if sign_key is not None:
            pack.add(SIGNATURE, sign(sign_key, manifest))
        return [m["path"] for m in pack.manifest]
