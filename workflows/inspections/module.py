"""Inspections as a process module: each finding (its number is the business key of its process) beside its
rectification, chase and re-check tasks, the timelines of findings and rounds, the API resource of either,
the dashboard figures, and who may see them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.catalogue.models import Building
from workflows.i18n import N_, translate
from workflows.inspections.checklists import standards_of
from workflows.inspections.enums import InspectionAction
from workflows.inspections.figures import figures
from workflows.inspections.history import TIMELINE
from workflows.inspections.indicators import INDICATORS
from workflows.inspections.labels import FINDING_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionFinding, InspectionItem
from workflows.inspections.readmodel import finding_by_number, finding_dict, may_view, names, round_by_number, round_dict
from workflows.inspections.registration import register
from workflows.inspections.rounds import PROCESS_KEY
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.modules.filters import by_colour
from workflows.people.models import User
from workflows.standards.links import LinkedItem


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "inspections.finding", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    """The severity and the start of what was found, at its place."""
    stmt = (select(InspectionFinding.number, InspectionFinding.severity, InspectionFinding.description,
                   InspectionFinding.colour, Building.name)
            .join(Building, Building.id == InspectionFinding.building_id)
            .where(InspectionFinding.school_id == school_id, InspectionFinding.number.in_(keys)))
    return {number: Summary(text=f"{translate(SEVERITY_WORDS[severity], locale)} · {description[:60]}", place=place,
                            colour=colour, urgency="urgent" if severity == "critical" else None, link=_link(number))
            for number, severity, description, colour, place in session.execute(stmt)}


def linked_standard(session: Session, finding: InspectionFinding) -> LinkedItem | None:
    """The standards library item the finding's checklist item checks, if it has an item linked to one."""
    item = session.get(InspectionItem, finding.item_id) if finding.item_id is not None else None
    return standards_of(session, school_id=finding.school_id, items=[item]).get(item.id) if item is not None else None


def facts(session: Session, finding: InspectionFinding, locale: str) -> list[Fact]:
    """What the finding's page and its tasks show: a problem seen beside the checklist says so where the item
    would be (its description follows as what was found) and where within the place it is."""
    named, linked = names(session, finding), linked_standard(session, finding)
    item = named["item"] if finding.item_id is not None else translate(N_("Not on the checklist"), locale)
    place = " · ".join(part for part in (named["place"], finding.spot) if part)
    shown = [Fact(N_("Place"), place), Fact(N_("Checklist item"), item),
             Fact(N_("Service standard"), named["standard"]),
             Fact(N_("Standard item"), f"{linked.code} {linked.number} {linked.text}" if linked else ""),
             Fact(N_("Severity"), translate(SEVERITY_WORDS[finding.severity], locale)),
             Fact(N_("What was found"), finding.description), Fact(N_("Responsible unit"), named["unit"]),
             Fact(N_("Inspector"), named["inspector"]), Fact(N_("What was rectified"), finding.fix_note)]
    return [f for f in shown if f.value]


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    finding = finding_by_number(session, school_id=school_id, number=key)
    if finding is None or not may_view(session, user, finding):
        return None
    return Panel(kind=N_("Inspection finding"), number=finding.number, link=_link(finding.number),
                 facts=facts(session, finding, locale), colour=finding.colour, status=FINDING_WORDS[finding.status],
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 extra={"due_at": finding.due_at}, photo_link=TIMELINE.photo_link)


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    """A finding, or a round, by its number."""
    finding = finding_by_number(session, school_id=school_id, number=key)
    row = finding or round_by_number(session, school_id=school_id, number=key)
    if row is None or not may_view(session, user, row):
        return None
    shown = finding_dict(session, finding, locale) if finding is not None else round_dict(session, row, locale)  # type: ignore[arg-type]
    return {**shown, "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_inspections:seed_demo"),
    register=register,
    name="inspections", label=N_("Inspections"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, keys_where=by_colour(InspectionFinding), figures=figures,
    timeline=TIMELINE,
    indicators=INDICATORS,
    actions={
        InspectionAction.round_planned: N_("Inspection round planned"),
        InspectionAction.round_started: N_("Spot check started"), InspectionAction.round_done: N_("Inspection round done"),
        InspectionAction.rectified: N_("Fix shown"), InspectionAction.rechecked: N_("Fix re-checked"),
        InspectionAction.coloured: N_("Finding turned a colour"), InspectionAction.urged: N_("Rectification chased"),
    },
)
