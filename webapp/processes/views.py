"""Process owners' pages under /processes: every process with its versions (author, time, comment), upload and
download of ``.bpmn`` files, roll back by activating an older version, a visual diff between two versions, and
moving running instances to another version after a dry run.

Only process owners and admins reach these pages and endpoints (403 for everyone else). Uploads go through
:func:`engine.importer.import_diagram` (foreign elements refused by name and line, drawing added if missing)
and then the same validated deploy as the editor, so a diagram that fails never becomes active.
"""
from __future__ import annotations

import logging
from typing import Any, TypeVar

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import Select, select
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from engine import migration, migration_jobs, versions
from engine.deployments import deploy
from engine.errors import DeploymentError
from engine.importer import import_diagram
from engine.models import MigrationJob, ProcessInstance
from webapp import db
from webapp.auth import current_actor
from webapp.processes.support import active_or_404, definition_or_404, drawn_source, owners_only, primary_file, problem_json, scope
from webapp.shared import ROLE_LABELS, format_when

bp = Blueprint("processes", __name__, url_prefix="/processes")


@bp.app_template_global()
def role_labels() -> dict[str, str]:
    """Each role's label in the page's language: a diagram's lanes are named by role and drawn with these."""
    return {str(role): str(label) for role, label in ROLE_LABELS.items()}
log = logging.getLogger(__name__)
Stmt = TypeVar("Stmt", bound=Select[Any])


class UploadForm(FlaskForm):
    diagram = FileField(_l("BPMN file"), validators=[FileRequired()])
    comment = StringField(_l("What changed"), validators=[InputRequired(), Length(max=500)])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=500)])


def _school_scope(stmt: Stmt) -> Stmt:
    actor = current_actor()
    return stmt if actor.school_id is None else stmt.where(ProcessInstance.school_id == actor.school_id)


@bp.get("/")
@owners_only
def index() -> ResponseReturnValue:
    session = db.session()
    return render_template("processes/index.html", processes=versions.process_keys(session, scope()), form=UploadForm(),
                           format_when=format_when, problems=[])


@bp.post("/upload")
@owners_only
def upload() -> ResponseReturnValue:
    form = UploadForm()
    problems = []
    if form.validate_on_submit():
        upload_file = form.diagram.data
        filename = (upload_file.filename or "upload.bpmn").rsplit("/", 1)[-1]
        try:
            xml = import_diagram(upload_file.read(), filename)
            definition, created = deploy(db.session(), files={filename: xml}, registry=db.runtime().host.registry,
                                         deployed_by=current_actor().label, comment=(form.comment.data or "").strip(),
                                         school_id=scope())
        except DeploymentError as err:
            db.session().rollback()
            problems = [problem_json(p) for p in err.problems]
        else:
            db.session().commit()
            flash(_("Version %(version)d of %(process)s is deployed and active.", version=definition.version,
                    process=definition.process_key) if created else
                  _("This diagram is the same as version %(version)d, which is now active.", version=definition.version),
                  "success")
            return redirect(url_for("processes.detail", process_key=definition.process_key))
    return render_template("processes/index.html", processes=versions.process_keys(db.session(), scope()), form=form,
                           format_when=format_when, problems=problems), 400


@bp.get("/<process_key>/")
@owners_only
def detail(process_key: str) -> ResponseReturnValue:
    session = db.session()
    active = active_or_404(process_key)
    listed = versions.versions(session, process_key, scope())
    instances = session.scalars(_school_scope(select(ProcessInstance).where(ProcessInstance.process_key == process_key))
                                .order_by(ProcessInstance.id.desc()).limit(200)).all()
    by_id = {d.id: d.version for d in listed}
    return render_template("processes/detail.html", process_key=process_key, active=active, versions=listed,
                           counts=versions.instance_counts(session, process_key, scope()), instances=instances,
                           version_of=by_id, form=ReasonForm(), format_when=format_when)


@bp.get("/<process_key>/v<int:version>/download")
@owners_only
def download(process_key: str, version: int) -> ResponseReturnValue:
    definition = definition_or_404(process_key, version)
    name = primary_file(definition)
    filename = f"{process_key}-v{version}.bpmn"
    return Response(drawn_source(definition), mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Source-File": name})


@bp.post("/<process_key>/v<int:version>/activate")
@owners_only
def activate(process_key: str, version: int) -> ResponseReturnValue:
    definition_or_404(process_key, version)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Say why you activate this version."), "error")
        return redirect(url_for("processes.detail", process_key=process_key))
    versions.roll_back(db.session(), process_key=process_key, version=version, actor=current_actor().label,
                       reason=(form.reason.data or "").strip(), school_id=scope(), registry=db.runtime().host.registry)
    db.session().commit()
    flash(_("Version %(version)d is active: new instances start from it; running ones keep their version.",
            version=version), "success")
    return redirect(url_for("processes.detail", process_key=process_key))


@bp.get("/<process_key>/diff")
@owners_only
def diff(process_key: str) -> ResponseReturnValue:
    new = definition_or_404(process_key, request.args.get("to", type=int) or 0)
    old = definition_or_404(process_key, request.args.get("from", type=int) or max(new.version - 1, 1))
    changes = versions.diff_versions(db.runtime().host.specs, old, new)
    return render_template("processes/diff.html", process_key=process_key, old=old, new=new, changes=changes,
                           old_xml=drawn_source(old), new_xml=drawn_source(new))


@bp.get("/<process_key>/migrate")
@owners_only
def migrate_preview(process_key: str) -> ResponseReturnValue:
    target = definition_or_404(process_key, request.args.get("to", type=int) or active_or_404(process_key).version)
    checks = migration.dry_run(db.runtime().host, db.session(), target=target, school_id=scope())
    allowed = _visible_ids([c.instance_id for c in checks])
    checks = [c for c in checks if c.instance_id in allowed]
    return render_template("processes/migrate.html", process_key=process_key, target=target,
                           safe=[c for c in checks if c.safe], unsafe=[c for c in checks if not c.safe],
                           form=ReasonForm(), jobs=_recent_jobs(process_key), format_when=format_when,
                           version_of={d.id: d.version for d in versions.versions(db.session(), process_key, scope())})


def _visible_ids(ids: list[int], chunk: int = 1000) -> set[int]:
    """Which of ``ids`` the current user's school may see, asked in chunks (a bulk move may name thousands)."""
    visible: set[int] = set()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        visible |= set(db.session().scalars(_school_scope(select(ProcessInstance.id).where(ProcessInstance.id.in_(part)))))
    return visible


def _job_scope(stmt: Select[MigrationJob]) -> Select[MigrationJob]:
    actor = current_actor()
    return stmt if actor.school_id is None else stmt.where(MigrationJob.school_id == actor.school_id)


def _recent_jobs(process_key: str) -> list[MigrationJob]:
    return list(db.session().scalars(_job_scope(select(MigrationJob).where(MigrationJob.process_key == process_key))
                                     .order_by(MigrationJob.id.desc()).limit(5)))


@bp.post("/<process_key>/migrate")
@owners_only
def migrate_queue(process_key: str) -> ResponseReturnValue:
    """Queue the checked instances for a background move; the page then watches :func:`migration_status`.

    The page sends JSON (``to``, ``reason``, ``instances``; the CSRF token in its header): a form with one
    field per instance would hit the limit on form parts for a large move."""
    body = request.get_json(silent=True) or {}
    target = definition_or_404(process_key, _integer(body.get("to")) or 0)
    reason = str(body.get("reason") or "").strip()
    if not reason or len(reason) > 500:
        return jsonify(error=_("Say why these instances move.")), 400
    wanted = list(dict.fromkeys(i for i in map(_integer, body.get("instances") or []) if i))
    visible = _visible_ids(wanted)
    ids = [i for i in wanted if i in visible]
    if not ids:
        return jsonify(error=_("Choose at least one instance to move.")), 400
    session, host = db.session(), db.runtime().host
    job = migration_jobs.queue(session, target=target, instance_ids=ids, actor=current_actor(), reason=reason)
    job_id = job.id
    session.commit()
    try:
        host.dispatcher.kick_job(migration_jobs.JOB_NAME)
    except Exception:  # the broker is down: the job is saved, and the next scheduler pass takes it
        log.exception("could not enqueue migration job %s now", job_id)
    return jsonify(job=job_id, status=url_for("processes.migration_status", process_key=process_key, job_id=job_id),
                   total=len(ids)), 202


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.get("/<process_key>/migrations/<int:job_id>")
@owners_only
def migration_status(process_key: str, job_id: int) -> ResponseReturnValue:
    """Where a queued move stands: handled so far, moved, and each refusal with its reason."""
    job = db.session().scalar(_job_scope(select(MigrationJob).where(MigrationJob.id == job_id,
                                                                   MigrationJob.process_key == process_key)))
    if job is None:
        return jsonify(error=_("No such migration.")), 404
    return jsonify(status=job.status, total=len(job.instance_ids), handled=job.position, moved=job.moved,
                   instance_ids=job.instance_ids, refused=job.refused,
                   error=_("The move stopped: %(error)s", error=job.error) if job.status == "failed" else None)
