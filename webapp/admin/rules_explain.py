""""Which rule applies?": what a number names in the admin's school (a repair order, a plan occurrence, a
delegated task) and, for the rules of that object's own process only, each value in force and why.

The process comes from the object's process instance (its business key is the number) and its module; the rules
listed are those under the module's name in ``rules/defaults.yaml`` (:func:`rules.keys.section_of`). A repair
order is also looked up by its service item and category, whose overrides win over the school's values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import ProcessInstance
from rules.book import RuleBook, Scope, is_duration_key
from rules.helpers import scope_of
from rules.keys import keys_of
from webapp.admin.rules_forms import show_source, show_value
from webapp.rule_labels import key_label
from workflows.catalogue.models import CatalogueItem
from workflows.modules.registry import Modules
from workflows.repair.service import by_number, rule_scope


@dataclass(frozen=True)
class Subject:
    """The object a number names: its kind (the module's label), its page, and what its rules are looked up by."""

    number: str
    kind: str
    section: str  # the module's name: the first part of its rule keys
    link: tuple[str, dict[str, Any]] | None = None
    item: CatalogueItem | None = None  # a repair order's service item
    scope: Scope = None
    category: str | None = None  # the category's override code (the page names it)


def subject_of(session: Session, modules: Modules, *, school_id: int, number: str, locale: str) -> Subject | None:
    """What ``number`` names in the school, or None when nothing there carries it."""
    process_key = session.scalar(select(ProcessInstance.process_key)
                                 .where(ProcessInstance.business_key == number, ProcessInstance.school_id == school_id)
                                 .order_by(ProcessInstance.id).limit(1))
    module = modules.of_process(process_key)
    if module is None:
        return None
    link = modules.links(session, school_id=school_id, keys={number}, locale=locale).get(number)
    subject = Subject(number, _(module.label), module.name, link)
    order = by_number(session, school_id=school_id, number=number)
    if order is None:
        return subject
    item = session.get(CatalogueItem, order.catalogue_item_id)
    assert item is not None  # the order's catalogue_item_id is a foreign key
    scope = scope_of(rule_scope(session, item))
    return Subject(number, subject.kind, subject.section, link, item, scope, scope[-1])


def explained(book: RuleBook, subject: Subject, category_names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per rule of the subject's process: its label, the value in force, and which layer it came from."""
    rows = []
    for key in keys_of(book.defaults, subject.section):
        resolution = book.resolve(key, subject.scope)
        rows.append({"key": key, "label": key_label(key), "value": show_value(key, resolution.value),
                     "source": resolution.source.split(":", 1)[0], "why": show_source(resolution.source, category_names),
                     "working_days": key in book.working_days and is_duration_key(key)})
    return rows
