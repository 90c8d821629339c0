"""Duty management as a process module: each anomaly (its number is the business key) runs one PDCA beside its
steps in the inbox and on the task page, with its timeline words, API resource, dashboard figures, and the watch
over duty as a periodic job."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.duty.access import may_view
from workflows.duty.anomalies import PROCESS_KEY, by_number
from workflows.duty.figures import figures
from workflows.duty.history import TIMELINE
from workflows.duty.indicators import INDICATORS
from workflows.duty.labels import KIND_WORDS, STAGE_WORDS
from workflows.duty.models import Anomaly
from workflows.duty.readmodel import as_dict, names, what_found
from workflows.duty.registration import register
from workflows.i18n import N_, translate
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.modules.filters import by_colour
from workflows.people.models import User


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "duty.anomaly", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    rows = session.scalars(select(Anomaly).where(Anomaly.school_id == school_id, Anomaly.number.in_(keys)))
    return {a.number: Summary(text=f"{translate(KIND_WORDS[a.kind], locale)} · {what_found(a, locale)[:60]}",
                              colour=a.colour, link=_link(a.number)) for a in rows}


def facts(session: Session, anomaly: Anomaly, locale: str) -> list[Fact]:
    named = names(session, anomaly)
    shown = [Fact(N_("Kind"), translate(KIND_WORDS[anomaly.kind], locale)),
             Fact(N_("PDCA stage"), translate(STAGE_WORDS[anomaly.stage], locale)),
             Fact(N_("Duty post"), named["post"]), Fact(N_("Person on duty"), named["person"]),
             Fact(N_("Equipment"), named["equipment"]),
             Fact(N_("What was found"), what_found(anomaly, locale)),
             Fact(N_("Earlier anomalies of this kind"), str(anomaly.repeats) if anomaly.repeats else ""),
             Fact(N_("Failed checks"), str(anomaly.rounds) if anomaly.rounds else "")]
    return [f for f in shown if f.value]


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    anomaly = by_number(session, school_id=school_id, number=key)
    if anomaly is None or not may_view(user, anomaly):
        return None
    return Panel(kind=N_("Duty anomaly"), number=anomaly.number, link=_link(anomaly.number),
                 facts=facts(session, anomaly, locale), colour=anomaly.colour, status=STAGE_WORDS[anomaly.stage],
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale))


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    anomaly = by_number(session, school_id=school_id, number=key)
    if anomaly is None or not may_view(user, anomaly):
        return None
    return {**as_dict(session, anomaly, locale),
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_duty:seed_demo"),
    register=register,
    name="duty", label=N_("Duty management"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, keys_where=by_colour(Anomaly), figures=figures,
    timeline=TIMELINE,
    indicators=INDICATORS,
    actions={
        "duty.planned": N_("Plan stated"), "duty.done": N_("Actions carried out"), "duty.checked": N_("Result checked"),
        "duty.standardised": N_("Duty instructions standardised"), "duty.coloured": N_("Anomaly turned a colour"),
        "duty.urged": N_("Anomaly chased"),
    },
)
