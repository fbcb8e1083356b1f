"""Pure formatters (document in, text out) and the atomic file writer."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from scanner.models.findings import FindingsDocument
from scanner.output import json_format, table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMATTERS: dict[Format, Callable[[FindingsDocument], str]] = {
    Format.TABLE: table.render,
    Format.JSON: json_format.render,
}


def render(doc: FindingsDocument, fmt: Format) -> str:
    return FORMATTERS[fmt](doc)
