"""Formatters: each writes a document to a text stream, reading its findings one by one."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from typing import TextIO

from scanner.document import Document
from scanner.output import csv_format, json_format, jsonl, markdown, ocsf, sarif, table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    SARIF = "sarif"
    OCSF = "ocsf"
    MARKDOWN = "markdown"


WRITERS: dict[Format, Callable[[Document, TextIO], None]] = {
    Format.TABLE: table.write,
    Format.JSON: json_format.write,
    Format.JSONL: jsonl.write,
    Format.CSV: csv_format.write,
    Format.SARIF: sarif.write,
    Format.OCSF: ocsf.write,
    Format.MARKDOWN: markdown.write,
}


def write(doc: Document, fmt: Format, out: TextIO) -> None:
    WRITERS[fmt](doc, out)


def render(doc: Document, fmt: Format) -> str:
    """The whole text at once: for small documents and tests; scans stream with `write`."""
    buffer = io.StringIO()
    write(doc, fmt, buffer)
    return buffer.getvalue()
