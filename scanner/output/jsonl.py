"""One finding per line (JSON Lines), for log pipelines and SIEMs that ingest line by line."""

from __future__ import annotations

from typing import TextIO

from scanner.document import Document


def write(doc: Document, out: TextIO) -> None:
    for f in doc.findings:
        out.write(f.model_dump_json() + "\n")
