"""The findings document as JSON (see schema/findings.schema.json)."""

from __future__ import annotations

from scanner.models.findings import FindingsDocument


def render(doc: FindingsDocument) -> str:
    return doc.model_dump_json(indent=2) + "\n"
