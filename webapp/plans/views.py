"""Plan supervision pages (/plans): plan list, calendar by unit, entering plans by hand or from a sheet, editing,
deactivating and reactivating a plan, and the page of one occurrence with its evidence and timeline.
Occurrences are worked on from the inbox."""
from __future__ import annotations

import calendar as month_calendar
import io
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it

from engine.clock import now
from webapp import db
from webapp.auth import current_actor, roles_required
from webapp.i18n import locale_code, refusal_text, school_tz
from webapp.kept_files import send_kept
from webapp.plans.forms import EVIDENCE_LABELS, RECURRENCE_LABELS, DeactivateForm, PlanForm, SheetForm
from webapp.shared import figure_scope
from workflows.people.picker import STAFF
from workflows.plans import changes, readmodel
from workflows.plans.figures import CONDITIONS, drilldown
from workflows.plans.labels import STATE_WORDS
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.module import PLAN_ROLES, may_view
from workflows.plans.service import PlanError, PlanInput, create_plan, generate_occurrences, linked_checklist
from workflows.plans.sheet import SheetRefused, import_sheet, template
from workflows.plans.wording import describe
from workflows.standards import links

bp = Blueprint("plans", __name__)
OCCURRENCE_STATE_LABELS = {state: lazy_pgettext(*message) for state, message in STATE_WORDS.items()}
SHEET_PROBLEMS = {
    "missing": _l("This value is required."), "unknown_unit": _l("No such service unit."),
    "unknown_person": _l("No such user name."), "unknown_recurrence": _l("Use 单次, 每周, 每月, 每月按星期, 每年 or 季节."),
    "bad_date": _l("Enter a date such as 2027-06-01."), "bad_number": _l("Enter a whole number."),
    "bad_season": _l("Enter the months of the season such as 6-9."),
    "bad_weekday": _l("Enter weekdays such as 一、三、五."),
    "unknown_evidence": _l("Use 照片, 签字单 or 仪表读数."), "invalid": _l("This row is not a valid plan."),
    "no_header": _l("The sheet has no column with this header."), "too_many_rows": _l("The sheet has too many rows."),
    "not_a_workbook": _l("This file is not an Excel workbook (.xlsx)."),
}
FIELD_ERRORS = {"title": _l("A plan needs a title."), "unit_id": _l("Choose a service unit."),
                "responsible_id": _l("Choose the responsible person."), "recurrence": _l("Choose a recurrence."),
                "interval": _l("Enter a whole number from 1 to 52."), "until": _l("The last date is before the first."),
                "duration_days": _l("Enter a whole number from 1 to 366."),
                "season_from": _l("A seasonal plan needs the months of its season."),
                "season_to": _l("A seasonal plan needs the months of its season."),
                "evidence": _l("Choose from the listed evidence."),
                "weekdays": _l("Only a weekly or seasonal plan falls on several weekdays."),
                "reason": _l("Give the reason for cancelling the open occurrences.")}


@bp.record_once
def _labels(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(OCCURRENCE_STATE_LABELS=OCCURRENCE_STATE_LABELS,
                                       RECURRENCE_LABELS=RECURRENCE_LABELS, EVIDENCE_LABELS=EVIDENCE_LABELS)


@bp.app_template_filter("recurrence_words")
def recurrence_words(plan: WorkPlan) -> str:
    """The plan's recurrence in words in the page's language ("每月15日")."""
    return describe(plan, locale_code())


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _form(plan: WorkPlan | None = None) -> PlanForm:
    form = PlanForm(data=_shown(plan) if plan else None)
    session, school_id = db.session(), current_user.school_id
    form.unit_id.choices = [SelectChoice(i, name) for i, name in readmodel.unit_choices(session, school_id=school_id)]
    staff = db.runtime().form_sources[STAFF](session, school_id=school_id, org_unit_id=None, locale=locale_code())
    form.responsible_id.choices = [SelectChoice(int(i), name) for i, name in staff]
    return form


def _shown(plan: WorkPlan) -> dict:
    """The plan as the form shows it: lists as one item per line."""
    return {**{name: getattr(plan, name) for name in changes.EDITABLE_FIELDS},
            "places": "\n".join(plan.places),
            "checklist": "\n".join(line + links.marker(linked) for line, linked in linked_checklist(db.session(), plan))}


def _entry(form: PlanForm) -> PlanInput:
    """The plan as entered; the checklist keeps its blank lines, so that a refused line's number is the one the
    person sees in the box (the service skips blank lines)."""
    # a validated form: these are DataRequired / InputRequired
    assert form.title.data is not None and form.starts_on.data is not None
    assert form.interval.data is not None and form.duration_days.data is not None
    return PlanInput(title=form.title.data, unit_id=form.unit_id.data, responsible_id=form.responsible_id.data,
                     recurrence=form.recurrence.data, starts_on=form.starts_on.data, until=form.until.data,
                     interval=form.interval.data, duration_days=form.duration_days.data,
                     season_from=form.season_from.data, season_to=form.season_to.data,
                     weekdays=[int(day) for day in form.weekdays.data or []], places=_lines(form.places.data),
                     checklist=(form.checklist.data or "").splitlines(), evidence=list(form.evidence.data or []))


def _refuse(form: PlanForm, err: PlanError) -> None:
    """The page's words for the field, else the refusal's own (a checklist line's: its number and why)."""
    target, message = getattr(form, err.field, None), refusal_text(FIELD_ERRORS, err.field, err)
    if target is None:
        flash(message, "error")
    else:
        target.errors = [*target.errors, message]


def _plan(plan_id: int) -> WorkPlan:
    plan = db.session().get(WorkPlan, plan_id)
    if plan is None or plan.school_id != current_user.school_id:
        abort(404)
    return plan


@bp.get("/plans")
@roles_required(*PLAN_ROLES)
def index() -> ResponseReturnValue:
    session, school_id = db.session(), current_user.school_id
    unit = request.args.get("unit", type=int)
    recurrence = request.args.get("recurrence") or None
    shown = readmodel.plans(session, school_id=school_id, unit_id=unit, recurrence=recurrence)
    return render_template("plans/index.html", plans=shown, unit=unit, recurrence=recurrence,
                           units=readmodel.unit_choices(session, school_id=school_id),
                           unit_names=readmodel.unit_names(session, school_id=school_id),
                           people=readmodel.user_names(session, [p.responsible_id for p in shown]))


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required(*PLAN_ROLES)
def new() -> ResponseReturnValue:
    form = _form()
    if form.validate_on_submit():
        session = db.session()
        try:
            plan = create_plan(session, school_id=current_user.school_id, entry=_entry(form), created_by=current_user)
            generate_occurrences(session, db.runtime().host, db.runtime().rules)
            session.commit()
        except PlanError as err:
            session.rollback()
            _refuse(form, err)
        else:
            flash(_("Plan “%(title)s” saved.", title=plan.title), "success")
            return redirect(url_for("plans.calendar", unit=plan.unit_id, month=plan.starts_on.strftime("%Y-%m")))
    return render_template("plans/new.html", form=form)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(*PLAN_ROLES)
def edit(plan_id: int) -> ResponseReturnValue:
    """Edit a plan; occurrences already generated keep what they had, later ones follow the edit."""
    plan = _plan(plan_id)
    form = _form(plan)
    if form.validate_on_submit():
        session = db.session()
        try:
            changed = changes.edit_plan(session, db.runtime().rules, plan=plan, entry=_entry(form), by=current_user)
            if plan.active:
                generate_occurrences(session, db.runtime().host, db.runtime().rules)
            session.commit()
        except PlanError as err:
            session.rollback()
            _refuse(form, err)
        else:
            flash(_("Plan “%(title)s” saved.", title=plan.title) if changed else _("Nothing was changed."), "success")
            return redirect(url_for("plans.index"))
    return render_template("plans/edit.html", form=form, plan=plan, deactivate_form=DeactivateForm(prefix="off"),
                           open_count=len(changes.open_occurrences(db.session(), plan)))


@bp.post("/plans/<int:plan_id>/deactivate")
@roles_required(*PLAN_ROLES)
def deactivate(plan_id: int) -> ResponseReturnValue:
    """No new occurrences from now on; optionally end the open ones too, with a reason."""
    plan = _plan(plan_id)
    form = DeactivateForm(prefix="off")
    if not form.validate_on_submit():
        flash(_("The reason may have at most 500 characters."), "error")
        return redirect(url_for("plans.edit", plan_id=plan_id))
    session = db.session()
    try:
        cancelled = changes.deactivate(session, db.runtime().host, plan=plan, by=current_user, actor=current_actor(),
                                       cancel_open=form.cancel_open.data, reason=form.reason.data or "")
        session.commit()
    except PlanError as err:
        session.rollback()
        flash(FIELD_ERRORS.get(err.field, _("The plan is already inactive.")), "error")
        return redirect(url_for("plans.edit", plan_id=plan_id))
    flash(_("Plan “%(title)s” deactivated; %(n)d open occurrences cancelled.", title=plan.title, n=len(cancelled)), "success")
    return redirect(url_for("plans.index"))


@bp.post("/plans/<int:plan_id>/reactivate")
@roles_required(*PLAN_ROLES)
def reactivate(plan_id: int) -> ResponseReturnValue:
    """Generate occurrences again, from today on."""
    plan = _plan(plan_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        changes.reactivate(session, db.runtime().rules, plan=plan, by=current_user)
        generate_occurrences(session, db.runtime().host, db.runtime().rules)
        session.commit()
    except PlanError:
        session.rollback()
        flash(_("The plan is already active."), "error")
    else:
        flash(_("Plan “%(title)s” is active again.", title=plan.title), "success")
    return redirect(url_for("plans.index"))


@bp.route("/plans/import", methods=["GET", "POST"])
@roles_required(*PLAN_ROLES)
def import_plans() -> ResponseReturnValue:
    form, problems = SheetForm(), []
    if form.validate_on_submit():
        session = db.session()
        try:
            count, result = import_sheet(session, school_id=current_user.school_id, data=form.sheet.data.read(),
                                         created_by=current_user, skip_bad_rows=form.skip_bad_rows.data)
            generate_occurrences(session, db.runtime().host, db.runtime().rules)
            session.commit()
        except SheetRefused as refused:
            session.rollback()
            problems = refused.problems
            flash(_("Nothing was imported: the sheet has %(n)d problems.", n=len(problems)), "error")
        else:
            flash(_("%(n)d plans imported; %(skipped)d rows skipped.", n=count, skipped=len(result.bad_rows)), "success")
            return redirect(url_for("plans.index"))
    return render_template("plans/import.html", form=form, problems=problems, messages=SHEET_PROBLEMS, locale=locale_code())


@bp.get("/plans/import/template")
@roles_required(*PLAN_ROLES)
def import_template() -> ResponseReturnValue:
    """The sheet to fill in, with the headers the import reads and an example row that imports as it is."""
    data = template(db.session(), school_id=current_user.school_id, username=current_user.username)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=_("plan-import-template.xlsx"),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _month(value: str | None) -> date:
    today = now().astimezone(school_tz()).date()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@bp.get("/plans/calendar")
@roles_required(*PLAN_ROLES)
def calendar() -> ResponseReturnValue:
    """A month (``?month=2027-06``) or a week (``?view=week&day=2027-06-07``) of one unit's plans, coloured by status;
    with ``?show=`` a dashboard figure's occurrences instead (:func:`_counted`)."""
    if "show" in request.args:
        return _counted(request.args["show"])
    session, school_id = db.session(), current_user.school_id
    unit = request.args.get("unit", type=int)
    if request.args.get("view") == "week":
        try:
            day = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            day = now().astimezone(school_tz()).date()
        first = day - timedelta(days=day.weekday())
        weeks = [[first + timedelta(days=i) for i in range(7)]]
        view, month = "week", first.replace(day=1)
    else:
        view, month = "month", _month(request.args.get("month"))
        weeks = month_calendar.Calendar().monthdatescalendar(month.year, month.month)
    at = now()
    entries = readmodel.calendar(session, school_id=school_id, first=weeks[0][0], last=weeks[-1][-1], unit_id=unit,
                                 at=at, today=at.astimezone(school_tz()).date())
    previous = (weeks[0][0] - timedelta(days=7)) if view == "week" else (month - timedelta(days=1)).replace(day=1)
    following = (weeks[0][0] + timedelta(days=7)) if view == "week" else (month + timedelta(days=32)).replace(day=1)
    return render_template("plans/calendar.html", weeks=weeks, entries=entries, month=month, view=view, unit=unit,
                           previous=previous, following=following, units=readmodel.unit_choices(session, school_id=school_id))


def _counted(show: str) -> ResponseReturnValue:
    """The occurrences the dashboard figure ``show`` counts in its period (the last 30 days by default)."""
    scope = figure_scope(CONDITIONS, show)
    session, school_id, at = db.session(), current_user.school_id, now()
    rows = drilldown(session, school_id=school_id, key=scope.show, start=scope.start, end=scope.end, at=at)
    return render_template("plans/counted.html", rows=[(occ, readmodel.state(occ, at)) for occ in rows], **scope.page(),
                           unit_names=readmodel.unit_names(session, school_id=school_id))


def _occurrence(number: str) -> PlanOccurrence:
    occ = readmodel.occurrence(db.session(), school_id=current_user.school_id, number=number)
    if occ is None:
        abort(404)
    if not may_view(current_user, occ):
        abort(403)
    return occ


@bp.get("/plans/occurrences/<number>")
@login_required
def occurrence(number: str) -> ResponseReturnValue:
    occ = _occurrence(number)
    session = db.session()
    events = db.runtime().modules.timeline(session, module_name="plans", school_id=occ.school_id, key=occ.number,
                                           locale=locale_code())
    return render_template("plans/occurrence.html", occ=occ, plan=occ.plan, events=events, state=readmodel.state(occ, now()),
                           checklist=linked_checklist(session, occ.plan),
                           tasks=readmodel.open_tasks(session, occ), evidence=readmodel.evidence_of(occ),
                           people=readmodel.user_names(session, [occ.plan.responsible_id]),
                           unit_names=readmodel.unit_names(session, school_id=occ.school_id))


@bp.get("/plans/occurrences/<number>/evidence/<stored>")
@login_required
def evidence(number: str, stored: str) -> ResponseReturnValue:
    """A stored evidence file (``?thumb=1`` for a photo's thumbnail), only to those who may see the occurrence."""
    occ = _occurrence(number)
    return send_kept(db.runtime().uploads_dir / str(occ.school_id), readmodel.is_stored_evidence(occ, stored))
