"""Complaints as a process module: the complaint (its number is the business key) beside its steps in the inbox
and on the task page, its timeline words, its API resource, its dashboard figures, and who may see it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.complaints.figures import INDICATORS, figures
from workflows.complaints.history import TIMELINE
from workflows.complaints.identity import may_view
from workflows.complaints.labels import CATEGORY_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.complaints.models import Complaint
from workflows.complaints.readmodel import as_dict, complainant, hidden_word, names
from workflows.complaints.registration import register
from workflows.complaints.service import PROCESS_KEY, by_number
from workflows.i18n import N_, translate
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.modules.filters import by_colour
from workflows.people.models import User


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "complaints.detail", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    """The category and the start of the description; never the complainant."""
    stmt = select(Complaint.number, Complaint.category, Complaint.description, Complaint.colour, Complaint.urgent).where(
        Complaint.school_id == school_id, Complaint.number.in_(keys))
    return {number: Summary(text=f"{translate(CATEGORY_WORDS[category], locale)} · {description[:60]}", colour=colour,
                            urgency="urgent" if urgent else None, link=_link(number))
            for number, category, description, colour, urgent in session.execute(stmt)}


def facts(session: Session, user: User, complaint: Complaint, locale: str) -> list[Fact]:
    """What the task page and the complaint's page show; the complainant only to those who may know them."""
    named = names(session, complaint)
    who = complainant(session, user, complaint)
    shown = [Fact(N_("Kind"), translate(KIND_WORDS[complaint.kind], locale)),
             Fact(N_("Category"), translate(CATEGORY_WORDS[complaint.category], locale)),
             Fact(N_("Complained about"), "、".join(v for v in (named["target_unit"], named["target_person"],
                                                                  complaint.target_place) if v)),
             Fact(N_("Responsible unit"), named["unit"]), Fact(N_("What happened"), complaint.description),
             Fact(N_("Complainant"), f"{who.name} {who.phone}".strip() if who else translate(hidden_word(complaint), locale)),
             Fact(N_("Reply"), complaint.reply or ""), Fact(N_("Forwarded because"), complaint.forward_reason or "")]
    return [f for f in shown if f.value]


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    complaint = by_number(session, school_id=school_id, number=key)
    if complaint is None or not may_view(session, user, complaint, rules):
        return None
    return Panel(kind=N_("Complaint"), number=complaint.number, link=_link(complaint.number),
                 facts=facts(session, user, complaint, locale), colour=complaint.colour,
                 status=STATUS_WORDS[complaint.status],
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 extra={"due_at": complaint.resolution_due})


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    complaint = by_number(session, school_id=school_id, number=key)
    if complaint is None or not may_view(session, user, complaint, rules):
        return None
    return {**as_dict(session, user, complaint, locale),
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    register=register,
    name="complaints", label=N_("Complaints and suggestions"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, keys_where=by_colour(Complaint), figures=figures, indicators=INDICATORS,
    timeline=TIMELINE, demo=demo_hook("workflows.demo_complaints:seed_complaints"),
    actions={
        "complaints.triaged": N_("Triaged"), "complaints.responded": N_("First response given"),
        "complaints.replied": N_("Replied to the complainant"), "complaints.rated": N_("Satisfaction given"),
        "complaints.reopened": N_("Handled again"), "complaints.leader_decided": N_("Leader decided"),
        "complaints.coloured": N_("Complaint turned a colour"), "complaints.urged": N_("Complaint chased"),
        "complaints.closed": N_("Complaint closed"),
    },
)
