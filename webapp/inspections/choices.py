"""The school's checklists, places, units and inspectors as form choices (the school's own only)."""
from __future__ import annotations

from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from webapp import db
from workflows.catalogue.service import buildings
from workflows.inspections.checklists import checklists
from workflows.people.service import users_with_role
from workflows.plans.readmodel import unit_choices


def inspector_role() -> str:
    session = db.session()
    return str(db.runtime().rules.book(session, current_user.school_id).value("inspections.inspector.role"))


def fill(form: object, *, inspectors: bool = False) -> None:
    """Fill the form's checklist, place, unit (and inspector) choices from the user's school."""
    session, school_id = db.session(), current_user.school_id
    form.template_id.choices = [SelectChoice(t.id, t.name) for t in checklists(session, school_id=school_id, active_only=True)]  # type: ignore[attr-defined]
    form.building_id.choices = [SelectChoice(b.id, b.name) for b in buildings(session, school_id=school_id)]  # type: ignore[attr-defined]
    form.unit_id.choices = [SelectChoice(i, name) for i, name in unit_choices(session, school_id=school_id)]  # type: ignore[attr-defined]
    if inspectors:
        people = users_with_role(session, role=inspector_role(), school_id=school_id)
        form.inspector_id.choices = [SelectChoice(u.id, u.display_name) for u in people]  # type: ignore[attr-defined]
