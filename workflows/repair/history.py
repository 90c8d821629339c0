"""What a repair order's timeline says about each business step: who reported it and what they wrote, the review
and its reason, the dispatch, the job's result and materials, each rating with its stars and comment, what the
requester said on the callback and whether it was a real problem, the rectification, the follow-up, chases,
colours and appeals, with the photos a step took.

Audit rows say which step happened; what people wrote is kept in the order's own tables (callbacks,
rectifications, ratings, urgings, appeals, photos). :func:`records` pairs each row with the record it wrote, once
per timeline; the describers read that pair.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.i18n import N_, Message
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said
from workflows.modules.timeline import on_its_own, user_id
from workflows.people.models import OrgUnit
from workflows.repair.enums import AppealAction, AppealDecision, Confirmation, LinkAction, RealProblem, ReviewDecision
from workflows.repair.models import Appeal, Callback, OrderPhoto, Rating, Rectification, Urging, WorkOrder

PROCESS_KEY = "repair"
SUPPLEMENT_MARK = "\n—\n"  # what joins information the requester added to the description (steps._supplemented)

WORDS: dict[str, Message] = {
    ReviewDecision.accept: N_("accepted"), ReviewDecision.return_: N_("returned for more information"),
    ReviewDecision.reject: N_("rejected"), AppealDecision.upheld: N_("upheld"), AppealDecision.dismissed: N_("dismissed"),
    Confirmation.OWN_LINK: N_("with the requester's own link"), Confirmation.LOGIN: N_("logged in as the requester"),
    Confirmation.PHONE: N_("confirmed with the contact phone's last digits"),
}


@dataclass
class OrderRecords:
    """The order and, by audit row id, the record each business row wrote and the photos its step took."""

    order: WorkOrder
    paired: dict[int, Any] = field(default_factory=dict)
    photos: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    teams: dict[int, str] = field(default_factory=dict)

    def of(self, row: AuditEvent) -> Any:
        return self.paired.get(row.id)


def _details(row: AuditEvent) -> dict[str, Any]:
    return row.details or {}


def _by_number(rows: Sequence[AuditEvent], records: dict[int, Any], key: str, paired: dict[int, Any]) -> None:
    """Each row wrote the record whose number (a round, an appeal id) its details name under ``key``."""
    paired.update({row.id: records.get(int(_details(row).get(key) or 0)) for row in rows})


def _in_turn(rows: Sequence[AuditEvent], records: Sequence[Any], paired: dict[int, Any]) -> None:
    """The n-th row wrote the n-th record (rows and records both oldest first)."""
    paired.update({row.id: record for row, record in zip(rows, records, strict=False)})


def records(session: Session, *, school_id: int, key: str, rows: Sequence[AuditEvent]) -> OrderRecords | None:
    """The order's records, each paired with the business row that wrote it (see :class:`OrderRecords`)."""
    order = session.scalar(select(WorkOrder).where(WorkOrder.school_id == school_id, WorkOrder.number == key))
    if order is None:
        return None
    found = OrderRecords(order)
    by_action: dict[str, list[AuditEvent]] = defaultdict(list)
    for row in rows:
        by_action[row.action].append(row)
    of_order = lambda model: session.scalars(select(model).where(model.order_id == order.id).order_by(model.id)).all()  # noqa: E731
    _by_number(by_action["order.rated"], {r.round: r for r in of_order(Rating)}, "round", found.paired)
    callbacks = of_order(Callback)
    for kind in ("callback", "followup"):
        _in_turn([r for r in by_action["order.called_back"] if _details(r).get("kind", "callback") == kind],
                 [c for c in callbacks if c.kind == kind], found.paired)
    _by_number(by_action["order.rectified"], {r.round: r for r in of_order(Rectification)}, "round", found.paired)
    _in_turn(by_action["order.urged"], of_order(Urging), found.paired)
    appeals = {a.id: a for a in session.scalars(select(Appeal).join(Rating, Rating.id == Appeal.rating_id)
                                                .where(Rating.order_id == order.id))}
    _by_number(by_action[AppealAction.filed] + by_action[AppealAction.decided], appeals, "appeal", found.paired)
    _place_photos(found, order.photos, by_action)
    teams = {_details(row).get("team_id") for row in by_action["order.dispatched"]} - {None}
    found.teams = {unit.id: unit.name for unit in session.scalars(select(OrgUnit).where(
        OrgUnit.school_id == school_id, OrgUnit.id.in_(teams)))}
    return found


def _place_photos(found: OrderRecords, photos: Sequence[OrderPhoto], by_action: dict[str, list[AuditEvent]]) -> None:
    """Report photos go with the report; a result or rectification photo with the first such step recorded after
    it was uploaded (the last one if none was)."""
    reported = [r for r in by_action[AuditAction.INSTANCE_STARTED] if _details(r).get("process_key") == PROCESS_KEY]
    steps = {"report": reported[:1], "result": by_action["order.completed"], "rectification": by_action["order.rectified"]}
    for photo in photos:
        candidates = steps.get(photo.stage) or []
        target = next((r for r in candidates if r.at >= photo.created_at), candidates[-1] if candidates else None)
        if target is not None:
            found.photos[target.id].append(photo.id)


def _reported(row: AuditEvent, rec: OrderRecords | None) -> Said | None:
    """The repair process starting is the report; an appeal's process under the same number is not."""
    if _details(row).get("process_key") != PROCESS_KEY or rec is None:
        return None
    order = rec.order
    return Said(label=N_("Reported"), by=order.entered_by_id or order.requester_id,
                people=((N_("Requester"), order.requester_id),) if order.entered_by_id else (),
                notes=(Note(N_("Problem described"), order.description.split(SUPPLEMENT_MARK)[0]),), photos=tuple(rec.photos[row.id]))


def _reviewed(row: AuditEvent, _rec: Any) -> Said:
    details = _details(row)
    return Said(outcome=WORDS.get(details.get("decision", "")), warning=details.get("decision") != ReviewDecision.accept,
                notes=(Note(N_("Reason"), details.get("reason") or ""),))


def _supplemented(row: AuditEvent, _rec: Any) -> Said:
    return Said(notes=(Note(N_("Added information"), _details(row).get("details") or ""),))


def _dispatched(row: AuditEvent, rec: OrderRecords | None) -> Said:
    details = _details(row)
    team = rec.teams.get(details.get("team_id") or 0, "") if rec else ""
    return Said(people=((N_("Worker"), details.get("worker_id")),),
                notes=(Note(N_("Team"), team), Note(N_("Note"), details.get("note") or "")))


def _job_answered(row: AuditEvent, _rec: Any) -> Said:
    details = _details(row)
    if details.get("declined"):
        return Said(label=N_("Job declined by the worker"), notes=(Note(N_("Reason"), details.get("reason") or ""),))
    return Said(label=N_("Job taken"))


def _completed(row: AuditEvent, rec: OrderRecords | None) -> Said:
    order = rec.order if rec else None
    return Said(notes=(Note(N_("Result"), _details(row).get("result") or (order.result_note if order else "") or ""),
                       Note(N_("Materials used"), (order.materials if order else "") or "")),
                photos=tuple(rec.photos[row.id]) if rec else ())


def _rated(row: AuditEvent, rec: OrderRecords | None) -> Said:
    rating: Rating | None = rec.of(row) if rec else None
    details = _details(row)
    if rating is None:
        return Said(stars=details.get("overall"), outcome=N_("bad rating") if details.get("bad") else None,
                    warning=bool(details.get("bad")))
    if rating.is_default:
        return Said(label=N_("Counted as good: not rated in time"), stars=rating.overall)
    return Said(stars=rating.overall, outcome=N_("bad rating") if rating.is_bad else None, warning=rating.is_bad,
                notes=(Note(N_("Comment on the service"), rating.comment or ""),))


def _called_back(row: AuditEvent, rec: OrderRecords | None) -> Said:
    call: Callback | None = rec.of(row) if rec else None
    kind = _details(row).get("kind", "callback")
    said = Note(N_("What the requester said"), call.requester_said if call else "")
    if kind == "followup":
        return Said(label=N_("Follow-up call after the rectification"), notes=(said,))
    real = _details(row).get("real_problem")
    if real is None and call is not None and call.real_problem is not None:
        real = RealProblem.yes if call.real_problem else RealProblem.no
    outcomes: dict[str, Message] = {RealProblem.yes: N_("a real problem: passed on for rectification"),
                                    RealProblem.no: N_("no real problem: explained on the call")}
    outcome = outcomes.get(real or "")
    return Said(outcome=outcome, warning=real == RealProblem.yes, notes=(said,))


def _rectified(row: AuditEvent, rec: OrderRecords | None) -> Said:
    done: Rectification | None = rec.of(row) if rec else None
    return Said(notes=(Note(N_("What was fixed"), done.result_note if done else ""),),
                photos=tuple(rec.photos[row.id]) if rec else ())


def _coloured(row: AuditEvent, _rec: Any) -> Said:
    """The order crossed a threshold: the colour, no one's name (a timer did it)."""
    return Said(colour=_details(row).get("colour"), automatic=True)


def _urged(row: AuditEvent, rec: OrderRecords | None) -> Said:
    urging: Urging | None = rec.of(row) if rec else None
    action = urging.action_note if urging else _details(row).get("action")
    return Said(colour=_details(row).get("colour"), notes=(Note(N_("Chasing note"), action or ""),))


def _appeal_filed(row: AuditEvent, _rec: Any) -> Said:
    details = _details(row)
    return Said(stars=details.get("overall"), notes=(Note(N_("Reason"), details.get("reason") or ""),))


def _appeal_decided(row: AuditEvent, rec: OrderRecords | None) -> Said:
    appeal: Appeal | None = rec.of(row) if rec else None
    details = _details(row)
    return Said(outcome=WORDS.get(details.get("decision", "")),
                notes=(Note(N_("Explanation"), (appeal.decision_note if appeal else details.get("note")) or ""),))


def _rated_by_link(row: AuditEvent, _rec: Any) -> Said:
    details = _details(row)
    return Said(outcome=WORDS.get(details.get("confirmed_by", "")),
                people=((N_("Code shown by"), user_id(details.get("shown_by"))),))


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _reported, "order.reviewed": _reviewed, "order.supplemented": _supplemented, "order.lapsed": on_its_own,
    "order.dispatched": _dispatched, "order.job_accepted": _job_answered, "order.completed": _completed,
    "order.rated": _rated, "order.called_back": _called_back, "order.rectified": _rectified,
    "order.leader_review": on_its_own, "order.coloured": _coloured, "order.urged": _urged, "order.closed": on_its_own,
    AppealAction.filed: _appeal_filed, AppealAction.decided: _appeal_decided, LinkAction.RATED: _rated_by_link,
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE, records=records, photo_link=("orders.photo", "photo_id"),
    reminders={"remind_auditor": N_("Auditors reminded to review"),
               "remind_worker": N_("Worker reminded of the overdue job (auditors copied)"),
               "remind_callback": N_("Auditors reminded to call the requester back"),
               "remind_supplement": N_("Requester reminded to add the missing information"),
               "remind_followup": N_("Auditors reminded to make the follow-up call")},
    deadlines={"repair.escalation.green.after": N_("turns green"), "repair.escalation.yellow.after": N_("turns yellow"),
               "repair.escalation.red.after": N_("turns red"), "repair.review.reminder_after": N_("review reminder"),
               "repair.review.repeat_every": N_("review reminder"), "repair.work.overdue_after": N_("overdue reminder"),
               "repair.work.repeat_every": N_("overdue reminder"),
               "repair.callback.reminder_after": N_("call reminder"), "repair.callback.repeat_every": N_("call reminder"),
               "repair.supplement.reminder_after": N_("information reminder"),
               "repair.supplement.repeat_every": N_("information reminder"),
               "repair.supplement.close_after": N_("closes without the information"),
               "repair.rating.default_good_after": N_("counted as good when not rated")},
)
