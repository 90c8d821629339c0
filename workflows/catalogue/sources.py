"""Form data sources for the service catalogue and places (``choices_from``): ``(value, label)`` pairs, or
``(value, label, parent)`` triples when an option belongs to another (a building to its campus)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from workflows.catalogue.service import buildings as school_buildings
from workflows.catalogue.service import campuses as school_campuses
from workflows.catalogue.service import items
from workflows.modules.contract import Source


def catalogue_items(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    return [(str(i.id), i.name(locale)) for i in items(session, school_id=school_id)]


def campuses(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    return [(str(c.id), c.name) for c in school_campuses(session, school_id=school_id)]


def buildings(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str, str]]:
    """Buildings, each with its campus (the location picker shows those of the chosen campus)."""
    return [(str(b.id), b.name, str(b.campus_id)) for b in school_buildings(session, school_id=school_id)]





SOURCES: dict[str, Source] = {"catalogue_items": catalogue_items, "campuses": campuses, "buildings": buildings}
