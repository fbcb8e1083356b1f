"""JSON written piece by piece: one array of a document streamed, everything else dumped whole."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

STREAMED = "\x00posture:streamed-array\x00"
"""Stands for the streamed array in the skeleton; no real value is this string."""


def write_json(out: TextIO, skeleton: Any, items: Iterable[str]) -> None:
    """Writes `skeleton` as indented JSON, its STREAMED value replaced by an array of `items`.

    Each item is one value's JSON text indented by 2 (as `json.dumps(..., indent=2)` or
    pydantic's `model_dump_json(indent=2)` write it); the result is the same text that dumping
    the whole structure at once would give, without ever holding it all.
    """
    text = json.dumps(skeleton, indent=2, ensure_ascii=False)
    marker = json.dumps(STREAMED)
    at = text.index(marker)
    line_start = text.rfind("\n", 0, at) + 1
    indent = " " * (len(text[line_start:at]) - len(text[line_start:at].lstrip(" ")))
    out.write(text[:at])
    first = True
    for item in items:
        out.write("[\n" if first else ",\n")
        first = False
        out.write("\n".join(f"{indent}  {line}" for line in item.split("\n")))
    out.write("[]" if first else f"\n{indent}]")
    out.write(text[at + len(marker) :])
    out.write("\n")
