"""Parsing RFC 3339 timestamps as the providers' APIs write them.

Google and Microsoft Graph write `Z` for UTC and up to nanoseconds (7 or 9 fractional digits);
AWS's credential report writes `+00:00`. Python 3.11's `fromisoformat` reads all of them,
dropping the digits past microseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 / RFC 3339 timestamp, naive when it has no offset; ValueError if it is none."""
    return datetime.fromisoformat(text)


def utc_timestamp(text: str) -> datetime | None:
    """An aware timestamp (one without an offset is read as UTC), or None when it is none."""
    try:
        parsed = parse_timestamp(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
