"""Reading a findings document file (`posture scan --format json`): one line on bad input.

Any 1.x document up to this posture's `SCHEMA_VERSION` is read (minor versions only add
fields); another major version, or a newer minor one, is refused with one line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from scanner.errors import UsageError
from scanner.models.findings import SCHEMA_VERSION, FindingsDocument

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.\d+)?$")


def schema_tuple(version: str) -> tuple[int, int] | None:
    """(major, minor) of a schema version, None when it is not one."""
    match = _VERSION.match(version)
    return (int(match[1]), int(match[2])) if match else None


CURRENT = schema_tuple(SCHEMA_VERSION)


def read_document(path: Path) -> FindingsDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not JSON (line {exc.lineno})") from None
    except RecursionError:
        raise UsageError(f"{path}: nested too deeply for a findings document") from None
    version = str(raw.get("schema_version", "")) if isinstance(raw, dict) else ""
    parsed = schema_tuple(version)
    if parsed is None or parsed[0] != 1:
        raise UsageError(
            f"{path}: not a posture findings document of schema 1.x (use --format json)"
        )
    if CURRENT is not None and parsed > CURRENT:
        raise UsageError(
            f"{path}: findings schema {version} is newer than this posture reads "
            f"(up to {SCHEMA_VERSION}): upgrade posture"
        )
    try:
        return FindingsDocument.model_validate(raw)
    except RecursionError:
        raise UsageError(f"{path}: nested too deeply for a findings document") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{path}: not a posture findings document ({where}: {first['msg']})"
        ) from None
