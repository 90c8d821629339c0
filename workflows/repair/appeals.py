"""Appeals against unfair ratings: filed by an auditor, decided by a leader in the appeal process."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.advance import start
from engine.audit import record
from engine.clock import now
from engine.host import Host
from workflows.people.enums import Role
from workflows.repair.enums import AppealAction, AppealStatus
from workflows.repair.models import Appeal, Rating, WorkOrder

PROCESS_KEY = "rating_appeal"


class AppealRefused(ValueError):
    pass


def file_appeal(session: Session, host: Host, *, rating_id: int, actor: Actor, reason: str) -> Appeal:
    """Open an appeal on a rating of the actor's school; one open appeal per rating at a time."""
    rating = session.get(Rating, rating_id)
    if rating is None or rating.school_id != actor.school_id:
        raise AppealRefused("unknown rating")
    order = session.get_one(WorkOrder, rating.order_id)
    if not actor.may(Role.auditor, order.unit_id):
        raise AppealRefused("only an auditor of the service unit may appeal a rating")
    if not reason.strip():
        raise AppealRefused("give the reason for the appeal")
    if session.scalar(select(Appeal.id).where(Appeal.rating_id == rating_id, Appeal.decision.is_(None))):
        raise AppealRefused("this rating already has an open appeal")
    appeal = Appeal(school_id=rating.school_id, rating_id=rating_id, filed_by_id=actor.id, reason=reason.strip(), filed_at=now())
    session.add(appeal)
    session.flush()
    rating.appeal_status = AppealStatus.filed
    instance = start(host, session, process_key=PROCESS_KEY, actor=actor, business_key=order.number, school_id=order.school_id,
                     data={"appeal_id": appeal.id, "order_id": order.id, "order_number": order.number,
                           "unit_id": order.unit_id, "filed_by_id": actor.id, "appeal_reason": appeal.reason})
    record(session, action=AppealAction.filed, actor=actor.label, instance=instance,
           details={"appeal": appeal.id, "rating_round": rating.round, "overall": rating.overall, "reason": appeal.reason})
    return appeal
