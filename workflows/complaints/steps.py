"""What each step of the complaint diagram records on the complaint, called from diagram scripts.

``complaint_step("triaged", complaint_id, triage)`` sets the responsible unit and the deadlines the rules give it
(urgent complaints have shorter ones; a rule counted in working time counts on the school's calendar);
``complaint_step("rated", complaint_id, satisfaction)`` answers where the diagram goes next: closed, handled again,
or raised to the leader once the rounds the rules allow are used.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.chasing import chase_steps
from workflows.complaints.enums import LeaderDecision, Next, Status, TriageDecision, Verdict
from workflows.complaints.models import Complaint
from workflows.stepping import StepRefused


def _deadline_key(complaint: Complaint, what: str) -> str:
    return f"complaints.{what}.{'urgent_after' if complaint.urgent else 'after'}"


def _triaged(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, triage: dict) -> dict:
    decision = triage.get("decision")
    if decision not in set(TriageDecision):
        raise StepRefused(f"unknown triage decision {decision!r}")
    complaint.triage_decision = decision
    if decision == TriageDecision.not_ours:
        complaint.status, complaint.forward_reason, complaint.closed_at = Status.forwarded, triage.get("reason"), ctx.at
        return {"decision": decision, "reason": complaint.forward_reason, "unit_id": complaint.unit_id}
    if triage.get("unit_id"):
        complaint.unit_id = int(triage["unit_id"])
    if complaint.unit_id is None:
        raise StepRefused(f"complaint {complaint.number} has no responsible unit")
    complaint.urgent = complaint.urgent or bool(triage.get("urgent"))
    complaint.status = Status.handling
    complaint.first_response_due = rules.deadline(_deadline_key(complaint, "first_response"), ctx.at)
    complaint.resolution_due = rules.deadline(_deadline_key(complaint, "resolution"), ctx.at)
    return {"decision": decision, "unit_id": complaint.unit_id, "urgent": complaint.urgent,
            "first_response_due": complaint.first_response_due.isoformat(),
            "resolution_due": complaint.resolution_due.isoformat()}


def _responded(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, response: dict) -> dict:
    if complaint.first_response_at is None:
        complaint.first_response_at = ctx.at
    return {"note": response.get("note"), "on_time": bool(complaint.first_response_due and
                                                          complaint.first_response_at <= complaint.first_response_due)}


def _replied(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, reply: dict) -> dict:
    if complaint.status not in (Status.handling,):
        raise StepRefused(f"complaint {complaint.number} is not being handled")
    complaint.reply, complaint.replied_at, complaint.status = reply.get("reply") or "", ctx.at, Status.replied
    return {"reply": complaint.reply, "round": complaint.rounds}


def _rated(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, satisfaction: dict) -> dict:
    verdict = satisfaction.get("verdict")
    if verdict not in set(Verdict):
        raise StepRefused(f"unknown verdict {verdict!r}")
    complaint.satisfied = verdict == Verdict.satisfied
    if complaint.satisfied:
        nxt = Next.close
    elif complaint.rounds < int(rules.value("complaints.reopen.max_rounds")):
        nxt = Next.reopen
    else:
        nxt = Next.leader
        complaint.status = Status.leader
    return {"verdict": verdict, "comment": satisfaction.get("comment"), "next": nxt}


def _reopened(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, _data: Any = None) -> dict:
    """Handled again: a new round with a fresh resolution deadline."""
    complaint.rounds += 1
    complaint.status = Status.handling
    complaint.resolution_due = rules.deadline(_deadline_key(complaint, "resolution"), ctx.at)
    return {"round": complaint.rounds, "resolution_due": complaint.resolution_due.isoformat()}


def _leader_decided(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, decision: dict) -> dict:
    chosen = decision.get("decision")
    if chosen not in set(LeaderDecision):
        raise StepRefused(f"unknown leader decision {chosen!r}")
    return {"decision": chosen, "note": decision.get("note"),
            "next": Next.reopen if chosen == LeaderDecision.handle_again else Next.close}


def _closed(complaint: Complaint, ctx: AdvanceContext, rules: RuleBook, _data: Any = None) -> dict:
    complaint.status, complaint.closed_at = Status.closed, ctx.at
    return {"satisfied": complaint.satisfied, "colour": complaint.colour}


STEPS: dict[str, Callable[..., dict]] = {
    "triaged": _triaged, "responded": _responded, "replied": _replied, "rated": _rated, "reopened": _reopened,
    "leader_decided": _leader_decided, **chase_steps("complaints"), "closed": _closed,
}


def apply_step(rules: RuleBook, name: str, complaint_id: int, *args: Any) -> dict:
    """Run step ``name`` on the complaint inside the current advance and audit it."""
    return stepping.apply(STEPS, Complaint, "complaints", rules, name, complaint_id, *args)
