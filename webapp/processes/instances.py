"""The instance viewer and an administrator's actions on one instance.

The page shows the instance's diagram with completed, active, waiting-timer and errored elements marked,
when each waiting timer fires, the data every step left, and the audit timeline. Suspend, resume, terminate
and retrying an errored task (after correcting its data) each need a reason and are audited by
:mod:`engine.instance_control`. Process owners and admins only, and only for instances of their school.
"""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from engine import advance, instance_control, instance_view
from engine.errors import EngineError
from engine.models import AuditEvent, ProcessInstance
from webapp import db
from webapp.auth import current_actor
from webapp.engine_messages import engine_message
from webapp.processes.support import drawn_source, owners_only
from webapp.processes.views import ReasonForm
from webapp.shared import format_when

bp = Blueprint("process_instances", __name__, url_prefix="/processes/instances")
ACTIONS = {"suspend": instance_control.suspend, "resume": instance_control.resume,
           "terminate": instance_control.terminate, "rerun": instance_control.rerun}


def _instance_or_404(instance_id: int) -> ProcessInstance:
    instance = db.session().get(ProcessInstance, instance_id)
    actor = current_actor()
    if instance is None or (actor.school_id is not None and instance.school_id != actor.school_id):
        abort(404)
    return instance


def _done_message(action: str) -> str:
    return {"suspend": _("The instance is suspended."), "resume": _("The instance is resumed."),
            "terminate": _("The instance is terminated."), "retry": _("The task was run again."),
            "rerun": _("The instance was run again.")}[action]


@bp.get("/<int:instance_id>")
@owners_only
def show(instance_id: int) -> ResponseReturnValue:
    session = db.session()
    instance = _instance_or_404(instance_id)
    workflow = advance.load_workflow(db.runtime().host, instance)
    audit = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.id)).all()
    steps = instance_view.steps(workflow)
    return render_template("processes/instance.html", instance=instance, definition=instance.definition,
                           xml=drawn_source(instance.definition), marks=instance_view.element_marks(workflow),
                           timers=instance_view.waiting_timers(workflow), steps=steps,
                           errored=[s for s in steps if s.state == "errored"], audit=audit, form=ReasonForm(),
                           format_when=format_when, as_json=lambda data: json.dumps(data, ensure_ascii=False,
                                                                                    indent=1, default=str))


@bp.post("/<int:instance_id>/<action>")
@owners_only
def act(instance_id: int, action: str) -> ResponseReturnValue:
    instance = _instance_or_404(instance_id)
    form = ReasonForm()
    if action not in (*ACTIONS, "retry"):
        abort(404)
    if not form.validate_on_submit():
        flash(_("Give a reason for this action."), "error")
        return redirect(url_for("process_instances.show", instance_id=instance.id))
    session, host, actor = db.session(), db.runtime().host, current_actor()
    reason = form.reason.data or ""  # validated: InputRequired
    try:
        if action == "retry":
            data = json.loads(request.form.get("data") or "{}")
            if not isinstance(data, dict):
                raise ValueError
            instance_control.retry(host, session, instance_id=instance.id, task_id=request.form.get("task_id", ""),
                                   actor=actor, reason=reason, data=data)
        else:
            ACTIONS[action](host, session, instance_id=instance.id, actor=actor, reason=reason)
    except ValueError:
        session.rollback()
        flash(_("The corrected data must be a JSON object, e.g. {\"amount\": 3}."), "error")
    except EngineError as err:
        session.rollback()
        flash(_("The action was not carried out: %(reason)s", reason=engine_message(err)), "error")
    else:
        session.commit()
        flash(_done_message(action), "success")
    return redirect(url_for("process_instances.show", instance_id=instance.id))
