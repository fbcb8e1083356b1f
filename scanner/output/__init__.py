"""Formatters: each writes a document to a text stream, reading its findings one by one."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TextIO

from scanner.document import Document
from scanner.errors import UsageError
from scanner.output import csv_format, json_format, jsonl, markdown, ocsf, sarif, table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    SARIF = "sarif"
    SARIF_ALL = "sarif-all"
    OCSF = "ocsf"
    MARKDOWN = "markdown"


WRITERS: dict[Format, Callable[[Document, TextIO], None]] = {
    Format.TABLE: table.write,
    Format.JSON: json_format.write,
    Format.JSONL: jsonl.write,
    Format.CSV: csv_format.write,
    Format.SARIF: sarif.write,
    Format.SARIF_ALL: sarif.write_all,
    Format.OCSF: ocsf.write,
    Format.MARKDOWN: markdown.write,
}


EVERY_FORMAT: tuple[Format, ...] = tuple(Format)
"""What a findings document can be written as (`scan`, `history show`, config `outputs`)."""
TABLE_OR_JSON: tuple[Format, ...] = (Format.TABLE, Format.JSON)
"""What the listing commands print (`checks list`, `diff`, `history`, `waivers`)."""


def format_names(accepted: Sequence[Format]) -> str:
    """`table, json or csv`: for help texts."""
    names = [f.value for f in accepted]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def parse_format(value: str, accepted: Sequence[Format] = EVERY_FORMAT) -> Format:
    """The `--format` a command was given, refused (exit 2) when the command cannot write it."""
    expected = ", ".join(f.value for f in accepted)
    try:
        chosen = Format(value.lower())
    except ValueError:
        raise UsageError(f"unknown format {value!r} (expected one of: {expected})") from None
    if chosen not in accepted:
        raise UsageError(f"format {value!r} is not written here (expected one of: {expected})")
    return chosen


def write(doc: Document, fmt: Format, out: TextIO) -> None:
    WRITERS[fmt](doc, out)


def render(doc: Document, fmt: Format) -> str:
    """The whole text at once: for small documents and tests; scans stream with `write`."""
    buffer = io.StringIO()
    write(doc, fmt, buffer)
    return buffer.getvalue()
