"""What a campaign's timeline says about each step: the measured indicators, each assessor's findings, the total,
the unit's answer (or its silence), the appeal and the leader's decision beside the original points, publication."""
from __future__ import annotations

from typing import Any

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.assessment.enums import AppealDecision, AssessmentAction, Confirmation
from workflows.i18n import N_, Message
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said

ANSWER_WORDS: dict[str, Message] = {Confirmation.accept: N_("result accepted"), Confirmation.appeal: N_("one item appealed")}
APPEAL_WORDS: dict[str, Message] = {AppealDecision.uphold: N_("appeal upheld"), AppealDecision.reject: N_("appeal rejected")}


def _opened(row: AuditEvent, _found: Any) -> Said:
    return Said(label=N_("Campaign opened"), automatic=True)


def _findings(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    found = "; ".join(f"{f.get('text') or f['rule']} × {f['count']} {f.get('note') or ''}".strip()
                      for f in details.get("findings", []))
    return Said(notes=(Note(N_("Item"), str(details.get("name", ""))), Note(N_("Findings"), found),
                       Note(N_("Points"), str(details.get("points", ""))), Note(N_("Comment"), details.get("note") or "")))


def _scored(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(notes=(Note(N_("Total"), str(details.get("total", ""))), Note(N_("Comment"), details.get("note") or "")))


def _confirmed(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    appeal = details.get("appeal") or {}
    notes = (Note(N_("Item"), appeal.get("item_name", "")), Note(N_("Reason"), appeal.get("reason", "")),
             Note(N_("Comment"), details.get("note") or ""))
    return Said(outcome=ANSWER_WORDS.get(details.get("decision", "")),
                warning=details.get("decision") == Confirmation.appeal, notes=notes)


def _silence(row: AuditEvent, _found: Any) -> Said:
    return Said(label=N_("Accepted: not answered in time"), automatic=True)


def _appeal_decided(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(outcome=APPEAL_WORDS.get(details.get("decision", "")),
                notes=(Note(N_("Points before"), str(details.get("original_points", ""))),
                       Note(N_("Points after"), str(details.get("points", ""))), Note(N_("Decision reasons"), details.get("note") or ""),
                       Note(N_("Total"), str(details.get("total", "")))))


def _published(row: AuditEvent, _found: Any) -> Said:
    return Said(notes=(Note(N_("Approval note"), (row.details or {}).get("note") or ""),))


def _automatic(row: AuditEvent, _found: Any) -> Said:
    return Said(automatic=True)


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _opened, AssessmentAction.measured: _automatic,
    AssessmentAction.findings_recorded: _findings, AssessmentAction.scored: _scored,
    AssessmentAction.confirmed: _confirmed, AssessmentAction.accepted_by_silence: _silence,
    AssessmentAction.appeal_decided: _appeal_decided, AssessmentAction.published: _published,
}

TIMELINE = BusinessTimeline(describe=DESCRIBE, reminders={"remind_score": N_("Assessors reminded to score")},
                            deadlines={"assessment.appeal.open_for": N_("answer due")})

ACTIONS: dict[str, Message] = {
    AssessmentAction.measured: N_("Indicators measured"), AssessmentAction.findings_recorded: N_("Findings recorded"),
    AssessmentAction.scored: N_("Scores submitted"), AssessmentAction.confirmed: N_("Unit answered"),
    AssessmentAction.accepted_by_silence: N_("Accepted by silence"), AssessmentAction.appeal_decided: N_("Appeal decided"),
    AssessmentAction.published: N_("Result published"),
}
