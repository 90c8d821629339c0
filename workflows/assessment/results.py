"""Published results: rankings of the units for a period, each unit's trend, and the assessment cards of the
leaders' dashboard with the list behind each (the same condition, so the list has as many rows as the card says).

A card for ``[start, end)`` counts the campaigns opened in it (last month's campaign is opened this month, so this
month's screen shows the assessments being run now).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.assessment import periods
from workflows.assessment.enums import CampaignKind, CampaignStatus, Grade
from workflows.assessment.models import Campaign
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure
from workflows.people.models import OrgUnit


@dataclass(frozen=True)
class Ranked:
    rank: int
    campaign: Campaign
    unit: str


CONDITIONS: dict[str, tuple[Message, Callable[[], ColumnElement[bool]]]] = {
    "assessment_published": (N_("Unit results published"), lambda: Campaign.status == CampaignStatus.published),
    "assessment_running": (N_("Assessments in progress"), lambda: Campaign.status != CampaignStatus.published),
    "assessment_failed": (N_("Units graded fail"),
                          lambda: (Campaign.status == CampaignStatus.published) & (Campaign.grade == Grade.failed)),
}


def _where(key: str, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    return [Campaign.school_id == school_id, Campaign.created_at >= start, Campaign.created_at < end, CONDITIONS[key][1]()]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    link = {"start": start.isoformat(), "end": end.isoformat()}
    return [Figure(key, label, session.scalar(select(func.count(Campaign.id)).where(
        *_where(key, school_id, start, end))) or 0, ("assessment.results", {"show": key, **link}))
            for key, (label, _condition) in CONDITIONS.items()]


def drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime) -> list[Ranked]:
    """The campaigns a card counts, best total first; KeyError for an unknown card."""
    rows = session.execute(select(Campaign, OrgUnit.name).join(OrgUnit, OrgUnit.id == Campaign.unit_id)
                           .where(*_where(key, school_id, start, end))
                           .order_by(Campaign.total.desc().nulls_last(), Campaign.number)).all()
    return [Ranked(n, campaign, unit) for n, (campaign, unit) in enumerate(rows, start=1)]


def latest_ranking(session: Session, *, school_id: int, kind: str = CampaignKind.monthly) -> tuple[str | None, list[Ranked]]:
    """The units ranked by their total in the newest period of ``kind`` that has a published result."""
    newest = session.scalar(select(Campaign.period_start).where(
        Campaign.school_id == school_id, Campaign.kind == kind, Campaign.status == CampaignStatus.published)
        .order_by(Campaign.period_start.desc()).limit(1))
    if newest is None:
        return None, []
    rows = session.execute(select(Campaign, OrgUnit.name).join(OrgUnit, OrgUnit.id == Campaign.unit_id).where(
        Campaign.school_id == school_id, Campaign.kind == kind, Campaign.status == CampaignStatus.published,
        Campaign.period_start == newest).order_by(Campaign.total.desc(), OrgUnit.name)).all()
    return newest.isoformat(), [Ranked(n, c, unit) for n, (c, unit) in enumerate(rows, start=1)]


def trends(session: Session, *, school_id: int, kind: str = CampaignKind.monthly, newest: int = 6) -> dict[str, Any]:
    """Each unit's published totals over the ``newest`` periods of ``kind``: ``{"periods": [...],
    "units": [{"name", "totals": [total or None per period]}]}``."""
    starts = sorted(session.scalars(select(Campaign.period_start).where(
        Campaign.school_id == school_id, Campaign.kind == kind, Campaign.status == CampaignStatus.published)
        .distinct().order_by(Campaign.period_start.desc()).limit(newest)))
    rows = session.execute(select(OrgUnit.name, Campaign.period_start, Campaign.total).join(
        OrgUnit, OrgUnit.id == Campaign.unit_id).where(
        Campaign.school_id == school_id, Campaign.kind == kind, Campaign.status == CampaignStatus.published,
        Campaign.period_start.in_(starts))).all()
    by_unit: dict[str, dict[date, float | None]] = {}
    for name, first, total in rows:
        by_unit.setdefault(name, {})[first] = total
    return {"periods": [periods.key_of(kind, first, "").split(":", 1)[1] for first in starts],
            "units": [{"name": name, "totals": [totals.get(first) for first in starts]}
                      for name, totals in sorted(by_unit.items())]}
