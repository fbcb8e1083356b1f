"""Reading fields of provider API payloads strictly where the reading decides a check."""

from __future__ import annotations

from typing import Any


class OddPayloadError(ValueError):
    """An API answered with a field of an unexpected type: the collection becomes an error.

    The message names the field and the type found, never the value.
    """


def flag(value: Any, name: str, default: bool = False) -> bool:
    """A JSON boolean; missing (None) is `default`. Any other type is an odd payload: it
    raises, so the collection ends as an error instead of reading, say, "false" as true.
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise OddPayloadError(f"{name} is not a boolean ({type(value).__name__})")
