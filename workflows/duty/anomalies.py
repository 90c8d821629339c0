"""Recording an anomaly once and starting its PDCA.

Every detector (the periodic watch, reading ingestion, an issue reported from the phone) calls :func:`record` with
a ``subject`` that names exactly what went wrong (``patrol:<shift>:<point>:<due>``, ``reading:<device>:<metric>:<first
time>`` …). The subject is unique per school, so a detector that runs twice, or two that race, store one anomaly and
start one PDCA; the second gets None. Its number is drawn as other business numbers are (:mod:`workflows.numbering`):
a detector that draws a number another stored first draws again rather than losing its anomaly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.advance import start
from engine.audit import record as audit
from engine.clock import now
from engine.host import Host
from rules.book import RuleBook
from workflows.duty.enums import AnomalyKind, DutyAction, Stage
from workflows.duty.models import Anomaly, Post
from workflows.numbering import day_number, store_numbered

PROCESS_KEY = "duty_pdca"


@dataclass(frozen=True)
class Found:
    """What a detector found: the kind, the subject that makes it unique, and whom and where it concerns."""

    kind: AnomalyKind
    subject: str
    occurred_at: datetime
    post_id: int | None = None
    user_id: int | None = None
    shift_id: int | None = None
    equipment_id: int | None = None
    metric: str | None = None
    unit_id: int | None = None
    description: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    photos: list[dict[str, Any]] = field(default_factory=list)
    episode_open: bool = False


def _next_number(session: Session, school_id: int) -> str:
    """ZB + the school's today + the day's running count; numbers are unique across schools."""
    return day_number(session, Anomaly, letters="ZB", school_id=school_id, per_school=False)


def _recorded(session: Session, school_id: int, subject: str) -> bool:
    return session.scalar(select(Anomaly.id).where(Anomaly.school_id == school_id, Anomaly.subject == subject)) is not None


def _repeats(session: Session, book: RuleBook, school_id: int, found: Found) -> int:
    """Earlier anomalies of the same kind at the same post or of the same person within the rule's window."""
    who = [c for c in ((Anomaly.post_id == found.post_id) if found.post_id else None,
                       (Anomaly.user_id == found.user_id) if found.user_id else None,
                       (Anomaly.equipment_id == found.equipment_id) if found.equipment_id else None) if c is not None]
    if not who:
        return 0
    since = found.occurred_at - book.duration("duty.repeats.within_for")
    return session.scalar(select(func.count(Anomaly.id)).where(
        Anomaly.school_id == school_id, Anomaly.kind == found.kind, Anomaly.occurred_at >= since, or_(*who))) or 0


def _unit(session: Session, found: Found) -> int | None:
    if found.unit_id is not None:
        return found.unit_id
    post = session.get(Post, found.post_id) if found.post_id else None
    return post.unit_id if post else None


def record(session: Session, host: Host, book: RuleBook, *, school_id: int, found: Found,
           actor: str = "system") -> Anomaly | None:
    """Store the anomaly and start its PDCA; None when its subject was recorded already (nothing changes)."""
    if _recorded(session, school_id, found.subject):
        return None
    anomaly = Anomaly(
        school_id=school_id, kind=found.kind, subject=found.subject,
        post_id=found.post_id, user_id=found.user_id, shift_id=found.shift_id, equipment_id=found.equipment_id,
        metric=found.metric, unit_id=_unit(session, found), description=found.description,
        evidence=found.evidence, photos=found.photos, occurred_at=found.occurred_at, detected_at=now(),
        episode_open=found.episode_open, repeats=_repeats(session, book, school_id, found), stage=Stage.plan)
    try:
        store_numbered(session, anomaly, lambda: _next_number(session, school_id))
    except IntegrityError:
        if _recorded(session, school_id, found.subject):  # by a racing detector in the meantime
            return None
        raise
    audit(session, action=DutyAction.ANOMALY_RECORDED, actor=actor, school_id=school_id, business_key=anomaly.number,
          details={"kind": found.kind, "subject": found.subject, "evidence": found.evidence})
    instance = start(host, session, process_key=PROCESS_KEY, business_key=anomaly.number, school_id=school_id, data={
        "anomaly_id": anomaly.id, "number": anomaly.number, "kind": anomaly.kind, "unit_id": anomaly.unit_id,
        "post_id": anomaly.post_id, "description": anomaly.description, "check_round": 0})
    anomaly.instance_id = instance.id
    return anomaly


def by_number(session: Session, *, school_id: int, number: str) -> Anomaly | None:
    return session.scalar(select(Anomaly).where(Anomaly.school_id == school_id, Anomaly.number == number))
