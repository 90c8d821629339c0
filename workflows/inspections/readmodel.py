"""Rounds and findings as pages and the API read them: found within the reader's school only, who may see them,
the open findings at a place, "were last time's problems fixed?", and their JSON form."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workflows.catalogue.models import Building
from workflows.i18n import translate
from workflows.inspections.enums import FindingStatus, RoundStatus
from workflows.inspections.labels import FINDING_WORDS, KIND_WORDS, ROUND_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionFinding, InspectionItem, InspectionResult, InspectionRound, InspectionTemplate
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import role_names, unit_and_above

READER_ROLES = frozenset({Role.supervisor, Role.school_leader, Role.main_leader, Role.deputy_leader, Role.admin})


def round_by_number(session: Session, *, school_id: int, number: str) -> InspectionRound | None:
    return session.scalar(select(InspectionRound).where(InspectionRound.school_id == school_id,
                                                        InspectionRound.number == number))


def finding_by_number(session: Session, *, school_id: int, number: str) -> InspectionFinding | None:
    return session.scalar(select(InspectionFinding).where(InspectionFinding.school_id == school_id,
                                                          InspectionFinding.number == number))


def may_view(session: Session, user: User, row: InspectionRound | InspectionFinding) -> bool:
    """The school's office and leaders, the inspector, and the people of the responsible unit (or above it)."""
    if user.school_id != row.school_id:
        return False
    if user.id == row.inspector_id or role_names(user) & READER_ROLES:
        return True
    return bool({a.org_unit_id for a in user.roles if a.org_unit_id} & unit_and_above(session, row.unit_id))


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


def _named(session: Session, key: InstrumentedAttribute[int], name: InstrumentedAttribute[str],
           ids: set[int]) -> dict[int, str]:
    """``name`` by ``key`` for each of ``ids``, in one query (none for no ids)."""
    return {row_id: text for row_id, text in session.execute(select(key, name).where(key.in_(ids)))} if ids else {}


def _items(session: Session, ids: set[int]) -> dict[int, InspectionItem]:
    return {i.id: i for i in session.scalars(select(InspectionItem).where(InspectionItem.id.in_(ids)))} if ids else {}


def names_of(session: Session, rows: Sequence[InspectionRound | InspectionFinding]) -> list[dict[str, str]]:
    """The place, unit, inspector and checklist (or item) each of ``rows`` points at, read for all of them at once:
    a list costs the same statements whatever its length."""
    places = _named(session, Building.id, Building.name, {r.building_id for r in rows})
    units = _named(session, OrgUnit.id, OrgUnit.name, {r.unit_id for r in rows})
    inspectors = _named(session, User.id, User.display_name, {r.inspector_id for r in rows})
    items = _items(session, {r.item_id for r in rows if isinstance(r, InspectionFinding) and r.item_id is not None})
    checklists = _named(session, InspectionTemplate.id, InspectionTemplate.name,
                        {r.template_id for r in rows if isinstance(r, InspectionRound)})
    return [{"place": places.get(r.building_id, ""), "unit": units.get(r.unit_id, ""),
             "inspector": inspectors.get(r.inspector_id, ""), **_what(r, items, checklists)} for r in rows]


def _what(row: InspectionRound | InspectionFinding, items: dict[int, InspectionItem],
          checklists: dict[int, str]) -> dict[str, str]:
    """A finding's checklist item and its standard (for a problem seen beside the checklist, its own description
    where an item's text would be), or a round's checklist."""
    if isinstance(row, InspectionRound):
        return {"checklist": checklists.get(row.template_id, "")}
    if row.item_id is None:
        return {"item": row.description, "standard": ""}
    item = items.get(row.item_id)
    return {"item": item.text if item else "", "standard": item.standard if item else ""}


def names(session: Session, row: InspectionRound | InspectionFinding) -> dict[str, str]:
    """The place, unit, inspector and checklist (or item) a round or finding points at."""
    return names_of(session, [row])[0]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def finding_dicts(session: Session, findings: Sequence[InspectionFinding], locale: str) -> list[dict[str, Any]]:
    """The findings as the API shows them, read for all of them at once."""
    rounds = _named(session, InspectionRound.id, InspectionRound.number, {f.round_id for f in findings})
    return [_finding(finding, named, rounds.get(finding.round_id), locale)
            for finding, named in zip(findings, names_of(session, findings), strict=True)]


def _finding(finding: InspectionFinding, named: dict[str, str], round_number: str | None, locale: str) -> dict[str, Any]:
    return {
        "number": finding.number, "round": round_number,
        "severity": finding.severity, "severity_label": translate(SEVERITY_WORDS[finding.severity], locale),
        "status": finding.status, "status_label": translate(FINDING_WORDS[finding.status], locale),
        "colour": finding.colour, "description": finding.description, "on_checklist": finding.item_id is not None,
        "building_id": finding.building_id, "spot": finding.spot, "unit_id": finding.unit_id,
        "inspector_id": finding.inspector_id, **named,
        "photos": len(finding.photos), "due_at": _iso(finding.due_at), "first_due_at": _iso(finding.first_due_at),
        "fix_note": finding.fix_note, "rectified_at": _iso(finding.rectified_at), "rounds": finding.rounds,
        "repeat": finding.repeat, "created_at": finding.created_at.isoformat(), "closed_at": _iso(finding.closed_at),
    }


def finding_dict(session: Session, finding: InspectionFinding, locale: str) -> dict[str, Any]:
    return finding_dicts(session, [finding], locale)[0]


def _results_of(session: Session, rounds: Sequence[InspectionRound]) -> dict[int, list[dict[str, Any]]]:
    """Each round's item results with their item's text, by round id."""
    results = list(session.scalars(select(InspectionResult).where(InspectionResult.round_id.in_({r.id for r in rounds}))
                                   .order_by(InspectionResult.id)))
    texts = _named(session, InspectionItem.id, InspectionItem.text, {result.item_id for result in results})
    shown: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        shown[result.round_id].append({"item": texts.get(result.item_id, ""), "passed": result.passed,
                                       "points": result.points, "note": result.note, "photos": len(result.photos)})
    return shown


def _finding_numbers(session: Session, round_ids: set[int]) -> dict[int, list[str]]:
    numbers: dict[int, list[str]] = defaultdict(list)
    for round_id, number in session.execute(select(InspectionFinding.round_id, InspectionFinding.number)
                                            .where(InspectionFinding.round_id.in_(round_ids)).order_by(InspectionFinding.id)):
        numbers[round_id].append(number)
    return numbers


def round_dicts(session: Session, rounds: Sequence[InspectionRound], locale: str) -> list[dict[str, Any]]:
    """The rounds as the API shows them, with their results and findings, read for all of them at once."""
    if not rounds:
        return []
    results, found = _results_of(session, rounds), _finding_numbers(session, {r.id for r in rounds})
    return [{
        "number": row.number, "kind": row.kind, "kind_label": translate(KIND_WORDS[row.kind], locale),
        "status": row.status, "status_label": translate(ROUND_WORDS[row.status], locale),
        "building_id": row.building_id, "spot": row.spot, "unit_id": row.unit_id, "inspector_id": row.inspector_id,
        **named, "planned_on": _iso(row.planned_on), "score": row.score, "note": row.note,
        "confirmed": row.confirmed, "confirmed_by": row.confirmed_by, "created_at": row.created_at.isoformat(),
        "done_at": _iso(row.done_at), "results": results[row.id], "findings": found[row.id],
    } for row, named in zip(rounds, names_of(session, rounds), strict=True)]


def round_dict(session: Session, row: InspectionRound, locale: str) -> dict[str, Any]:
    return round_dicts(session, [row], locale)[0]
