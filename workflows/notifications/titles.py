"""Readable titles of notifications by kind, in zh_CN and English, and the names of the kinds and channels.

One source for the bell (web), e-mail subjects, personal messages and group-bot messages. No Flask here: the caller passes
the locale (``"zh_CN"`` or ``"en"``; anything starting with ``en`` counts as English), and the words come
from the web pages' catalog through :mod:`workflows.i18n`.
"""
from __future__ import annotations

from typing import Any

from workflows.colours import Colour
from workflows.hooks.enums import CHANNEL as HOOK_CHANNEL
from workflows.i18n import N_, normalise, translate
from workflows.notifications.enums import PersonalChannel
from workflows.repair.enums import AppealDecision
from workflows.staff.enums import ReviewDecision

TITLES: dict[str, str] = {
    "repair.review_overdue": N_("Order %(order)s is still waiting for review."),
    "repair.job_overdue": N_("Your job on order %(order)s is overdue."),
    "repair.job_overdue_copy": N_("A worker's job on order %(order)s is overdue."),
    "repair.escalated": N_("Order %(order)s is %(colour)s: please chase it."),
    "repair.bad_rating": N_("Bad rating (%(stars)s of 5) on order %(order)s: call the requester back."),
    "repair.call_overdue": N_("Order %(order)s: the requester is still waiting for your call about the bad rating."),
    "repair.rate_request": N_("Please rate the repair of order %(order)s."),
    "repair.dispatched": N_("New job: order %(order)s."),
    "repair.returned": N_("Order %(order)s was returned to you for more information: %(note)s"),
    "repair.rejected": N_("Order %(order)s was not accepted: %(note)s"),
    "repair.supplement_due": N_("Order %(order)s still waits for the information the auditor asked for: %(note)s"),
    "repair.lapsed": N_("Order %(order)s was closed: the missing information was not added in time."),
    "repair.urged": N_("Order %(order)s (%(colour)s) is being chased: %(note)s"),
    "repair.rectification_exhausted": N_("Order %(order)s: the rectification rounds are used up; please decide."),
    "repair.rectification_overdue": N_("Order %(order)s: the rectification is overdue."),
    "repair.appeal_filed": N_("A rating appeal was filed on order %(order)s."),
    "repair.appeal_decided": N_("The rating appeal on order %(order)s was %(decision)s."),
    "report.ready": N_("Service analysis report ready: %(title)s"),
    "job.overdue": N_("Quick job overdue: %(title)s"),
    "plans.reminder": N_("Reminder: work plan %(title)s is due."),
    "plans.evidence_missing": N_("Work plan %(title)s: evidence is missing."),
    "plans.review_failed": N_("Work plan %(title)s did not pass review: please redo it."),
    "plans.failed": N_("Work plan %(title)s was not done."),
    "plans.escalated": N_("Work plan %(title)s is %(colour)s: please chase it."),
    "delegation.assigned": N_("New delegated task: %(title)s."),
    "delegation.report_due": N_("Delegated task %(title)s: a progress report is due."),
    "delegation.to_accept": N_("Delegated task %(title)s is done: please check and accept it."),
    "delegation.sent_back": N_("Delegated task %(title)s was sent back: please rework it."),
    "delegation.blocked": N_("Delegated task %(title)s cannot be accepted while its sub-tasks are open."),
    "delegation.slip": N_("Delegated task %(title)s is %(colour)s: please chase it."),
    "complaints.to_triage": N_("New complaint %(title)s: please triage it."),
    "complaints.to_handle": N_("Complaint %(title)s is for your unit: please respond."),
    "complaints.triage_overdue": N_("Complaint %(title)s is still waiting for triage."),
    "complaints.response_overdue": N_("Complaint %(title)s is still waiting for its first response."),
    "complaints.reply_overdue": N_("Complaint %(title)s is still waiting for its reply."),
    "complaints.replied": N_("Your complaint %(title)s has a reply: were you satisfied?"),
    "complaints.forwarded": N_("Your complaint %(title)s was passed on to whom it concerns."),
    "complaints.escalated": N_("Complaint %(title)s is %(colour)s: please chase it."),
    "complaints.to_leader": N_("Complaint %(title)s: the complainant is still not satisfied; please decide."),
    "surveys.reminder": N_("Survey %(title)s is waiting for your answers."),
    "inspections.to_rectify": N_("Inspection finding %(title)s is for your unit: please rectify it."),
    "inspections.rectify_overdue": N_("Inspection finding %(title)s is past its deadline: please rectify it."),
    "inspections.escalated": N_("Inspection finding %(title)s is %(colour)s: please chase it."),
    "inspections.to_recheck": N_("Inspection finding %(title)s was rectified: please re-check it."),
    "inspections.recheck_failed": N_("Inspection finding %(title)s did not pass the re-check: please rectify it again."),
    "staff.certificate_expiring": N_("Certificate %(title)s expires in %(days)s days: please renew it."),
    "staff.certificate_expired": N_("Certificate %(title)s has expired: the person may not work on items that require it."),
    "staff.certificate_reviewed": N_("Certificate %(title)s was reviewed: %(decision)s."),
    "staff.shortfall": N_("Staffing shortfall: %(title)s (in service / planned)."),
    "duty.to_plan": N_("Duty anomaly %(title)s is for your unit: state the cause and actions."),
    "duty.plan_overdue": N_("Duty anomaly %(title)s is still waiting for its plan."),
    "duty.do_overdue": N_("Duty anomaly %(title)s: the actions are past their deadline."),
    "duty.to_check": N_("Duty anomaly %(title)s: please check the result."),
    "duty.check_failed": N_("Duty anomaly %(title)s did not pass the check: plan again."),
    "duty.escalated": N_("Duty anomaly %(title)s is %(colour)s: please chase it."),
    "duty.presence_check": N_("Presence check at %(title)s: scan the post's code now."),
    "assessment.to_score": N_("Assessment %(title)s is open: please score your items."),
    "assessment.scoring_overdue": N_("Assessment %(title)s is past its scoring deadline: please score your items."),
    "assessment.to_confirm": N_("Assessment %(title)s is scored: please confirm or appeal the result in time."),
    "assessment.appealed": N_("Assessment %(title)s: the unit appealed an item; please decide."),
    "assessment.published": N_("Assessment %(title)s: the result is published."),
}
FALLBACK = N_("%(kind)s on %(key)s")
NOTE_CHARS = 120  # of a person's note quoted in a title
# what each kind is about, for the person choosing which kinds reach them by which channel
KIND_LABELS: dict[str, str] = {
    "repair.dispatched": N_("A new job for me"),
    "repair.returned": N_("My order was returned for more information"),
    "repair.rejected": N_("My order was not accepted"),
    "repair.supplement_due": N_("My returned order still waits for information"),
    "repair.lapsed": N_("My returned order was closed without the information"),
    "repair.urged": N_("A job of mine or my team's is being chased"),
    "repair.job_overdue": N_("My job is overdue"),
    "repair.job_overdue_copy": N_("A worker's job is overdue"),
    "repair.review_overdue": N_("An order waits too long for review"),
    "repair.escalated": N_("An order turns green, yellow or red"),
    "repair.bad_rating": N_("A bad rating"),
    "repair.call_overdue": N_("A callback or follow-up call is overdue"),
    "repair.rate_request": N_("Please rate a repair"),
    "repair.rectification_exhausted": N_("Rectification rounds used up"),
    "repair.rectification_overdue": N_("A rectification is overdue"),
    "repair.appeal_filed": N_("A rating appeal was filed"),
    "repair.appeal_decided": N_("A rating appeal was decided"),
    "report.ready": N_("A service analysis report is ready"),
    "job.overdue": N_("A quick job is overdue"),
    "plans.reminder": N_("A work plan of mine is due"),
    "plans.evidence_missing": N_("A work plan lacks evidence"),
    "plans.review_failed": N_("A work plan did not pass review"),
    "plans.failed": N_("A work plan was not done"),
    "plans.escalated": N_("A work plan turns yellow or red"),
    "delegation.assigned": N_("A new delegated task"),
    "delegation.report_due": N_("A progress report is due"),
    "delegation.to_accept": N_("A delegated task waits for my acceptance"),
    "delegation.sent_back": N_("A delegated task was sent back"),
    "delegation.blocked": N_("A delegated task has open sub-tasks"),
    "delegation.slip": N_("A delegated task turns yellow or red"),
    "complaints.to_triage": N_("A new complaint to triage"),
    "complaints.to_handle": N_("A complaint for my unit"),
    "complaints.triage_overdue": N_("A complaint waits too long for triage"),
    "complaints.response_overdue": N_("A complaint waits for its first response"),
    "complaints.reply_overdue": N_("A complaint waits for its reply"),
    "complaints.replied": N_("My complaint has a reply"),
    "complaints.forwarded": N_("My complaint was passed on"),
    "complaints.escalated": N_("A complaint turns green, yellow or red"),
    "complaints.to_leader": N_("A complaint is raised to me"),
    "surveys.reminder": N_("A survey waits for my answers"),
    "inspections.to_rectify": N_("An inspection finding for my unit"),
    "inspections.rectify_overdue": N_("An inspection finding is past its deadline"),
    "inspections.escalated": N_("An inspection finding turns green, yellow or red"),
    "inspections.to_recheck": N_("A fix waits for my re-check"),
    "inspections.recheck_failed": N_("A fix did not pass the re-check"),
    "staff.certificate_expiring": N_("A certificate is about to expire"),
    "staff.certificate_expired": N_("A certificate has expired"),
    "staff.certificate_reviewed": N_("My certificate was reviewed"),
    "staff.shortfall": N_("A post of my unit is understaffed"),
    "duty.to_plan": N_("A duty anomaly for my unit"),
    "duty.plan_overdue": N_("A duty anomaly waits for its plan"),
    "duty.do_overdue": N_("A duty anomaly's actions are overdue"),
    "duty.to_check": N_("A duty anomaly waits for my check"),
    "duty.check_failed": N_("A duty anomaly did not pass the check"),
    "duty.escalated": N_("A duty anomaly turns green, yellow or red"),
    "duty.presence_check": N_("A presence check on duty"),
    "assessment.to_score": N_("An assessment to score"),
    "assessment.scoring_overdue": N_("An assessment's scoring is overdue"),
    "assessment.to_confirm": N_("My unit's assessment result to confirm"),
    "assessment.appealed": N_("An assessment appeal to decide"),
    "assessment.published": N_("My unit's assessment result is published"),
}
CHANNEL_LABELS: dict[str, str] = {
    PersonalChannel.wecom: N_("WeCom"), PersonalChannel.wechat: N_("WeChat"),
    PersonalChannel.email: N_("E-mail"), PersonalChannel.sms: N_("Text message"),
    "inapp": N_("In the app"), "webhook": N_("Group bot"), "event": N_("Process message"),
    HOOK_CHANNEL: N_("Signed webhook"),
}
WORDS: dict[str, str] = {
    Colour.green: N_("green"), Colour.yellow: N_("yellow"),
    Colour.red: N_("red"),
    AppealDecision.upheld: N_("upheld"), AppealDecision.dismissed: N_("dismissed"),
    ReviewDecision.approve: N_("approved"), ReviewDecision.reject: N_("refused"),
}


def word(value: Any, locale: str) -> str:
    if value is None:
        return ""
    return translate(WORDS[str(value)], locale) if str(value) in WORDS else str(value)


def _clipped(note: str) -> str:
    """Someone's own words in a title, short enough for a text message or a group bot's line; the whole note is on
    the order's page."""
    return note if len(note) <= NOTE_CHARS else note[:NOTE_CHARS - 1] + "…"


def title(kind: str, payload: dict | None, business_key: str | None, locale: str | None) -> str:
    """The sentence a person reads for a notification of ``kind``, filled from its payload."""
    loc = normalise(locale)
    payload = payload or {}
    values = {
        "order": payload.get("order") or business_key or "",
        "colour": word(payload.get("colour"), loc),
        "decision": word(payload.get("decision"), loc),
        "stars": payload.get("overall", "?"),
        "title": payload.get("title") or business_key or "",
        "kind": kind, "key": business_key or "—", "days": payload.get("days", ""),
        "note": _clipped(str(payload.get("note") or "")),
    }
    return translate(TITLES.get(kind, FALLBACK), loc) % values
