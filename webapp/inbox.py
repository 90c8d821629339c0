"""The staff inbox and the generic task page that completes a user task through the advance routine."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from engine.advance import complete_task, may_complete
from engine.clock import now
from engine.errors import ConcurrentUpdate, NotAllowed, TaskNotReady
from engine.inbox import tasks_for
from engine.models import HumanTask
from forms.builder import build_form_class, submitted_data
from webapp import db
from webapp.auth import current_actor
from webapp.i18n import locale_code
from workflows.repair.readmodel import task_contexts

bp = Blueprint("inbox", __name__)


@bp.get("/")
@login_required
def index():
    session = db.session()
    tasks = tasks_for(session, current_actor())
    contexts = task_contexts(session, school_id=current_user.school_id, locale=locale_code(),
                             business_keys={t.business_key for t in tasks if t.business_key})
    return render_template("inbox/index.html", tasks=tasks, contexts=contexts, now=now())


def _load_task(task_id: str) -> HumanTask | None:
    row = db.session().get(HumanTask, task_id)
    if row is not None and not may_complete(current_actor(), row):
        abort(403)
    return row


def _form_for(row: HumanTask):
    definitions = db.runtime().forms
    definition = definitions.get(row.form_key or "")
    if definition is None:
        abort(500, description=_("This task names a form that does not exist."))
    form_class = build_form_class(definition, base=FlaskForm, locale=locale_code())
    return definition, form_class()


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: str):
    row = _load_task(task_id)
    if row is None:
        flash(_("This task could not be completed: %(reason)s", reason=_reason(TaskNotReady())), "error")
        return redirect(url_for("inbox.index"))
    definition, form = _form_for(row)
    if form.validate_on_submit():
        session = db.session()
        try:
            complete_task(db.runtime().host, session, task_id=task_id, actor=current_actor(),
                          data=submitted_data(definition, form))
            session.commit()
        except (TaskNotReady, NotAllowed, ConcurrentUpdate) as err:
            session.rollback()
            flash(_("This task could not be completed: %(reason)s", reason=_reason(err)), "error")
            return redirect(url_for("inbox.index"))
        flash(_("Task “%(title)s” completed.", title=row.title), "success")
        return redirect(url_for("inbox.index"))
    return render_template("inbox/task.html", task=row, form=form, definition=definition, locale=locale_code())


def _reason(err: Exception) -> str:
    reasons = {
        TaskNotReady: _("it was already completed or is no longer open"),
        NotAllowed: _("you may not complete it"),
        ConcurrentUpdate: _("someone else changed it at the same moment; please try again"),
    }
    return reasons.get(type(err), str(err))
