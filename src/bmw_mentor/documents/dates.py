"""Date arithmetic for the plans: months from a date, and the next working day."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: float) -> dt.date:
    """``day`` plus a number of months; the day is clamped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    whole = int(months)
    index = day.month - 1 + whole
    year, month = day.year + index // 12, index % 12 + 1
    moved = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    rest = months - whole
    return moved + dt.timedelta(days=round(rest * 30)) if rest else moved


def working_day(day: dt.date) -> dt.date:
    """Planned moments that fall on a weekend move to the next Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


