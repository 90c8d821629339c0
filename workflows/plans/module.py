"""Work plans as a process module: each generated occurrence (its number is the business key) beside its
tasks in the inbox and on the task page, its timeline words, and who may see it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.i18n import N_
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.modules.filters import by_colour
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import role_names
from workflows.plans import readmodel
from workflows.plans.enums import PlanAction
from workflows.plans.figures import figures
from workflows.plans.history import TIMELINE
from workflows.plans.indicators import INDICATORS
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.registration import register
from workflows.plans.service import PROCESS_KEY, linked_checklist
from workflows.plans.wording import describe

PLAN_ROLES = frozenset({Role.supervisor, Role.deputy_leader, Role.main_leader, Role.school_leader, Role.admin})


def may_view(user: User, occ: PlanOccurrence) -> bool:
    """Plan supervisors and leaders of the occurrence's school, and the plan's responsible person."""
    if user.school_id is not None and user.school_id != occ.school_id:
        return False
    return bool(role_names(user) & PLAN_ROLES) or user.id == occ.plan.responsible_id


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "plans.occurrence", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    stmt = (select(PlanOccurrence.number, PlanOccurrence.colour, WorkPlan.title, WorkPlan.places)
            .join(WorkPlan, WorkPlan.id == PlanOccurrence.plan_id)
            .where(PlanOccurrence.school_id == school_id, PlanOccurrence.number.in_(keys)))
    return {number: Summary(text=title, colour=colour, place="、".join(places or []) or None, link=_link(number))
            for number, colour, title, places in session.execute(stmt)}


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    occ = readmodel.occurrence(session, school_id=school_id, number=key)
    if occ is None or not may_view(user, occ):
        return None
    plan = occ.plan
    people = readmodel.user_names(session, [plan.responsible_id])
    facts = [Fact(N_("Plan"), plan.title), Fact(N_("Recurrence"), describe(plan, locale)),
             Fact(N_("Service unit"), readmodel.unit_names(session, school_id=school_id).get(plan.unit_id, "")),
             Fact(N_("Responsible person"), people.get(plan.responsible_id, "")),
             Fact(N_("Places"), "、".join(plan.places or [])), Fact(N_("Checklist"), "；".join(plan.checklist or [])),
             *(Fact(N_("Standard item"), f"{line}：{linked.code} {linked.number} {linked.text}")
               for line, linked in linked_checklist(session, plan) if linked is not None)]
    return Panel(kind=N_("Plan occurrence"), number=occ.number, link=_link(occ.number), facts=[f for f in facts if f.value],
                 colour=occ.colour, timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 extra={"due_at": occ.due_at})


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    occ = readmodel.occurrence(session, school_id=school_id, number=key)
    if occ is None or not may_view(user, occ):
        return None
    return {"number": occ.number, "plan": {"id": occ.plan_id, "title": occ.plan.title}, "occurs_on": occ.occurs_on.isoformat(),
            "due_at": occ.due_at.isoformat(), "status": occ.status, "colour": occ.colour, "score": occ.score,
            "passed": occ.passed, "rectification_rounds": occ.rectification_rounds,
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_plans:seed_demo"),
    register=register,
    name="plans", label=N_("Work plans"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, keys_where=by_colour(PlanOccurrence), figures=figures, indicators=INDICATORS,
    timeline=TIMELINE,
    actions={
        PlanAction.reminded: N_("Reminder sent"), PlanAction.executed: N_("Carried out"), PlanAction.reviewed: N_("Evaluated"),
        PlanAction.rectified: N_("Rectified"), PlanAction.coloured: N_("Overdue colour changed"),
        PlanAction.failed: N_("Closed as failed"), PlanAction.closed: N_("Closed"), PlanAction.created: N_("Plan entered"),
        PlanAction.edited: N_("Plan edited"), PlanAction.deactivated: N_("Plan deactivated"),
        PlanAction.reactivated: N_("Plan reactivated"),
    },
)
