"""The staff inbox (tabs, filters, sorting, pages, claim / release / hand over, a "new tasks" hint) and the
generic task page that completes a user task through the advance routine.

Views stay thin: the lists come from ``engine.inbox`` (the projection and the audit log, never a workflow),
what a task is about (its one-line summary, the panel beside it, the colour, campus and requester filters)
from the process modules registered at bootstrap (``runtime.modules``), who may do what from the one task policy,
and who a task may be handed to and where uploads go from ``workflows.tasklist``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from engine import inbox as queries
from engine.advance import complete_task, task_data
from engine.assignment import claim, reassign, release
from engine.clock import now
from engine.errors import ConcurrentUpdate, NotAllowed, StateTooLarge, TaskNotReady
from engine.models import HumanTask
from engine.policy import TaskRights
from forms.builder import ChoiceSource, build_form_class, static_parts, submitted_data
from forms.schema import FieldDef, FormDefinition
from forms.uploads import Store, Upload, UploadRejected, all_pictures
from webapp import db
from webapp.auth import current_actor
from webapp.bpmn_messages import diagram_text
from webapp.engine_messages import engine_message
from webapp.i18n import locale_code
from workflows import tasklist
from workflows.acting import task_choices
from workflows.catalogue.service import campuses
from workflows.colours import Colour
from workflows.delegation.service import follow_holder
from workflows.notifications.service import unread_count
from workflows.people.models import User
from workflows.people.permissions import TASK_POLICY
from workflows.repair import photos

bp = Blueprint("inbox", __name__)
# form.html's upload box, on this page and every other that uses it, words a picture-only box as photos
bp.add_app_template_test(all_pictures, "all_pictures")
NOTE_MAX = 500
SEARCH_MAX = 60


class HandOverForm(FlaskForm):
    assignee = SelectField(coerce=int, validate_choice=False, validators=[InputRequired()])
    note = TextAreaField(validators=[Length(max=NOTE_MAX)])


# --- the inbox ------------------------------------------------------------------------------

def _local_day(raw: str | None) -> datetime | None:
    """Midnight at the start of a ``YYYY-MM-DD`` day in the app's time zone, as an aware datetime."""
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=get_timezone()) if day else None


def _listing_args(args: MultiDict[str, str], school_campuses: set[int]) -> dict[str, Any]:
    """The inbox's query string, checked: anything unknown or malformed is dropped."""
    campus = args.get("campus", type=int)
    colour = args.get("colour")
    return {
        "tab": args.get("tab") if args.get("tab") in queries.TABS else None,
        "process": (args.get("process") or "").strip()[:120] or None,
        "type": (args.get("type") or "").strip()[:200] or None,
        "colour": colour if colour in set(Colour) else None,
        "campus": campus if campus in school_campuses else None,
        "from": args.get("from") if _local_day(args.get("from")) else None,
        "to": args.get("to") if _local_day(args.get("to")) else None,
        "overdue": "1" if args.get("overdue") == "1" else None,
        "q": (args.get("q") or "").strip()[:SEARCH_MAX] or None,
        "sort": args.get("sort") if args.get("sort") in queries.SORTS else None,
        "dir": args.get("dir") if args.get("dir") in ("asc", "desc") else None,
    }


def _task_filter(params: dict[str, Any]) -> queries.TaskFilter:
    school_id = current_user.school_id
    modules = db.runtime().modules
    until = _local_day(params["to"])
    return queries.TaskFilter(
        process_key=params["process"], title=params["type"], overdue=bool(params["overdue"]),
        created_from=_local_day(params["from"]), created_before=until + timedelta(days=1) if until else None,
        search=params["q"], search_keys=modules.keys_searched(school_id=school_id, words=params["q"]) if params["q"] else None,
        only_keys=modules.keys_where(school_id=school_id, colour=params["colour"], campus_id=params["campus"]))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    session = db.session()
    actor = current_actor()
    at = now()
    school_campuses = campuses(session, school_id=current_user.school_id, include_inactive=True) if current_user.school_id else []
    params = _listing_args(request.args, {c.id for c in school_campuses})
    counts = queries.counts(session, actor, at=at)
    tab = params["tab"] or ("group" if not counts["mine"] and counts["group"] else "mine")
    flt = _task_filter(params)
    page_number = request.args.get("page", 1, type=int) or 1
    if tab == "completed":
        descending = params["dir"] != "asc"
        page = queries.completed_page(session, actor, flt=flt, sort=params["sort"] or "created", descending=descending,
                                      page=page_number)
    else:
        descending = params["dir"] == "desc"
        page = queries.task_page(session, actor, tab=tab, at=at, flt=flt, sort=params["sort"] or "due",
                                 descending=descending, page=page_number)
    holders = [row.assignee_id for row in page.rows if getattr(row, "assignee_id", None)]
    return render_template(
        "inbox/index.html", tab=tab, page=page, counts=counts, params=params, now=at,
        sort=params["sort"] or ("created" if tab == "completed" else "due"), descending=descending,
        filtered=any(params[k] for k in ("process", "type", "colour", "campus", "from", "to", "overdue", "q")),
        contexts=db.runtime().modules.summaries(session, school_id=current_user.school_id, rows=page.rows,
                                                locale=locale_code()) if current_user.school_id else {},
        holders=_names(session, holders), actor=actor, rights=TASK_POLICY.rights,
        processes=queries.processes(session), titles=queries.titles(session, actor, tab=tab),
        campuses=school_campuses, listing_url=_listing_url(params, tab))


def _listing_url(params: dict[str, Any], tab: str) -> Callable[..., str]:
    """``url(**changes)``: this listing's URL with some parameters changed (None drops one)."""
    def url(**changes: Any) -> str:
        merged = {**params, "tab": tab, **changes}
        return url_for("inbox.index", **{k: v for k, v in merged.items() if v not in (None, "")})

    return url


def _names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = set(filter(None, user_ids))
    if not ids:
        return {}
    return {user_id: name for user_id, name in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))}


@bp.get("/inbox/count.json")
@login_required
def count_json() -> ResponseReturnValue:
    """What the inbox page polls every 30 s: tasks per tab and the unread notifications."""
    session = db.session()
    counts = queries.counts(session, current_actor(), at=now())
    response = jsonify({**counts, "unread": unread_count(session, user_id=current_user.id)})
    response.cache_control.no_store = True
    return response


# --- claim, release, hand over --------------------------------------------------------------

def _back(default: str) -> str:
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


def _gone() -> Any:
    flash(_("This task is no longer open."), "error")
    return redirect(url_for("inbox.index"))


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim_task(task_id: str) -> ResponseReturnValue:
    session = db.session()
    try:
        actor = current_actor()
        row = claim(session, task_id=task_id, actor=actor, policy=TASK_POLICY)
        follow_holder(session, row, actor)
        title = row.title
        session.commit()
    except TaskNotReady:
        session.rollback()
        return _gone()
    except NotAllowed:
        session.rollback()
        abort(403)
    flash(_("You took “%(title)s”.", title=diagram_text(title)), "success")
    return redirect(_back(url_for("inbox.task", task_id=task_id)))


@bp.post("/tasks/<task_id>/release")
@login_required
def release_task(task_id: str) -> ResponseReturnValue:
    session = db.session()
    actor = current_actor()
    row = session.get(HumanTask, task_id)
    if row is None:
        return _gone()
    if not TASK_POLICY.rights(actor, row).release:
        abort(403)
    follow_holder(session, release(session, task_id=task_id, actor=actor, policy=TASK_POLICY), actor)
    title = row.title
    session.commit()
    flash(_("“%(title)s” is back with its group.", title=diagram_text(title)), "success")
    return redirect(_back(url_for("inbox.index")))


@bp.post("/tasks/<task_id>/hand-over")
@login_required
def hand_over(task_id: str) -> ResponseReturnValue:
    """Give the task to someone the actor's role allows (another worker of the team; for an auditor, whoever holds
    the task's role in its unit), with a note recorded in the audit log."""
    session = db.session()
    actor = current_actor()
    row = session.get(HumanTask, task_id)
    if row is None:
        return _gone()
    targets = dict(tasklist.hand_over_targets(session, actor=actor, row=row))
    form = HandOverForm()
    if not targets:
        abort(403)
    if not form.validate_on_submit():
        flash(_("Choose who takes the task over; the note may have at most %(n)d characters.", n=NOTE_MAX), "error")
        return redirect(url_for("inbox.task", task_id=task_id))
    if form.assignee.data not in targets:
        abort(403)
    title, note = row.title, (form.note.data or "").strip() or None
    try:
        if row.assignee_id is None and not TASK_POLICY.rights(actor, row).manage:
            claim(session, task_id=task_id, actor=actor, policy=TASK_POLICY)  # a group member takes it, then hands it on
        follow_holder(session, reassign(session, task_id=task_id, actor=actor, assignee_id=form.assignee.data, note=note,
                                        policy=TASK_POLICY), actor)
        session.commit()
    except TaskNotReady:
        session.rollback()
        return _gone()
    except NotAllowed:
        session.rollback()
        abort(403)
    flash(_("“%(title)s” was handed over to %(name)s.", title=diagram_text(title), name=targets[form.assignee.data]), "success")
    return redirect(url_for("inbox.index", tab="delegated"))


# --- the task page --------------------------------------------------------------------------

def _source(row: HumanTask) -> ChoiceSource:
    return task_choices(db.runtime(), db.session(), row, locale_code())


def _store(row: HumanTask, form: FlaskForm) -> Store:
    """The domain's storage for this task's uploads; a refused file puts its reason on its field."""
    runtime = db.runtime()

    def store(field: FieldDef, upload: Upload) -> dict[str, Any]:
        try:
            return tasklist.store_upload(db.session(), runtime.modules, uploads_dir=runtime.uploads_dir, row=row,
                                         user_id=current_user.id, field=field, upload=upload)
        except photos.UploadedPhotoRejected as err:
            form[field.name].errors = [*form[field.name].errors, err.said(locale_code())]
            raise

    return store


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_err: RequestEntityTooLarge) -> ResponseReturnValue:
    flash(_("The files are too large to send together. Send fewer or smaller files."), "error")
    return redirect(request.path if request.path.startswith("/tasks/") else url_for("inbox.index"))


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: str) -> ResponseReturnValue:
    session = db.session()
    actor = current_actor()
    row = session.get(HumanTask, task_id)
    if row is None:
        flash(_("This task could not be completed: %(reason)s", reason=engine_message(TaskNotReady())), "error")
        return redirect(url_for("inbox.index"))
    rights = TASK_POLICY.rights(actor, row)
    can_do = rights.complete
    if not rights.see or (request.method == "POST" and not can_do):
        abort(403)
    definition = db.runtime().forms.get(row.form_key or "")
    if definition is None:
        abort(500, description=_("This task names a form that does not exist."))
    data = task_data(db.runtime().host, db.session(), row) if definition.reads_task_data else None
    # built on FlaskForm (typed as a plain Form): it has validate_on_submit
    form: FlaskForm = build_form_class(definition, base=FlaskForm, locale=locale_code(), source=_source(row),
                                       task_data=data)()
    if can_do and form.validate_on_submit():
        title, business_key = row.title, row.business_key
        try:
            data = submitted_data(definition, form, store=_store(row, form))
        except UploadRejected:
            session.rollback()  # the refusal is on its field; photos stored before it are not kept on the order
        else:
            try:
                complete_task(db.runtime().host, session, task_id=task_id, actor=actor, data=data)
                session.commit()
            except (TaskNotReady, NotAllowed, ConcurrentUpdate, StateTooLarge) as err:
                session.rollback()
                flash(_("This task could not be completed: %(reason)s", reason=engine_message(err)), "error")
                return redirect(url_for("inbox.index"))
            return _after_completion(title, business_key, task_id)
    return _task_page(row, definition, form, rights=rights, task_data=data)


def _after_completion(title: str, business_key: str | None, task_id: str) -> ResponseReturnValue:
    """To the next task of the same order the user may do, else their most urgent own task, else the inbox."""
    flash(_("Task “%(title)s” completed.", title=diagram_text(title)), "success")
    following = queries.next_task(db.session(), current_actor(), business_key=business_key, exclude=task_id)
    if following is not None:
        return redirect(url_for("inbox.task", task_id=following.id))
    return redirect(url_for("inbox.index"))


def _task_page(row: HumanTask, definition: FormDefinition, form: FlaskForm, *, rights: TaskRights,
               task_data: dict[str, Any] | None) -> str:
    session = db.session()
    actor = current_actor()
    locale = locale_code()
    targets = tasklist.hand_over_targets(session, actor=actor, row=row)
    hand_over_form = HandOverForm(formdata=None)
    hand_over_form.assignee.choices = [(user_id, name) for user_id, name in targets]
    return render_template(
        "inbox/task.html", task=row, form=form, definition=definition, locale=locale, can_do=rights.complete,
        parts=static_parts(definition, locale=locale, task_data=task_data),
        panel=db.runtime().modules.panel(session, process_key=row.process_key, user=current_user, rules=db.runtime().rules,
                                         school_id=row.school_id, key=row.business_key, locale=locale),
        overdue=row.due_at is not None and row.due_at < now(),
        holder=_names(session, [row.assignee_id]).get(row.assignee_id) if row.assignee_id is not None else None,
        may_claim=rights.claim, may_release=rights.release,
        hand_over_form=hand_over_form if targets else None)
