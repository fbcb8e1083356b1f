"""Pure formatters (document in, text out) and the atomic file writer."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from scanner.models.findings import FindingsDocument
from scanner.output import csv_format, json_format, jsonl, markdown, ocsf, sarif, table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    SARIF = "sarif"
    OCSF = "ocsf"
    MARKDOWN = "markdown"


FORMATTERS: dict[Format, Callable[[FindingsDocument], str]] = {
    Format.TABLE: table.render,
    Format.JSON: json_format.render,
    Format.JSONL: jsonl.render,
    Format.CSV: csv_format.render,
    Format.SARIF: sarif.render,
    Format.OCSF: ocsf.render,
    Format.MARKDOWN: markdown.render,
}


def render(doc: FindingsDocument, fmt: Format) -> str:
    return FORMATTERS[fmt](doc)
