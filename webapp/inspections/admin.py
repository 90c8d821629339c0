"""The office's pages for checklists (``/inspections/checklists``: one per service type, items with scoring,
the standard each checks and whether a photo is required) and schedules (``/inspections/schedules``)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, refusal_text
from webapp.inspections.choices import fill
from webapp.inspections.forms import BLANK_ROWS, ERRORS, RECURRENCE_WORDS, ChecklistForm, ScheduleForm
from workflows.catalogue.service import buildings
from workflows.i18n import translate
from workflows.inspections.checklists import ChecklistEntry, ChecklistError, ItemEntry, active_items, checklist, checklists, save_checklist
from workflows.inspections.labels import SERVICE_WORDS
from workflows.inspections.models import InspectionSchedule
from workflows.inspections.rounds import RoundError, actor_label
from workflows.inspections.schedules import ScheduleEntry, create_schedule, stop_schedule
from workflows.people.enums import Role
from workflows.plans.readmodel import unit_names, user_names
from workflows.standards import links
from workflows.standards.links import StandardRef

bp = Blueprint("inspection_admin", __name__)
OFFICE = (Role.supervisor, Role.admin)
STANDARD_SHELF = {"greening": "grounds", "equipment": "repair"}  # inspection service types the library names otherwise


def _entry(form: ChecklistForm) -> ChecklistEntry:
    rows = [ItemEntry(text=row.text.data or "", standard=row.standard.data or "", scoring=row.scoring.data or "",
                      points=row.points.data or 10, photo_required=bool(row.photo_required.data), item_id=row.item_id.data,
                      standard_ref=StandardRef.parse(row.standard_ref.data))  # the form refused any other value
            for row in form.items]
    return ChecklistEntry(name=form.name.data or "", service_type=form.service_type.data or "", items=rows,
                          active=bool(form.active.data))


def _offer_standards(form: ChecklistForm) -> None:
    """Every row's picker: the school's standard items, those of the checklist's service type first."""
    service_type = STANDARD_SHELF.get(form.service_type.data or "", form.service_type.data)
    offered = [SelectChoice("", _("— none —")), *(SelectChoice(value, label) for value, label in
                                                 links.choices(db.session(), school_id=current_user.school_id,
                                                               service_type=service_type))]
    for row in form.items:
        row.standard_ref.choices = offered  # type: ignore[attr-defined]  # a FormField's row is typed as a plain Field


def _refused(form: ChecklistForm, err: ChecklistError) -> None:
    """The error next to its field: an item's (``items-2-points``) on that row."""
    parts = err.field.split("-")
    if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit() and int(parts[1]) < len(form.items):
        row = form.items[int(parts[1])]
        row[parts[2]].errors = [*row[parts[2]].errors, refusal_text(ERRORS, parts[2], err)]
        return
    target = form._fields.get(err.field)
    (target.errors if target is not None else form.form_errors).append(refusal_text(ERRORS, err.field, err))


def _save(form: ChecklistForm, template_id: int | None) -> ResponseReturnValue | None:
    session = db.session()
    try:
        template = save_checklist(session, school_id=current_user.school_id, entry=_entry(form),
                                  actor=actor_label(current_user), template_id=template_id)
        session.commit()
    except ChecklistError as err:
        session.rollback()
        _refused(form, err)
        return None
    flash(_("Checklist “%(name)s” saved.", name=template.name), "success")
    return redirect(url_for("inspection_admin.checklists_index"))


@bp.get("/inspections/checklists")
@roles_required(*OFFICE)
def checklists_index() -> ResponseReturnValue:
    locale = locale_code()
    return render_template("inspections/checklists.html", rows=checklists(db.session(), school_id=current_user.school_id),
                           types={k: translate(v, locale) for k, v in SERVICE_WORDS.items()}, active_items=active_items)


@bp.route("/inspections/checklists/new", methods=["GET", "POST"])
@roles_required(*OFFICE)
def checklist_new() -> ResponseReturnValue:
    form = ChecklistForm()
    _offer_standards(form)
    if form.validate_on_submit() and (done := _save(form, None)) is not None:
        return done
    return render_template("inspections/checklist_form.html", form=form, title=_("New checklist"))


@bp.route("/inspections/checklists/<int:template_id>", methods=["GET", "POST"])
@roles_required(*OFFICE)
def checklist_edit(template_id: int) -> ResponseReturnValue:
    template = checklist(db.session(), school_id=current_user.school_id, template_id=template_id)
    if template is None:
        abort(404)
    form = ChecklistForm()
    if not form.is_submitted():
        form = ChecklistForm(obj=template)
        while len(form.items) > 0:
            form.items.pop_entry()
        for item in active_items(template):
            form.items.append_entry({"item_id": item.id, "text": item.text, "standard": item.standard,
                                     "scoring": item.scoring, "points": item.points, "photo_required": item.photo_required,
                                     "standard_ref": item.standard_ref.value if item.standard_ref else ""})
        for _blank in range(BLANK_ROWS):
            form.items.append_entry()
    _offer_standards(form)
    if form.is_submitted() and form.validate() and (done := _save(form, template_id)) is not None:
        return done
    return render_template("inspections/checklist_form.html", form=form, title=template.name)


@bp.route("/inspections/schedules", methods=["GET", "POST"])
@roles_required(*OFFICE)
def schedules() -> ResponseReturnValue:
    session, school_id = db.session(), current_user.school_id
    form = ScheduleForm()
    fill(form, inspectors=True)
    if form.validate_on_submit():
        entry = ScheduleEntry(template_id=form.template_id.data, building_id=form.building_id.data,
                              unit_id=form.unit_id.data, inspector_id=form.inspector_id.data,
                              recurrence=form.recurrence.data or "", starts_on=form.starts_on.data,  # type: ignore[arg-type]
                              interval=form.interval.data or 1, weekdays=list(form.weekdays.data or []),
                              until=form.until.data)
        try:
            create_schedule(session, db.runtime().rules.book(session, school_id), school_id=school_id, entry=entry,
                            actor=actor_label(current_user))
            session.commit()
            flash(_("Schedule saved: its rounds are planned ahead of each day."), "success")
            return redirect(url_for("inspection_admin.schedules"))
        except RoundError as err:
            session.rollback()
            target = form._fields.get(err.field)
            (target.errors if target is not None else form.form_errors).append(refusal_text(ERRORS, err.field, err))
    rows = session.query(InspectionSchedule).filter(InspectionSchedule.school_id == school_id).order_by(InspectionSchedule.id).all()
    templates = {t.id: t.name for t in checklists(session, school_id=school_id)}
    return render_template("inspections/schedules.html", form=form, rows=rows, templates=templates,
                           units=unit_names(session, school_id=school_id),
                           people=user_names(session, [r.inspector_id for r in rows]),
                           places={b.id: b.name for b in buildings(session, school_id=school_id, include_inactive=True)},
                           recurrences={k: str(v) for k, v in RECURRENCE_WORDS.items()})


@bp.post("/inspections/schedules/<int:schedule_id>/stop")
@roles_required(*OFFICE)
def schedule_stop(schedule_id: int) -> ResponseReturnValue:
    """No more rounds from this schedule; the form's CSRF token is checked like every form's."""
    session = db.session()
    try:
        stop_schedule(session, school_id=current_user.school_id, schedule_id=schedule_id, actor=actor_label(current_user))
    except RoundError:
        session.rollback()
        abort(404)
    session.commit()
    flash(_("Schedule stopped: no more rounds are planned from it."), "success")
    return redirect(url_for("inspection_admin.schedules"))
