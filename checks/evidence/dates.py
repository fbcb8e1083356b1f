"""Calendar helpers for evidence checks: quarters, months, ages."""

from __future__ import annotations

import calendar
from datetime import date


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter `day` falls in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_name(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
