"""Small readers for Okta's JSON: nested gets and the id at the end of an href."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from pydantic import TypeAdapter, ValidationError

from scanner.payload import flag as flag

_DURATION = TypeAdapter(timedelta)


def dig(data: Any, *path: str) -> Any:
    """data[path[0]][path[1]]…, or None where a level is missing or not a mapping."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def text(data: Any, *path: str) -> str | None:
    value = dig(data, *path)
    return value if isinstance(value, str) and value else None


def number(data: Any, *path: str) -> int | None:
    value = dig(data, *path)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def strings(data: Any, *path: str) -> tuple[str, ...]:
    value = dig(data, *path)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def last_segment(href: str | None) -> str | None:
    if not href:
        return None
    return urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1] or None


def duration_days(value: str | None) -> float | None:
    """An ISO 8601 duration (P30D, PT720H) in days."""
    if not value:
        return None
    try:
        return _DURATION.validate_python(value).total_seconds() / 86400
    except ValidationError:
        return None
