"""The findings document as JSON (see schema/findings.schema.json), streamed."""

from __future__ import annotations

from typing import TextIO

from scanner.document import Document
from scanner.output.streaming import STREAMED, write_json


def write(doc: Document, out: TextIO) -> None:
    skeleton = {
        "schema_version": doc.schema_version,
        "scan": doc.scan.model_dump(mode="json"),
        "findings": STREAMED,
    }
    write_json(out, skeleton, (f.model_dump_json(indent=2) for f in doc.findings))
