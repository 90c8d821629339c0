"""Refresh the daily table (:mod:`workflows.dashboard.models`) that the dashboard reads for whole days.

A refresh recomputes, for one school, the days since the last complete one and the days of receipt of every order
that changed since the last refresh (accepted, completed, closed, rated, called back, rectified, changed colour,
appeal decided). Each run of consecutive days is counted with one set of queries
(:func:`workflows.dashboard.figures.additive_counts`), so the table always equals the live count as of its
refresh. Today is never stored: the dashboard counts it live.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select, union
from sqlalchemy.orm import Session

from engine.clock import now
from workflows.dashboard.figures import Scope, _local_day, additive_counts, local_day_bounds
from workflows.dashboard.models import COUNT_COLUMNS, SUM_COLUMNS, DailyFigure, DailyFigureState
from workflows.people.models import School
from workflows.people.timezone import school_zone
from workflows.repair.models import Appeal, Callback, ColourChange, Rating, Rectification, WorkOrder


def _changed_days(session: Session, school_id: int, since: datetime) -> set[date]:
    """Local days of receipt of the school's orders with anything recorded at or after ``since``."""
    order_ids = union(
        select(WorkOrder.id).where(WorkOrder.school_id == school_id,
                                   (WorkOrder.accepted_at >= since) | (WorkOrder.completed_at >= since)
                                   | (WorkOrder.closed_at >= since) | (WorkOrder.created_at >= since)),
        select(Rating.order_id).where(Rating.school_id == school_id, Rating.created_at >= since),
        select(Callback.order_id).where(Callback.school_id == school_id, Callback.created_at >= since),
        select(Rectification.order_id).where(Rectification.school_id == school_id,
                                             Rectification.completed_at >= since),
        select(ColourChange.order_id).where(ColourChange.school_id == school_id, ColourChange.at >= since),
        select(Rating.order_id).join(Appeal, Appeal.rating_id == Rating.id)
        .where(Appeal.school_id == school_id, Appeal.decided_at >= since),
    ).subquery()
    day = _local_day(session, WorkOrder.created_at, school_zone(session, school_id))
    return {date.fromisoformat(d) for d in session.scalars(
        select(day).where(WorkOrder.id.in_(select(order_ids.c[0]))).distinct())}


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days joined into (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def refresh(session: Session, *, school_id: int, at: datetime | None = None) -> list[date]:
    """Bring the school's daily rows up to yesterday (local); return the days recomputed."""
    at, zone = at or now(), school_zone(session, school_id)
    yesterday = at.astimezone(zone).date() - timedelta(days=1)
    state = session.get(DailyFigureState, school_id)
    if state is None:
        first_at = session.scalar(select(func.min(WorkOrder.created_at)).where(WorkOrder.school_id == school_id))
        start = first_at.astimezone(zone).date() if first_at is not None else yesterday
        days = {start + timedelta(days=n) for n in range((yesterday - start).days + 1)}
    else:
        days = {state.through + timedelta(days=n) for n in range(1, (yesterday - state.through).days + 1)}
        days |= {d for d in _changed_days(session, school_id, state.refreshed_at) if d <= state.through}
    day_expr = _local_day(session, WorkOrder.created_at, zone)
    for first, last in _runs(sorted(days)):
        start, end = local_day_bounds(first, last, zone)
        session.execute(delete(DailyFigure).where(DailyFigure.school_id == school_id, DailyFigure.day >= first,
                                                  DailyFigure.day <= last))
        counted = additive_counts(session, Scope(school_id, start, end),
                                  (day_expr, WorkOrder.campus_id, WorkOrder.unit_id))
        rows = [{"school_id": school_id, "day": date.fromisoformat(str(day)), "campus_id": campus, "unit_id": unit,
                 **{k: values[k] for k in (*COUNT_COLUMNS, *SUM_COLUMNS)}}
                for (day, campus, unit), values in counted.items()]
        if rows:
            session.execute(insert(DailyFigure), rows)
    if state is None:
        session.add(DailyFigureState(school_id=school_id, through=yesterday, refreshed_at=at))
    else:
        state.through, state.refreshed_at = max(state.through, yesterday), at
    session.flush()
    return sorted(days)


def last_refresh(session: Session, *, school_id: int) -> datetime | None:
    """When the school's daily rows were last brought up to date (``None``: never, every figure is live)."""
    state = session.get(DailyFigureState, school_id)
    return state.refreshed_at if state is not None else None


def refresh_all(session: Session, *, at: datetime | None = None) -> dict[int, int]:
    """Refresh every school; ``{school id: days recomputed}``."""
    return {sid: len(refresh(session, school_id=sid, at=at))
            for sid in session.scalars(select(School.id).order_by(School.id))}
