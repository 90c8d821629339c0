"""What a report says: the dashboard's figures for the period and scope, plus the raw rows for the Excel file,
laid out as tables whose every column has a heading and a :class:`~workflows.reports.values.Kind`.

The figures come from :func:`workflows.dashboard.figures`, so a report and the dashboard for the same days
always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from engine.clock import now
from workflows.assessment.enums import CampaignStatus
from workflows.assessment.models import Campaign
from workflows.catalogue.models import CatalogueItem
from workflows.dashboard import figures, local_day_bounds
from workflows.i18n import translate
from workflows.people.models import Campus, OrgUnit, School, User
from workflows.people.timezone import school_zone
from workflows.repair.models import Rating, WorkOrder
from workflows.reports.labels import SUMMARY_KEYS
from workflows.reports.making import ReportMaking
from workflows.reports.periods import label
from workflows.reports.values import Kind, figure_kind


@dataclass
class ReportData:
    school: str
    unit: str | None
    period: str
    title: str
    first: date
    last: date
    locale: str
    result: dict
    zone: ZoneInfo  # the school's time zone: its days bound the period, its clock shows the times
    orders: list[tuple] = field(default_factory=list)
    ratings: list[tuple] = field(default_factory=list)
    assessment: list[tuple] = field(default_factory=list)  # (rank, unit, campaign, total, grade, deduction %)
    services: list[tuple] | None = None  # (business, figure, value): the other modules', school-wide (none per unit)


Column = tuple[str, Kind]  # a heading key of workflows.reports.labels, and what the column holds

ORDER_COLUMNS: tuple[Column, ...] = (
    ("number", Kind.TEXT), ("received_at", Kind.MOMENT), ("campus", Kind.TEXT), ("category", Kind.TEXT),
    ("item", Kind.TEXT), ("urgency", Kind.URGENCY), ("status", Kind.STATUS), ("colour", Kind.COLOUR),
    ("worker", Kind.TEXT), ("accepted_at", Kind.MOMENT), ("completed_at", Kind.MOMENT), ("closed_at", Kind.MOMENT),
    ("review_hours", Kind.HOURS), ("complete_hours", Kind.HOURS))
RATING_COLUMNS: tuple[Column, ...] = (
    ("number", Kind.TEXT), ("round", Kind.ROUND), ("rated_at", Kind.MOMENT), ("overall", Kind.SCORE),
    ("bad", Kind.YES_NO), ("default", Kind.YES_NO), ("appeal", Kind.APPEAL), ("worker", Kind.TEXT))
COUNTS: tuple[Column, ...] = (("received", Kind.COUNT), ("completed", Kind.COUNT), ("bad_ratings", Kind.COUNT))
ASSESSMENT_COLUMNS: tuple[Column, ...] = (
    ("rank", Kind.COUNT), ("assessed_unit", Kind.TEXT), ("campaign", Kind.TEXT), ("total_points", Kind.POINTS),
    ("grade", Kind.GRADE), ("deduction", Kind.POINTS))
SERVICE_COLUMNS: tuple[Column, ...] = (("business", Kind.TEXT), ("figure", Kind.TEXT), ("value", Kind.COUNT))
RANKING_COLUMNS: tuple[Column, ...] = (("name", Kind.TEXT), ("completed", Kind.COUNT), ("good_ratings", Kind.COUNT),
                                       ("bad_ratings", Kind.COUNT), ("good_rate_short", Kind.PERCENT))


@dataclass(frozen=True)
class Table:
    """One table of a report: a sheet of the Excel file, and in the PDF the key figures and the rankings."""

    key: str  # its title (a heading key)
    columns: tuple[Column, ...]
    rows: list[tuple]


def _between(start: datetime | None, end: datetime | None) -> timedelta | None:
    return end - start if start is not None and end is not None else None


def gather(session: Session, making: ReportMaking, *, school_id: int, unit_id: int | None, period: str, first: date,
           last: date, locale: str) -> ReportData:
    zone = school_zone(session, school_id)
    start, end = local_day_bounds(first, last, zone)
    school = session.get_one(School, school_id)
    unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
    result = figures(session, school_id=school_id, start=start, end=end, unit_id=unit_id)
    where = [WorkOrder.school_id == school_id, WorkOrder.created_at >= start, WorkOrder.created_at < end]
    if unit_id is not None:
        where.append(WorkOrder.unit_id == unit_id)
    item, parent = aliased(CatalogueItem), aliased(CatalogueItem)
    name = (lambda c: c.name_en) if locale == "en" else (lambda c: c.name_zh)
    orders = session.execute(
        select(WorkOrder.number, WorkOrder.created_at, Campus.name, name(parent), name(item), WorkOrder.urgency,
               WorkOrder.status, WorkOrder.colour, User.display_name, WorkOrder.accepted_at, WorkOrder.completed_at, WorkOrder.closed_at)
        .join(Campus, Campus.id == WorkOrder.campus_id).join(item, item.id == WorkOrder.catalogue_item_id)
        .outerjoin(parent, parent.id == item.parent_id).outerjoin(User, User.id == WorkOrder.worker_id)
        .where(*where).order_by(WorkOrder.created_at, WorkOrder.id)).all()
    ratings = session.execute(
        select(WorkOrder.number, Rating.round, Rating.created_at, Rating.overall, Rating.is_bad, Rating.is_default,
               Rating.appeal_status, User.display_name)
        .join(WorkOrder, WorkOrder.id == Rating.order_id).outerjoin(User, User.id == Rating.worker_id)
        .where(*where).order_by(Rating.created_at, Rating.id)).all()
    services = _services(session, making, school_id, start, end, locale) if unit_id is None else None
    return ReportData(assessment=_assessment(session, school_id, unit_id, first, last), services=services,
                      school=school.name, unit=unit.name if unit else None, period=period,
                      title=label(period, first, locale), first=first, last=last, locale=locale, result=result, zone=zone,
                      orders=[(*r, _between(r.created_at, r.accepted_at), _between(r.accepted_at, r.completed_at))
                              for r in orders], ratings=[tuple(r) for r in ratings])


def _services(session: Session, making: ReportMaking, school_id: int, start: datetime, end: datetime,
              locale: str) -> list[tuple]:
    """Every other business's figures for the period, module by module, as the one screen counts them: a whole
    school's report only (the modules count the school, not one service unit). A module's reading of a moment
    (who is on staff, what is overdue) is taken at the period's last instant, or now while the period runs."""
    last_instant = end - timedelta(microseconds=1)
    found = making.modules.figures(session, school_id=school_id, start=start, end=end, at=min(now(), last_instant),
                                   rules=making.rules)
    return [(translate(module.label, locale), translate(f.label, locale), f.value)
            for module, figures in found for f in figures]


def _assessment(session: Session, school_id: int, unit_id: int | None, first: date, last: date) -> list[tuple]:
    """The published results of the campaigns whose period starts in the report's days, best total first per kind
    of campaign (monthly, quarterly, special), ranked within it; one unit's only for a unit's report."""
    where = [Campaign.school_id == school_id, Campaign.status == CampaignStatus.published,
             Campaign.period_start >= first, Campaign.period_start <= last]
    if unit_id is not None:
        where.append(Campaign.unit_id == unit_id)
    rows = session.execute(select(Campaign.kind, OrgUnit.name, Campaign.title, Campaign.total, Campaign.grade,
                                  Campaign.deduction_percent).join(OrgUnit, OrgUnit.id == Campaign.unit_id)
                           .where(*where).order_by(Campaign.kind, Campaign.total.desc(), OrgUnit.name)).all()
    ranked, rank, kind = [], 0, None
    for row in rows:
        rank, kind = (rank + 1, kind) if row.kind == kind else (1, row.kind)
        ranked.append((rank, *tuple(row)[1:]))
    return ranked


def tables(data: ReportData) -> list[Table]:
    """Every table of the report after its key figures (:func:`summary`), in the order the Excel file has them."""
    result = data.result
    name = "name_en" if data.locale == "en" else "name_zh"

    def counted(rows: list[dict], label: str) -> list[tuple]:
        return [(r[label], r["received"], r["completed"], r["bad"]) for r in rows]

    return [
        Table("trend", (("day", Kind.DAY), *COUNTS), [(d["day"], d["received"], d["completed"], d["bad"])
                                                       for d in result["trend"]]),
        Table("categories", (("category", Kind.TEXT), *COUNTS), counted(result["categories"], name)),
        Table("campuses", (("campus", Kind.TEXT), *COUNTS), counted(result["campuses"], "name")),
        *(Table(key, RANKING_COLUMNS, [(r["name"], r["completed"], r["good"], r["bad"], r["good_rate"])
                                       for r in result["rankings"][key]]) for key in ("workers", "teams")),
        *([Table("services", SERVICE_COLUMNS, data.services)] if data.services is not None else []),
        Table("orders", ORDER_COLUMNS, data.orders),
        Table("ratings", RATING_COLUMNS, data.ratings),
        Table("assessment", ASSESSMENT_COLUMNS, data.assessment),
    ]


def summary(data: ReportData) -> list[tuple[str, Kind, float | None]]:
    """The key figures, one per row: (heading key, kind, value); a row's kind is its figure's (a count, a rate…)."""
    found = data.result["figures"]
    return [(key, figure_kind(key), found[key]) for key in SUMMARY_KEYS]
