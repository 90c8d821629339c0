"""Readable titles of notifications by kind, in zh_CN and English.

One source for the bell (web), e-mail subjects and group-bot messages. No Flask here: the caller passes
the locale (``"zh_CN"`` or ``"en"``; anything starting with ``en`` counts as English), and the words come
from the web pages' catalog through :mod:`workflows.i18n`.
"""
from __future__ import annotations

from typing import Any

from workflows.colours import Colour
from workflows.i18n import N_, normalise, translate
from workflows.repair.enums import AppealDecision

TITLES: dict[str, str] = {
    "repair.review_overdue": N_("Order %(order)s is still waiting for review."),
    "repair.job_overdue": N_("Your job on order %(order)s is overdue."),
    "repair.job_overdue_copy": N_("A worker's job on order %(order)s is overdue."),
    "repair.escalated": N_("Order %(order)s is %(colour)s: please chase it."),
    "repair.bad_rating": N_("Bad rating (%(stars)s of 5) on order %(order)s: call the requester back."),
    "repair.rate_request": N_("Please rate the repair of order %(order)s."),
    "repair.dispatched": N_("New job: order %(order)s."),
    "repair.rectification_exhausted": N_("Order %(order)s: the rectification rounds are used up; please decide."),
    "repair.appeal_filed": N_("A rating appeal was filed on order %(order)s."),
    "repair.appeal_decided": N_("The rating appeal on order %(order)s was %(decision)s."),
    "report.ready": N_("Service analysis report ready: %(title)s"),
    "job.overdue": N_("Quick job overdue: %(title)s"),
}
FALLBACK = N_("%(kind)s on %(key)s")
WORDS: dict[str, str] = {
    Colour.green: N_("green"), Colour.yellow: N_("yellow"),
    Colour.red: N_("red"),
    AppealDecision.upheld: N_("upheld"), AppealDecision.dismissed: N_("dismissed"),
}


def word(value: Any, locale: str) -> str:
    if value is None:
        return ""
    return translate(WORDS[str(value)], locale) if str(value) in WORDS else str(value)


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
        "kind": kind, "key": business_key or "—",
    }
    return translate(TITLES.get(kind, FALLBACK), loc) % values
