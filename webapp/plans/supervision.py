"""Task supervision pages (/tasks-supervision): the board of task trees with their colours, assigning a task,
taking a task assigned to one's unit, and one task's page where its assignee reports progress or splits it
into sub-tasks. Completing and accepting happen in the inbox."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engine.clock import now
from engine.errors import NotAllowed, TaskNotReady
from webapp import db
from webapp.auth import current_actor, roles_required
from webapp.i18n import locale_code, refusal_text, school_tz
from webapp.kept_files import keep_uploads, send_kept
from webapp.shared import figure_scope, optional_int
from workflows.delegation import readmodel
from workflows.delegation.enums import Priority
from workflows.delegation.figures import CONDITIONS, drilldown
from workflows.delegation.models import DelegatedTask
from workflows.delegation.module import BOARD_ROLES, may_view
from workflows.delegation.service import LEADER_ROLES, Assignment, TaskError, assign, may_take, may_work_on, report, split, take
from workflows.people.picker import STAFF
from workflows.plans.readmodel import unit_choices, unit_names, user_names

bp = Blueprint("supervision", __name__)
MAX_EVIDENCE, MAX_EVIDENCE_MB = 6, 8
PRIORITY_LABELS = {Priority.low: _l("Low"), Priority.normal: _l("Normal"), Priority.high: _l("High"), Priority.urgent: _l("Urgent")}
TASK_STATUS_LABELS = {"open": _l("In progress"), "submitted": _l("Waiting for acceptance"), "sent_back": _l("Sent back"),
                      "closed": _l("Closed")}
TASK_ERRORS = {"title": _l("A task needs a title."), "assignee_id": _l("Assign the task to a person or a unit."),
               "unit_id": _l("Choose a unit."), "deadline": _l("The deadline must be in the future and not after the parent task's."),
               "priority": _l("Choose a priority."), "percent": _l("Progress is a percentage from 0 to 100."),
               "parent": _l("Only the assignee of an open task can split it."),
               "task": _l("Only the assignee of an open task can report on it.")}
TAKE_REFUSED = _l("This task is no longer waiting for someone of its unit to take it.")


class AssignForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), [Optional(), Length(max=4000)])
    acceptance_criteria = TextAreaField(_l("Acceptance criteria"), [Optional(), Length(max=4000)])
    priority = SelectField(_l("Priority"), choices=[SelectChoice(p.value, label) for p, label in PRIORITY_LABELS.items()], default="normal")
    deadline = DateTimeLocalField(_l("Deadline"), [InputRequired()], format="%Y-%m-%dT%H:%M")
    assignee_id = SelectField(_l("Assign to a person"), coerce=optional_int)
    unit_id = SelectField(_l("… or to a unit"), coerce=optional_int)


class ReportForm(FlaskForm):
    percent = IntegerField(_l("Progress (%)"), [InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("Note"), [Optional(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence"), description=_l("Photos or PDF files."))


@bp.record_once
def _labels(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(PRIORITY_LABELS=PRIORITY_LABELS, TASK_STATUS_LABELS=TASK_STATUS_LABELS,
                                       MAX_EVIDENCE=MAX_EVIDENCE, MAX_EVIDENCE_MB=MAX_EVIDENCE_MB)


def _assign_form(prefix: str = "") -> AssignForm:
    form = AssignForm(prefix=prefix)
    session, school_id = db.session(), current_user.school_id
    staff = db.runtime().form_sources[STAFF](session, school_id=school_id, org_unit_id=None, locale=locale_code())
    form.assignee_id.choices = [SelectChoice("", _("— choose —")), *(SelectChoice(int(i), name) for i, name in staff)]
    form.unit_id.choices = [SelectChoice("", _("— none —")),
                            *(SelectChoice(i, name) for i, name in unit_choices(session, school_id=school_id))]
    return form


def _entry(form: AssignForm) -> Assignment:
    # a validated form: title is DataRequired, deadline InputRequired
    assert form.title.data is not None and form.deadline.data is not None
    deadline = form.deadline.data.replace(tzinfo=school_tz())  # the page shows the school's local time
    return Assignment(title=form.title.data, deadline=deadline, assignee_id=form.assignee_id.data, unit_id=form.unit_id.data,
                      description=form.description.data or "", acceptance_criteria=form.acceptance_criteria.data or "",
                      priority=form.priority.data)


def _refuse(form: FlaskForm, err: TaskError) -> None:
    target = getattr(form, err.field, None)
    message = refusal_text(TASK_ERRORS, err.field, err)
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        flash(message, "error")


@bp.get("/tasks-supervision")
@roles_required(*BOARD_ROLES)
def board() -> ResponseReturnValue:
    """The open task trees; with ``?show=`` the tasks a dashboard figure counts instead (:func:`_counted`)."""
    session, school_id = db.session(), current_user.school_id
    if "show" in request.args:
        rows, figure = _counted(request.args["show"])
    else:
        trees = readmodel.forest(session, school_id=school_id)
        rows, figure = [(depth, node) for root in trees for depth, node in root.walk()], {}
    return render_template("supervision/board.html", rows=rows, takeable=_takeable(rows),
                           people=user_names(session, [n.task.assignee_id for _d, n in rows] + [n.task.assigner_id for _d, n in rows]),
                           units=unit_names(session, school_id=school_id), **figure)


def _counted(show: str) -> tuple[list[tuple[int, readmodel.Node]], dict[str, Any]]:
    """The tasks the dashboard figure ``show`` counts in its period (the last 30 days by default), each a row of its
    own, and what the page says of the figure."""
    scope = figure_scope(CONDITIONS, show)
    nodes = drilldown(db.session(), school_id=current_user.school_id, key=scope.show, start=scope.start, end=scope.end,
                      at=now())
    return [(0, node) for node in nodes], scope.page()


@bp.route("/tasks-supervision/new", methods=["GET", "POST"])
@roles_required(*LEADER_ROLES)
def new() -> ResponseReturnValue:
    form = _assign_form()
    if form.validate_on_submit():
        session = db.session()
        try:
            task = assign(session, db.runtime().host, school_id=current_user.school_id, assigner=current_user, entry=_entry(form))
            session.commit()
        except TaskError as err:
            session.rollback()
            _refuse(form, err)
        else:
            flash(_("Task “%(title)s” assigned.", title=task.title), "success")
            return redirect(url_for("supervision.detail", number=task.number))
    return render_template("supervision/new.html", form=form)


def _task(number: str) -> DelegatedTask:
    session = db.session()
    task = session.scalar(select(DelegatedTask).where(DelegatedTask.number == number,
                                                      DelegatedTask.school_id == current_user.school_id))
    if task is None:
        abort(404)
    if not may_view(session, current_user, task):
        abort(403)
    return task


def _takeable(rows: Iterable[tuple[int, readmodel.Node]]) -> set[str]:
    """Numbers of the shown tasks that the current user may take for their unit."""
    session, actor = db.session(), current_actor()
    return {node.task.number for _depth, node in rows if node.task.assignee_id is None and may_take(session, actor, node.task)}


def _detail(task: DelegatedTask, report_form: ReportForm | None = None, split_form: AssignForm | None = None) -> str:
    session = db.session()
    node = readmodel.subtree(session, task)
    events = db.runtime().modules.timeline(session, module_name="delegation", school_id=task.school_id, key=task.number,
                                           locale=locale_code())
    rows = list(node.walk())
    parent = session.get(DelegatedTask, task.parent_id) if task.parent_id else None
    working = may_work_on(current_user, task)
    return render_template("supervision/detail.html", task=task, node=node, rows=rows, parent=parent, events=events,
                           takeable=_takeable(rows),
                           reports=readmodel.reports(session, task), working=working,
                           report_form=report_form or (ReportForm(prefix="report") if working else None),
                           split_form=split_form or (_assign_form("split") if working else None),
                           people=user_names(session, [n.task.assignee_id for _d, n in rows] + [task.assigner_id]),
                           units=unit_names(session, school_id=task.school_id))


@bp.get("/tasks-supervision/<number>")
@login_required
def detail(number: str) -> ResponseReturnValue:
    return _detail(_task(number))


@bp.post("/tasks-supervision/<number>/take")
@login_required
def take_task(number: str) -> ResponseReturnValue:
    """A holder of the unit role takes a task assigned to their unit: they become its assignee at once."""
    task = _task(number)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        take(session, task=task, actor=current_actor())
        session.commit()
    except NotAllowed:
        session.rollback()
        abort(403)
    except (TaskError, TaskNotReady):
        session.rollback()
        flash(TAKE_REFUSED, "error")
    else:
        flash(_("You took “%(title)s”; you can now report progress and split it.", title=task.title), "success")
    return redirect(url_for("supervision.detail", number=number))


@bp.post("/tasks-supervision/<number>/report")
@login_required
def report_progress(number: str) -> ResponseReturnValue:
    task = _task(number)
    form = ReportForm(prefix="report")
    if not may_work_on(current_user, task):
        abort(403)
    evidence = keep_uploads(form.evidence, db.runtime().uploads_dir / str(task.school_id), max_files=MAX_EVIDENCE,
                            max_mb=MAX_EVIDENCE_MB) if form.validate_on_submit() else None
    if evidence is not None:
        assert form.percent.data is not None  # validated: InputRequired
        session = db.session()
        try:
            report(session, task=task, by=current_user, percent=form.percent.data, note=form.note.data or "",
                   evidence=evidence)
            session.commit()
        except TaskError as err:
            session.rollback()
            _refuse(form, err)
        else:
            flash(_("Progress reported."), "success")
            return redirect(url_for("supervision.detail", number=number))
    return _detail(task, report_form=form)


@bp.post("/tasks-supervision/<number>/split")
@login_required
def split_task(number: str) -> ResponseReturnValue:
    parent = _task(number)
    form = _assign_form("split")
    if not may_work_on(current_user, parent):
        abort(403)
    if form.validate_on_submit():
        session = db.session()
        try:
            child = split(session, db.runtime().host, parent=parent, by=current_user, entry=_entry(form))
            session.commit()
        except TaskError as err:
            session.rollback()
            _refuse(form, err)
        else:
            flash(_("Sub-task “%(title)s” assigned.", title=child.title), "success")
            return redirect(url_for("supervision.detail", number=number))
    return _detail(parent, split_form=form)


@bp.get("/tasks-supervision/<number>/files/<stored>")
@login_required
def kept_file(number: str, stored: str) -> ResponseReturnValue:
    """An attachment or report evidence of the task, to those who may see the task."""
    task = _task(number)
    return send_kept(db.runtime().uploads_dir / str(task.school_id), readmodel.kept_item(db.session(), task, stored))


def local_deadline(value: datetime) -> str:
    return value.astimezone(school_tz()).strftime("%Y-%m-%d %H:%M")


bp.add_app_template_filter(local_deadline, "local_deadline")
