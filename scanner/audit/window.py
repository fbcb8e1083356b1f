"""The audit window: UTC calendar days FROM..TO (both included), and the scans inside it.

"A day" is a UTC calendar day: a scan belongs to the day its `started_at` falls on in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from scanner.errors import UsageError
from scanner.history.store import ChainLink
from scanner.timestamps import utc_timestamp

MAX_DAYS = 3660
"""Ten years: a longer window is a typo."""


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(
            self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)
        )

    def __contains__(self, when: object) -> bool:
        return isinstance(when, datetime) and self.start <= day_of(when) <= self.end


def day_of(when: datetime) -> date:
    """The UTC calendar day of a timestamp (a naive one is read as UTC)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).date()


def parse_day(text: str, option: str) -> date:
    """A date (2026-01-31) or an RFC 3339 timestamp, whose UTC day is taken."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parsed = utc_timestamp(text)
    if parsed is None:
        raise UsageError(f"{option} {text!r} is not a date (expected YYYY-MM-DD)")
    return day_of(parsed)


def make_window(start: str, end: str) -> Window:
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if first > last:
        raise UsageError(f"--from {first} is after --to {last}")
    if (last - first).days >= MAX_DAYS:
        raise UsageError(f"the window {first}..{last} is longer than {MAX_DAYS} days")
    return Window(first, last)


def parse_range(text: str) -> Window:
    """FROM..TO, as `posture report --window` takes it."""
    start, sep, end = text.partition("..")
    if not sep or not start or not end:
        raise UsageError(f"--window {text!r}: expected FROM..TO (e.g. 2026-01-01..2026-06-30)")
    return make_window(start, end)


def scope_accounts(scope: str) -> tuple[str, ...]:
    return tuple(scope.split(",")) if scope else ()


def selects(scope: str, wanted: Sequence[str]) -> bool:
    """Whether a scan's scope covers any account of `--scope` (provider:account or account)."""
    if not wanted:
        return True
    for entry in scope_accounts(scope):
        account = entry.partition(":")[2]
        if entry in wanted or account in wanted:
            return True
    return False


def in_window(links: Sequence[ChainLink], window: Window, wanted: Sequence[str]) -> list[ChainLink]:
    """The scans of the window (and of `wanted` accounts), oldest first."""
    chosen = [link for link in links if link.started_at in window and selects(link.scope, wanted)]
    return sorted(chosen, key=lambda link: (link.started_at, link.id))


def last_of_each_day(links: Sequence[ChainLink]) -> dict[tuple[date, str], ChainLink]:
    """(day, scope) -> the scope's last scan of that day: the one a day's verdict rests on."""
    last: dict[tuple[date, str], ChainLink] = {}
    for link in links:
        last[(day_of(link.started_at), link.scope)] = link
    return last


def scan_name(link: ChainLink) -> str:
    """A scan's id in the pack: its document's `scan.id`, or its history number when it was
    recorded before scan ids existed."""
    return link.uid or f"history-{link.id}"
