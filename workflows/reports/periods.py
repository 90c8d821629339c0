"""Report periods: calendar months and quarters, as local days (first and last included)."""
from __future__ import annotations

from datetime import date, timedelta

from workflows.months import add_months

PERIODS = ("month", "quarter")


def bounds(period: str, day: date) -> tuple[date, date]:
    """The first and last day of the ``period`` that contains ``day``."""
    if period == "month":
        first = day.replace(day=1)
        months = 1
    elif period == "quarter":
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    else:
        raise ValueError(f"unknown report period {period!r}")
    return first, add_months(first, months) - timedelta(days=1)


def previous(period: str, today: date) -> tuple[date, date]:
    """The last complete period before ``today`` (on 1 April: March for a month, January–March for a quarter)."""
    first, _ = bounds(period, today)
    return bounds(period, first - timedelta(days=1))


def label(period: str, first: date, locale: str) -> str:
    """``2026年11月`` / ``November 2026``; ``2026年第4季度`` / ``2026 Q4``."""
    if period == "month":
        return f"{first.year}年{first.month}月" if locale != "en" else first.strftime("%B %Y")
    quarter = (first.month - 1) // 3 + 1
    return f"{first.year}年第{quarter}季度" if locale != "en" else f"{first.year} Q{quarter}"
