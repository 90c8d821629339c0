"""Rounds and findings as pages and the API read them: found within the reader's school only, who may see them,
the open findings at a place, "were last time's problems fixed?", and their JSON form."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.models import Building
from workflows.i18n import translate
from workflows.inspections.enums import FindingStatus, RoundStatus
from workflows.inspections.labels import FINDING_WORDS, KIND_WORDS, ROUND_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionFinding, InspectionItem, InspectionRound, InspectionTemplate
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import role_names

READER_ROLES = frozenset({Role.supervisor, Role.school_leader, Role.main_leader, Role.deputy_leader, Role.admin})


def round_by_number(session: Session, *, school_id: int, number: str) -> InspectionRound | None:
    return session.scalar(select(InspectionRound).where(InspectionRound.school_id == school_id,
                                                        InspectionRound.number == number))


def finding_by_number(session: Session, *, school_id: int, number: str) -> InspectionFinding | None:
    return session.scalar(select(InspectionFinding).where(InspectionFinding.school_id == school_id,
                                                          InspectionFinding.number == number))


def _above(session: Session, unit_id: int) -> set[int]:
    chain: set[int] = set()
    unit = session.get(OrgUnit, unit_id)
    while unit is not None and unit.id not in chain:
        chain.add(unit.id)
        unit = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    return chain


def may_view(session: Session, user: User, row: InspectionRound | InspectionFinding) -> bool:
    """The school's office and leaders, the inspector, and the people of the responsible unit (or above it)."""
    if user.school_id != row.school_id:
        return False
    if user.id == row.inspector_id or role_names(user) & READER_ROLES:
        return True
    return bool({a.org_unit_id for a in user.roles if a.org_unit_id} & _above(session, row.unit_id))


def open_findings_at(session: Session, *, school_id: int, building_id: int) -> list[InspectionFinding]:
    """The place's findings not closed yet, oldest first: a new round there looks at them first."""
    return list(session.scalars(select(InspectionFinding).where(
        InspectionFinding.school_id == school_id, InspectionFinding.building_id == building_id,
        InspectionFinding.status != FindingStatus.closed).order_by(InspectionFinding.created_at, InspectionFinding.id)))


def rounds_at(session: Session, *, school_id: int, building_id: int, limit: int = 20) -> list[InspectionRound]:
    """The place's rounds done, newest first."""
    return list(session.scalars(select(InspectionRound).where(
        InspectionRound.school_id == school_id, InspectionRound.building_id == building_id,
        InspectionRound.status == RoundStatus.done).order_by(InspectionRound.done_at.desc()).limit(limit)))


def findings_of(session: Session, round_id: int) -> list[InspectionFinding]:
    return list(session.scalars(select(InspectionFinding).where(InspectionFinding.round_id == round_id)
                                .order_by(InspectionFinding.id)))


def last_time(session: Session, *, school_id: int, building_id: int) -> tuple[InspectionRound | None, list[InspectionFinding]]:
    """The place's last round that found problems and those problems, each with where it stands now: the answer
    to "were last time's problems fixed?"."""
    for row in rounds_at(session, school_id=school_id, building_id=building_id):
        found = findings_of(session, row.id)
        if found:
            return row, found
    return None, []


def names(session: Session, row: InspectionRound | InspectionFinding) -> dict[str, str]:
    """The place, unit, inspector and checklist (or item) a round or finding points at."""
    building = session.get(Building, row.building_id)
    unit = session.get(OrgUnit, row.unit_id)
    inspector = session.get(User, row.inspector_id)
    named = {"place": building.name if building else "", "unit": unit.name if unit else "",
             "inspector": inspector.display_name if inspector else ""}
    if isinstance(row, InspectionFinding):
        item = session.get(InspectionItem, row.item_id)
        named["item"], named["standard"] = (item.text, item.standard) if item else ("", "")
    else:
        template = session.get(InspectionTemplate, row.template_id)
        named["checklist"] = template.name if template else ""
    return named


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def finding_dict(session: Session, finding: InspectionFinding, locale: str) -> dict[str, Any]:
    return {
        "number": finding.number, "round": session.scalar(select(InspectionRound.number).where(
            InspectionRound.id == finding.round_id)),
        "severity": finding.severity, "severity_label": translate(SEVERITY_WORDS[finding.severity], locale),
        "status": finding.status, "status_label": translate(FINDING_WORDS[finding.status], locale),
        "colour": finding.colour, "description": finding.description, "building_id": finding.building_id,
        "unit_id": finding.unit_id, "inspector_id": finding.inspector_id, **names(session, finding),
        "photos": len(finding.photos), "due_at": _iso(finding.due_at), "first_due_at": _iso(finding.first_due_at),
        "fix_note": finding.fix_note, "rectified_at": _iso(finding.rectified_at), "rounds": finding.rounds,
        "repeat": finding.repeat, "created_at": finding.created_at.isoformat(), "closed_at": _iso(finding.closed_at),
    }


def round_dict(session: Session, row: InspectionRound, locale: str) -> dict[str, Any]:
    items = {i.id: i for i in session.scalars(select(InspectionItem).where(InspectionItem.template_id == row.template_id))}
    return {
        "number": row.number, "kind": row.kind, "kind_label": translate(KIND_WORDS[row.kind], locale),
        "status": row.status, "status_label": translate(ROUND_WORDS[row.status], locale),
        "building_id": row.building_id, "spot": row.spot, "unit_id": row.unit_id, "inspector_id": row.inspector_id,
        **names(session, row), "planned_on": _iso(row.planned_on), "score": row.score, "note": row.note,
        "confirmed": row.confirmed, "confirmed_by": row.confirmed_by, "created_at": row.created_at.isoformat(),
        "done_at": _iso(row.done_at),
        "results": [{"item": items[r.item_id].text if r.item_id in items else "", "passed": r.passed,
                     "points": r.points, "note": r.note, "photos": len(r.photos)} for r in row.results],
        "findings": [f.number for f in findings_of(session, row.id)],
    }
