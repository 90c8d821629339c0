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
    "repair.supplement.reminder_after": _l("Remind the requester when a returned order's information is not added within"),
    "repair.supplement.repeat_every": _l("Then remind the requester again every"),
    "repair.supplement.close_after": _l("Close a returned order, not accepted, when its information is not added within"),
    "repair.work.overdue_after": _l("Overdue reminder when a job is not completed within"),
    "repair.work.repeat_every": _l("Then remind the worker again every"),
    "repair.callback.reminder_after": _l("Remind the auditors when a bad rating's callback or a follow-up call is not made within"),
    "repair.callback.repeat_every": _l("Then remind them to call again every"),
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
    "surveys.reminder.first_after": _l("Remind those asked who have not answered a survey after it has been open for"),
    "surveys.reminder.repeat_every": _l("Then remind them again every"),
    "inspections.inspector.role": _l("Who inspects and re-checks fixes"),
    "inspections.unit.role": _l("Who rectifies an inspection finding in the responsible unit"),
    "inspections.generate.ahead_for": _l("Plan each scheduled inspection round this long before its day"),
    "inspections.finding.minor.due_after": _l("A minor finding is rectified within"),
    "inspections.finding.major.due_after": _l("A major finding is rectified within"),
    "inspections.finding.critical.due_after": _l("A critical finding is rectified within"),
    "inspections.rectification.repeat_every": _l("Past the deadline, remind the unit to rectify again every"),
    "inspections.escalation.green.after": _l("Finding not rectified: green after the deadline by"),
    "inspections.escalation.green.role": _l("Finding, green: who chases"),
    "inspections.escalation.yellow.after": _l("Finding not rectified: yellow after the deadline by"),
    "inspections.escalation.yellow.role": _l("Finding, yellow: who chases"),
    "inspections.escalation.red.after": _l("Finding not rectified: red after the deadline by"),
    "inspections.escalation.red.role": _l("Finding, red: who chases"),
    "staff.leader.role": _l("The unit's leader for service staff: shortfalls, expiring certificates, renewals"),
    "staff.certificate.first_reminder.before": _l("First certificate reminder this long before it expires"),
    "staff.certificate.second_reminder.before": _l("Second certificate reminder this long before it expires"),
    "staff.certificate.last_reminder.before": _l("Last certificate reminder this long before it expires"),
    "staff.staffing.min_percent": _l("Tell the unit's leader when a post is staffed below this percentage of its plan"),
    "attendance.match.tolerance_percent": _l("A face matches an enrolled one within this distance (hundredths)"),
    "attendance.checkin.replay_for": _l("Refuse the very same photo sent again within"),
    "attendance.checkin.repeat_after": _l("A second check-in counts only after"),
    "attendance.unknown.kept_for": _l("Keep refused unknown faces for review for"),
    "attendance.enrolment.keep_photos": _l("Keep enrolment photos (otherwise only the face encodings)"),
    "attendance.shift.late_after": _l("Late when arriving more than this after the shift starts"),
    "attendance.shift.early_before": _l("Early leave when leaving more than this before the shift ends"),
    "attendance.shift.opens_before": _l("Check-ins count for a shift from this long before it starts"),
    "attendance.shift.closes_after": _l("Check-ins count for a shift until this long after it ends"),
    "duty.check_in.grace_after": _l("Off post when there is no check-in this long after the shift starts"),
    "duty.patrol.every": _l("Each patrol point is scanned at least every"),
    "duty.patrol.grace_after": _l("Off post when a patrol is this long past due"),
    "duty.presence.checks_per_night": _l("Random presence checks in each night shift"),
    "duty.presence.unanswered_after": _l("Suspected sleeping when a presence check is not answered within"),
    "duty.presence.night_from_hour": _l("Presence checks from this hour (school time)"),
    "duty.presence.night_until_hour": _l("Presence checks until this hour (school time)"),
    "duty.handover.late_after": _l("A handover not confirmed by both this long after the shift change is late"),
    "duty.readings.ahead_for": _l("Refuse readings stamped further ahead of the clock than"),
    "duty.readings.boiler_temperature.min": _l("Boiler temperature: lowest (°C)"),
    "duty.readings.boiler_temperature.max": _l("Boiler temperature: highest (°C)"),
    "duty.readings.boiler_pressure.min": _l("Boiler pressure: lowest (kPa)"),
    "duty.readings.boiler_pressure.max": _l("Boiler pressure: highest (kPa)"),
    "duty.readings.water_tank_level.min": _l("Water tank level: lowest (%)"),
    "duty.readings.water_tank_level.max": _l("Water tank level: highest (%)"),
    "duty.readings.power_room_temperature.min": _l("Power room temperature: lowest (°C)"),
    "duty.readings.power_room_temperature.max": _l("Power room temperature: highest (°C)"),
    "duty.readings.fire_panel_faults.min": _l("Fire panel faults: fewest"),
    "duty.readings.fire_panel_faults.max": _l("Fire panel faults: most"),
    "duty.repeats.within_for": _l("Count earlier anomalies of the same kind at a post or person over"),
    "duty.unit.role": _l("Who plans and acts on a duty anomaly in the responsible unit"),
    "duty.supervisor.role": _l("Who checks a duty anomaly's result and approves roster changes"),
    "duty.plan.due_after": _l("The unit states a duty anomaly's plan within"),
    "duty.plan.repeat_every": _l("Then remind the unit to plan again every"),
    "duty.do.repeat_every": _l("Past the plan's deadline, remind the unit again every"),
    "duty.check.due_after": _l("The supervisor checks the result within"),
    "duty.escalation.green.after": _l("Duty anomaly: green after"),
    "duty.escalation.green.role": _l("Duty anomaly, green: who chases"),
    "duty.escalation.yellow.after": _l("Duty anomaly: yellow after"),
    "duty.escalation.yellow.role": _l("Duty anomaly, yellow: who chases"),
    "duty.escalation.red.after": _l("Duty anomaly: red after"),
    "duty.escalation.red.role": _l("Duty anomaly, red: who chases"),
    "assessment.assessor.role": _l("Who scores assessment items"),
    "assessment.scoring.due_after": _l("Assessors submit the scores within"),
    "assessment.scoring.repeat_every": _l("Then remind the assessors again every"),
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
