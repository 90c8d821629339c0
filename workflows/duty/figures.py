"""Duty management's figures on the leaders' dashboard, each with the list behind it.

Anomalies found in the period by kind, PDCAs closed on time (by the unit's deadline plus the check's time) and the
readings out of range; each card links to the anomaly list (or the readings) filtered by the same condition and
period, so the list has as many rows as the card says.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.duty.enums import AnomalyKind, Stage
from workflows.duty.labels import KIND_WORDS
from workflows.duty.models import Anomaly, Reading
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure
from workflows.modules.counts import counts_meeting


def _of_kind(kind: AnomalyKind) -> Callable[[], ColumnElement[bool]]:
    return lambda: Anomaly.kind == kind


CLOSED_ON_TIME, READINGS_OUT = "duty_closed_on_time", "duty_readings_out"
CONDITIONS: dict[str, tuple[Message, Callable[[], ColumnElement[bool]]]] = {
    **{f"duty_{kind}": (KIND_WORDS[kind], _of_kind(kind)) for kind in AnomalyKind},
    CLOSED_ON_TIME: (N_("PDCA closed on time"), lambda: (Anomaly.stage == Stage.closed)
                     & (Anomaly.closed_at <= Anomaly.close_due)),
}


def detected_in(*, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The school's anomalies detected in the period, which every anomalies figure narrows by its condition."""
    return [Anomaly.school_id == school_id, Anomaly.detected_at >= start, Anomaly.detected_at < end]


def where(key: str, *, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The anomalies figure ``key`` counts; KeyError for an unknown figure."""
    return [*detected_in(school_id=school_id, start=start, end=end), CONDITIONS[key][1]()]


def readings_in(*, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The school's readings taken in ``[start, end)``."""
    return [Reading.school_id == school_id, Reading.taken_at >= start, Reading.taken_at < end]


def readings_where(*, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """Those of :func:`readings_in` out of their range (the dashboard card and its drill-down)."""
    return [*readings_in(school_id=school_id, start=start, end=end), Reading.out_of_range.is_(True)]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    link = {"start": start.isoformat(), "end": end.isoformat()}
    counted = counts_meeting(session, Anomaly.id, {key: condition() for key, (_label, condition) in CONDITIONS.items()},
                             *detected_in(school_id=school_id, start=start, end=end))
    cards = [Figure(key, label, counted[key], ("duty.anomalies", {"show": key, **link}))
             for key, (label, _condition) in CONDITIONS.items()]
    out = session.scalar(select(func.count(Reading.id)).where(*readings_where(school_id=school_id, start=start, end=end)))
    cards.append(Figure(READINGS_OUT, N_("Readings out of range"), out or 0, ("duty.readings", {"out": "1", **link})))
    return cards
