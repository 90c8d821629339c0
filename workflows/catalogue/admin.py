"""Editing the service catalogue: categories and the service items under them (全覆盖: every service a school
offers has an item), each item's default team, and deactivation (orders keep pointing at retired items)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.adminlog import changed, record_change
from workflows.catalogue.enums import CatalogueAction
from workflows.catalogue.models import CatalogueItem
from workflows.people.models import OrgUnit

FIELDS = ("code", "name_zh", "name_en", "default_team_id", "active")


class CatalogueError(ValueError):
    """A refused change; ``code``: ``code_taken``, ``bad_parent``, ``bad_team``, ``empty``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def full_tree(session: Session, *, school_id: int) -> list[tuple[CatalogueItem, list[CatalogueItem]]]:
    """Every category with every item under it, retired ones included (the admin view of the catalogue)."""
    rows = list(session.scalars(select(CatalogueItem).where(CatalogueItem.school_id == school_id)
                                .order_by(CatalogueItem.code)))
    children: dict[int, list[CatalogueItem]] = {}
    for item in rows:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    return [(c, children.get(c.id, [])) for c in rows if c.parent_id is None]


def item_of(session: Session, *, school_id: int, item_id: int) -> CatalogueItem | None:
    item = session.get(CatalogueItem, item_id)
    return item if item is not None and item.school_id == school_id else None


def save_item(session: Session, *, actor: str, school_id: int, item: CatalogueItem | None, parent_id: int | None,
              values: dict) -> CatalogueItem:
    """Create (``item`` None) or update a category (``parent_id`` None) or service item, audited."""
    if not (values.get("code") and values.get("name_zh") and values.get("name_en")):
        raise CatalogueError("empty")
    clash = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == school_id,
                                                          CatalogueItem.code == values["code"]))
    if clash is not None and (item is None or clash != item.id):
        raise CatalogueError("code_taken")
    if parent_id is not None:
        parent = item_of(session, school_id=school_id, item_id=parent_id)
        if parent is None or parent.parent_id is not None:
            raise CatalogueError("bad_parent")  # two levels only
    team = values.get("default_team_id")
    if team is not None:
        unit = session.get(OrgUnit, team)
        if unit is None or unit.school_id != school_id:
            raise CatalogueError("bad_team")
    values = {k: values.get(k) for k in FIELDS}
    if item is None:
        item = CatalogueItem(school_id=school_id, parent_id=parent_id, **values)
        session.add(item)
        session.flush()
        record_change(session, actor=actor, action=CatalogueAction.item_created, school_id=school_id,
                      target=f"catalogue:{item.id}", after=values)
        return item
    before, after = changed({k: getattr(item, k) for k in FIELDS}, values)
    for name, value in after.items():
        setattr(item, name, value)
    if after:
        record_change(session, actor=actor, action=CatalogueAction.item_updated, school_id=school_id,
                      target=f"catalogue:{item.id}", before=before, after=after)
    return item
