"""Anomalies as pages and the API show them: their words in the reader's language, the post, person and device."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workflows.duty.enums import Stage
from workflows.duty.labels import EVIDENCE_WORDS, KIND_WORDS, METRIC_WORDS, STAGE_WORDS
from workflows.duty.models import Anomaly, Equipment, Post
from workflows.i18n import translate
from workflows.people.models import User


def what_found(anomaly: Anomaly, locale: str) -> str:
    """What went wrong in words: the reading, the kind of miss (a patrol, a check-in …) and its details."""
    what = (anomaly.evidence or {}).get("what")
    parts = [translate(METRIC_WORDS[anomaly.metric], locale) if anomaly.metric else "",
             translate(EVIDENCE_WORDS[what], locale) if what in EVIDENCE_WORDS else "", anomaly.description]
    return " ".join(p for p in parts if p)


def names(session: Session, anomaly: Anomaly) -> dict[str, str]:
    post = session.get(Post, anomaly.post_id) if anomaly.post_id else None
    person = session.get(User, anomaly.user_id) if anomaly.user_id else None
    device = session.get(Equipment, anomaly.equipment_id) if anomaly.equipment_id else None
    return {"post": post.name if post else "", "person": person.display_name if person else "",
            "equipment": device.name if device else ""}


def as_dict(session: Session, anomaly: Anomaly, locale: str) -> dict[str, Any]:
    named = names(session, anomaly)
    return {"number": anomaly.number, "kind": anomaly.kind, "kind_label": translate(KIND_WORDS[anomaly.kind], locale),
            "stage": anomaly.stage, "stage_label": translate(STAGE_WORDS[anomaly.stage], locale),
            "colour": anomaly.colour, "post": named["post"], "person": named["person"],
            "equipment": named["equipment"],
            "metric": translate(METRIC_WORDS[anomaly.metric], locale) if anomaly.metric else None,
            "description": what_found(anomaly, locale), "evidence": anomaly.evidence, "repeats": anomaly.repeats,
            "rounds": anomaly.rounds, "occurred_at": anomaly.occurred_at.isoformat(),
            "detected_at": anomaly.detected_at.isoformat(),
            "closed_at": anomaly.closed_at.isoformat() if anomaly.closed_at else None}


def listing(*, school_id: int, kind: str | None = None, stage: str | None = None, post_id: int | None = None,
            user_id: int | None = None) -> Select[Any]:
    stmt = select(Anomaly).where(Anomaly.school_id == school_id)
    if kind:
        stmt = stmt.where(Anomaly.kind == kind)
    if stage == "open":
        stmt = stmt.where(Anomaly.stage != Stage.closed)
    elif stage:
        stmt = stmt.where(Anomaly.stage == stage)
    if post_id:
        stmt = stmt.where(Anomaly.post_id == post_id)
    if user_id:
        stmt = stmt.where(Anomaly.user_id == user_id)
    return stmt.order_by(Anomaly.detected_at.desc(), Anomaly.id.desc())
