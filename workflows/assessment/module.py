"""Assessment campaigns as a process module: the campaign (its number is the business key) beside its steps in the
inbox and on the task page, its timeline words, its API resource, and the unit scores on the leaders' dashboard.

Its diagram helper is registered with the indicators of every module (see :mod:`workflows.assessment.registration`),
so this record has no ``register`` of its own.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.assessment.history import ACTIONS, TIMELINE
from workflows.assessment.labels import GRADE_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.assessment.models import Campaign
from workflows.assessment.readmodel import campaign_dict, may_view
from workflows.assessment.results import figures
from workflows.assessment.service import PROCESS_KEY, by_number
from workflows.i18n import N_, translate
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.people.models import OrgUnit, User


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "assessment.campaign", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    stmt = select(Campaign.number, Campaign.title, Campaign.kind).where(Campaign.school_id == school_id,
                                                                        Campaign.number.in_(keys))
    return {number: Summary(text=f"{translate(KIND_WORDS[kind], locale)} · {title}", link=_link(number))
            for number, title, kind in session.execute(stmt)}


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    campaign = by_number(session, school_id=school_id, number=key)
    if campaign is None or not may_view(session, user, campaign, rules):
        return None
    unit = session.get(OrgUnit, campaign.unit_id)
    facts = [Fact(N_("Unit assessed"), unit.name if unit else ""),
             Fact(N_("Period"), f"{campaign.period_start} ～ {campaign.period_end}"),
             Fact(N_("Total"), "" if campaign.total is None else f"{campaign.total:g}"),
             Fact(N_("Grade"), translate(GRADE_WORDS[campaign.grade], locale) if campaign.grade else "")]
    return Panel(kind=N_("Assessment campaign"), number=campaign.number, link=_link(campaign.number),
                 facts=[f for f in facts if f.value], status=STATUS_WORDS[campaign.status],
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 extra={"due_at": campaign.appeal_due})


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    campaign = by_number(session, school_id=school_id, number=key)
    if campaign is None or not may_view(session, user, campaign, rules):
        return None
    return {**campaign_dict(session, campaign, locale),
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_assessment:seed_assessment"),
    name="assessment", label=N_("Assessment"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, figures=figures, timeline=TIMELINE, actions=ACTIONS,
)
