"""Catalogue and location look-ups for intake pages, form data sources and the API."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.models import Building, CatalogueItem
from workflows.people.models import Campus, OrgUnit


def items(session: Session, *, school_id: int) -> list[CatalogueItem]:
    """Leaf service items (those under a category), ordered for pick lists."""
    return list(session.scalars(select(CatalogueItem).where(
        CatalogueItem.school_id == school_id, CatalogueItem.parent_id.is_not(None), CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.parent_id, CatalogueItem.code)))


def categories(session: Session, *, school_id: int) -> list[CatalogueItem]:
    return list(session.scalars(select(CatalogueItem).where(
        CatalogueItem.school_id == school_id, CatalogueItem.parent_id.is_(None)).order_by(CatalogueItem.code)))


def campuses(session: Session, *, school_id: int, include_inactive: bool = False) -> list[Campus]:
    """The school's campuses; intake pages offer only active ones, admin pages and filters over old orders all."""
    stmt = select(Campus).where(Campus.school_id == school_id).order_by(Campus.id)
    return list(session.scalars(stmt if include_inactive else stmt.where(Campus.active.is_(True))))


def buildings(session: Session, *, school_id: int, include_inactive: bool = False) -> list[Building]:
    """The school's buildings; without ``include_inactive`` only active ones on active campuses."""
    stmt = select(Building).where(Building.school_id == school_id).order_by(Building.campus_id, Building.name)
    if not include_inactive:
        stmt = stmt.join(Campus, Campus.id == Building.campus_id).where(Building.active.is_(True), Campus.active.is_(True))
    return list(session.scalars(stmt))


def tree(session: Session, *, school_id: int) -> list[tuple[CatalogueItem, list[CatalogueItem]]]:
    """Active categories, each with its active service items (the two-level catalogue)."""
    children: dict[int | None, list[CatalogueItem]] = {}
    for item in items(session, school_id=school_id):
        children.setdefault(item.parent_id, []).append(item)
    return [(category, children.get(category.id, [])) for category in categories(session, school_id=school_id)
            if category.active]


def locations(session: Session, *, school_id: int, include_inactive: bool = False) -> list[tuple[Campus, list[Building]]]:
    """Campuses, each with its buildings by name (active ones only unless ``include_inactive``)."""
    by_campus: dict[int, list[Building]] = {}
    for building in buildings(session, school_id=school_id, include_inactive=include_inactive):
        by_campus.setdefault(building.campus_id, []).append(building)
    return [(campus, by_campus.get(campus.id, []))
            for campus in campuses(session, school_id=school_id, include_inactive=include_inactive)]


def service_unit_of(session: Session, team_id: int | None) -> int | None:
    """The service unit (company/contractor) a team belongs to: the team's nearest non-team ancestor."""
    unit = session.get(OrgUnit, team_id) if team_id else None
    while unit is not None and unit.kind == "team" and unit.parent is not None:
        unit = unit.parent
    return unit.id if unit is not None else None
