"""Calendar months: the one month arithmetic plans, reports and lists share."""
from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int, anchor_day: int = 1) -> date:
    """The day ``anchor_day`` of the month ``months`` after ``day``'s (before, when negative), or that month's last
    day when it is shorter (31 January + 1 month, anchored on the 31st: 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(anchor_day, calendar.monthrange(year, month + 1)[1]))
