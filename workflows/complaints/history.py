"""What a complaint's timeline says about each step: the triage (or the reason it was forwarded), the first
response, the reply, the complainant's verdict, the leader's decision, the colours and chases.

The complainant's own steps (making the complaint, giving the verdict) never carry their name: the timeline is
read by the unit complained about too, so those rows say what happened and not who did it.
"""
from __future__ import annotations

from typing import Any

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.chasing import chase_sayings
from workflows.complaints.enums import LeaderDecision, TriageDecision, Verdict
from workflows.i18n import N_, Message
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said

TRIAGE_WORDS: dict[str, Message] = {TriageDecision.valid: N_("valid complaint"), TriageDecision.suggestion: N_("suggestion"),
                                    TriageDecision.not_ours: N_("not ours: forwarded")}
VERDICT_WORDS: dict[str, Message] = {Verdict.satisfied: N_("satisfied"), Verdict.not_satisfied: N_("not satisfied")}
LEADER_WORDS: dict[str, Message] = {LeaderDecision.handle_again: N_("handle it again"), LeaderDecision.close: N_("close it")}


def _received(row: AuditEvent, _found: Any) -> Said:
    return Said(label=N_("Complaint received"), automatic=True)


def _triaged(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    decision = details.get("decision", "")
    return Said(outcome=TRIAGE_WORDS.get(decision), warning=decision == TriageDecision.not_ours,
                notes=(Note(N_("Reason"), details.get("reason") or ""),))


def _responded(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(notes=(Note(N_("First response"), details.get("note") or ""),), warning=not details.get("on_time", True))


def _replied(row: AuditEvent, _found: Any) -> Said:
    return Said(notes=(Note(N_("Reply"), (row.details or {}).get("reply") or ""),))


def _rated(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    verdict = details.get("verdict", "")
    return Said(outcome=VERDICT_WORDS.get(verdict), warning=verdict == Verdict.not_satisfied, automatic=True,
                notes=(Note(N_("Comment"), details.get("comment") or ""),))


def _leader_decided(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(outcome=LEADER_WORDS.get(details.get("decision", "")), notes=(Note(N_("Instructions"), details.get("note") or ""),))


def _automatic(row: AuditEvent, _found: Any) -> Said:
    return Said(automatic=True)


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _received, "complaints.triaged": _triaged, "complaints.responded": _responded,
    "complaints.replied": _replied, "complaints.rated": _rated, "complaints.leader_decided": _leader_decided,
    **chase_sayings("complaints"), "complaints.reopened": _automatic,
    "complaints.closed": _automatic,
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE,
    reminders={"remind_response": N_("Unit reminded to respond"), "remind_reply": N_("Unit reminded to reply")},
    deadlines={"complaints.first_response.after": N_("first response due"),
               "complaints.resolution.after": N_("reply due"),
               "complaints.escalation.green.after": N_("turns green"),
               "complaints.escalation.yellow.after": N_("turns yellow"),
               "complaints.escalation.red.after": N_("turns red")},
)
