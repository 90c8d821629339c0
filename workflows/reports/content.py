"""What a report says: the dashboard's figures for the period and scope, plus the raw rows for the Excel file.

The figures come from :func:`workflows.dashboard.figures`, so a report and the dashboard for the same days
always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from workflows.catalogue.models import CatalogueItem
from workflows.dashboard import figures, local_day_bounds
from workflows.people.models import Campus, OrgUnit, School, User
from workflows.people.timezone import school_zone
from workflows.repair.models import Rating, WorkOrder
from workflows.reports.periods import label


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


ORDER_COLUMNS = ("number", "received", "campus", "category", "item", "status", "colour", "worker", "accepted",
                 "completed", "closed")
RATING_COLUMNS = ("number", "round", "rated_at", "overall", "bad", "default", "appeal", "worker")


def gather(session: Session, *, school_id: int, unit_id: int | None, period: str, first: date, last: date,
           locale: str) -> ReportData:
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
        select(WorkOrder.number, WorkOrder.created_at, Campus.name, name(parent), name(item), WorkOrder.status,
               WorkOrder.colour, User.display_name, WorkOrder.accepted_at, WorkOrder.completed_at, WorkOrder.closed_at)
        .join(Campus, Campus.id == WorkOrder.campus_id).join(item, item.id == WorkOrder.catalogue_item_id)
        .outerjoin(parent, parent.id == item.parent_id).outerjoin(User, User.id == WorkOrder.worker_id)
        .where(*where).order_by(WorkOrder.created_at, WorkOrder.id)).all()
    ratings = session.execute(
        select(WorkOrder.number, Rating.round, Rating.created_at, Rating.overall, Rating.is_bad, Rating.is_default,
               Rating.appeal_status, User.display_name)
        .join(WorkOrder, WorkOrder.id == Rating.order_id).outerjoin(User, User.id == Rating.worker_id)
        .where(*where).order_by(Rating.created_at, Rating.id)).all()
    return ReportData(school=school.name, unit=unit.name if unit else None, period=period,
                      title=label(period, first, locale), first=first, last=last, locale=locale, result=result, zone=zone,
                      orders=[tuple(r) for r in orders], ratings=[tuple(r) for r in ratings])
