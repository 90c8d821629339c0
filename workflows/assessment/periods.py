"""The periods campaigns assess: a month, a quarter, or any days of a special campaign, as local dates."""
from __future__ import annotations

from datetime import date, timedelta

from workflows.assessment.enums import CampaignKind


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = month_of(date(first.year, first.month + 2, 1))[1]
    return first, last


def last_ended(kind: str, today: date) -> tuple[date, date]:
    """The month or quarter that ended most recently before ``today``."""
    if kind == CampaignKind.monthly:
        return month_of(today.replace(day=1) - timedelta(days=1))
    return quarter_of(quarter_of(today)[0] - timedelta(days=1))


def key_of(kind: str, first: date, number: str) -> str:
    """What makes a campaign unique for its scheme: its month or quarter, or a special campaign's own number."""
    if kind == CampaignKind.monthly:
        return f"monthly:{first:%Y-%m}"
    if kind == CampaignKind.quarterly:
        return f"quarterly:{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"special:{number}"
