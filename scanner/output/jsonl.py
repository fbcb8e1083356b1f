"""One finding per line (JSON Lines), for log pipelines and SIEMs that ingest line by line."""

from __future__ import annotations

from scanner.models.findings import FindingsDocument


def render(doc: FindingsDocument) -> str:
    return "".join(f.model_dump_json() + "\n" for f in doc.findings)
