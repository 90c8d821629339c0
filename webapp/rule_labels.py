"""What a person reads for a rule: each key's label and each recipient's name, in the page's language.

The rules admin pages and the diagram editor (which offers a timer the duration rules by these labels) share them;
a key is never shown without its label.
"""
from __future__ import annotations

from typing import Any

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from rules.keys import TaskParty, recipients
from webapp.shared import ROLE_LABELS

KEY_LABELS = {
    "repair.review.reminder_after": _l("Remind the auditors when an order is not reviewed within"),
    "repair.review.repeat_every": _l("Then remind them again every"),
    "repair.work.overdue_after": _l("Overdue reminder when a job is not completed within"),
    "repair.work.repeat_every": _l("Then remind the worker again every"),
    "repair.escalation.green.after": _l("Green after"),
    "repair.escalation.green.role": _l("Green: who chases"),
    "repair.escalation.yellow.after": _l("Yellow after"),
    "repair.escalation.yellow.role": _l("Yellow: who chases"),
    "repair.escalation.red.after": _l("Red after"),
    "repair.escalation.red.role": _l("Red: who chases"),
    "repair.rating.bad_below": _l("A rating is bad when the overall stars are below"),
    "repair.rating.default_good_after": _l("Unrated orders count as good after"),
    "repair.rating.link_valid_for": _l("Rating links are valid for"),
    "repair.rectification.max_rounds": _l("Rectification rounds before the deputy leader decides"),
    "repair.rectification.due_after": _l("A rectification round is due within"),
    "repair.rectification.repeat_every": _l("Then chase the repair centre again every"),
    "repair.rectification.overdue.role": _l("Overdue rectification: copy to"),
    "repair.visibility.team_orders": _l("Workers see every order of their team"),
    "plans.generate.ahead_for": _l("Create each occurrence of a plan this long before it starts"),
    "plans.remind.before": _l("Remind the responsible person this long before an occurrence starts"),
    "plans.escalation.green.after": _l("Overdue plan: green after the due time by"),
    "plans.escalation.green.role": _l("Overdue plan, green: who is told"),
    "plans.escalation.yellow.after": _l("Overdue plan: yellow after the due time by"),
    "plans.escalation.yellow.role": _l("Overdue plan, yellow: who is told"),
    "plans.escalation.red.after": _l("Overdue plan: red after the due time by"),
    "plans.escalation.red.role": _l("Overdue plan, red: who is told"),
    "plans.rectification.max_rounds": _l("Failed evaluations before the occurrence closes as failed"),
    "delegation.report.every": _l("Ask for a progress report when none came for"),
    "delegation.unit.role": _l("Who takes a task assigned to a unit"),
    "delegation.slip.green.before": _l("Green slip this long before the deadline"),
    "delegation.slip.green.to": _l("Green slip goes to"),
    "delegation.slip.yellow.after": _l("Yellow slip this long after the deadline"),
    "delegation.slip.yellow.to": _l("Yellow slip goes to"),
    "delegation.slip.red.after": _l("Red slip this long after the deadline"),
    "delegation.slip.red.to": _l("Red slip goes to"),
    "complaints.unit.role": _l("Who handles a complaint in the responsible unit"),
    "complaints.triage.role": _l("Who triages complaints"),
    "complaints.triage.reminder_after": _l("Remind the office when a complaint is not triaged within"),
    "complaints.triage.repeat_every": _l("Then remind the office again every"),
    "complaints.first_response.after": _l("A complaint gets its first response within"),
    "complaints.first_response.urgent_after": _l("An urgent complaint gets its first response within"),
    "complaints.first_response.repeat_every": _l("Then remind the unit to respond again every"),
    "complaints.resolution.after": _l("A complaint gets its reply within"),
    "complaints.resolution.urgent_after": _l("An urgent complaint gets its reply within"),
    "complaints.resolution.repeat_every": _l("Then remind the unit to reply again every"),
    "complaints.escalation.green.after": _l("Complaint: green after"),
    "complaints.escalation.green.role": _l("Complaint, green: who chases"),
    "complaints.escalation.yellow.after": _l("Complaint: yellow after"),
    "complaints.escalation.yellow.role": _l("Complaint, yellow: who chases"),
    "complaints.escalation.red.after": _l("Complaint: red after"),
    "complaints.escalation.red.role": _l("Complaint, red: who chases"),
    "complaints.satisfaction.unanswered_after": _l("Close a replied complaint the complainant does not answer within"),
    "complaints.reopen.max_rounds": _l("Times a complaint is handled again before the leader decides"),
    "complaints.leader.role": _l("Who decides when the complainant is still not satisfied"),
    "assessment.assessor.role": _l("Who scores assessment items"),
    "assessment.scoring.due_after": _l("Assessors submit the scores within"),
    "assessment.unit.role": _l("Who confirms or appeals an assessment result in the assessed unit"),
    "assessment.appeal.open_for": _l("The unit confirms or appeals an assessment result within"),
    "assessment.leader.role": _l("Who decides assessment appeals and approves the results"),
}
PARTY_LABELS = {TaskParty.assignee: _l("Task assignee"), TaskParty.assigner: _l("Assigner")}


def key_label(key: str) -> str:
    """A rule's label; an unknown key (one a newer version added and this one lacks) is named as a rule."""
    label = KEY_LABELS.get(key)
    return str(label) if label is not None else _("Rule %(key)s", key=key)


def recipient_label(value: str) -> str:
    """The task's assignee or assigner, or a role, by name."""
    label = PARTY_LABELS.get(value) or ROLE_LABELS.get(value)  # type: ignore[call-overload]
    return str(label) if label is not None else value


def recipient_choices() -> list[tuple[str, str]]:
    """(value, label) of everyone a message may go to: the task's people first, then every role."""
    return [(str(party), str(label)) for party, label in PARTY_LABELS.items()] + \
        [(str(role), str(label)) for role, label in ROLE_LABELS.items()]


def show_recipients(value: Any) -> str:
    """Recipients as a sentence lists them: "任务办理人和主要领导", "Task assignee and Main leader"."""
    return format_list([recipient_label(r) for r in recipients(value)], locale=get_locale())
