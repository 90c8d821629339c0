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


def campuses(session: Session, *, school_id: int) -> list[Campus]:
    return list(session.scalars(select(Campus).where(Campus.school_id == school_id).order_by(Campus.id)))


def buildings(session: Session, *, school_id: int) -> list[Building]:
    return list(session.scalars(select(Building).where(Building.school_id == school_id).order_by(Building.campus_id, Building.name)))


def tree(session: Session, *, school_id: int) -> list[tuple[CatalogueItem, list[CatalogueItem]]]:
    """Active categories, each with its active service items (the two-level catalogue)."""
    children: dict[int, list[CatalogueItem]] = {}
    for item in items(session, school_id=school_id):
        children.setdefault(item.parent_id, []).append(item)
    return [(category, children.get(category.id, [])) for category in categories(session, school_id=school_id)
            if category.active]


def locations(session: Session, *, school_id: int) -> list[tuple[Campus, list[Building]]]:
    """Campuses, each with its buildings by name."""
    by_campus: dict[int, list[Building]] = {}
    for building in buildings(session, school_id=school_id):
        by_campus.setdefault(building.campus_id, []).append(building)
    return [(campus, by_campus.get(campus.id, [])) for campus in campuses(session, school_id=school_id)]


def service_unit_of(session: Session, team_id: int | None) -> int | None:
    """The service unit (company/contractor) a team belongs to: the team's nearest non-team ancestor."""
    unit = session.get(OrgUnit, team_id) if team_id else None
    while unit is not None and unit.kind == "team" and unit.parent is not None:
        unit = unit.parent
    return unit.id if unit is not None else None
