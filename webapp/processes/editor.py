"""The diagram editor (bpmn-js, served from our static files) and its JSON endpoints: the source to open,
the choices its properties panel offers, validate, save as draft and deploy.

The source opens with every name in both languages (:mod:`engine.diagram_names`): a shipped diagram's Chinese
names come from the catalog, so the owner edits them beside the English ones and a deployed version keeps both.
A timer is offered the duration rules only, each by its label.

Validation is the deploy check without storing: foreign elements (by line), the BPMN schema and the engine's
lint. Deploy runs the same checks and stores a new active version only if there is no problem, then drops
the draft. Only process owners and admins reach any of it.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from engine.deployments import deploy, parse_bundle
from engine.drafts import discard_draft, draft_of, save_draft
from engine.errors import DeploymentError
from engine.importer import import_diagram
from rules.helpers import DURATION_RULE
from webapp import db
from webapp.auth import current_actor
from webapp.processes.support import (
    active_or_404,
    definition_or_404,
    drawn_source,
    owners_only,
    primary_file,
    problem_json,
    scope,
    with_names,
)
from webapp.rule_labels import key_label
from webapp.shared import ROLE_LABELS
from workflows.people.enums import Role

bp = Blueprint("process_editor", __name__, url_prefix="/processes")


def _payload() -> tuple[str, str]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("xml"), str) or not body["xml"].strip():
        raise BadRequest(_("Send the diagram as JSON: {\"xml\": \"…\"}."))
    return body["xml"], str(body.get("comment") or "").strip()[:500]


def _bundle(process_key: str, xml: str) -> dict[str, str]:
    """The version's files with the edited diagram in place of its primary file (checked, in our dialect)."""
    active = active_or_404(process_key)
    name = primary_file(active)
    files = dict(active.sources)
    files[name] = import_diagram(xml, name)
    return files


def _problems(err: DeploymentError) -> tuple[Response, int]:
    return jsonify(ok=False, problems=[problem_json(p) for p in err.problems]), 422


@bp.get("/<process_key>/editor")
@owners_only
def editor(process_key: str) -> ResponseReturnValue:
    active = active_or_404(process_key)
    version = request.args.get("version", type=int)
    if version is not None:
        definition_or_404(process_key, version)
    draft = draft_of(db.session(), process_key, scope())
    return render_template("processes/editor.html", process_key=process_key, active=active, draft=draft,
                           version=version)


@bp.get("/<process_key>/source")
@owners_only
def source(process_key: str) -> ResponseReturnValue:
    """The diagram to open: ``?version=N`` for that version, else the draft if there is one, else the active one."""
    active = active_or_404(process_key)
    version = request.args.get("version", type=int)
    if version is not None:
        chosen = definition_or_404(process_key, version)
        return jsonify(xml=drawn_source(chosen), origin="version", version=chosen.version)
    draft = draft_of(db.session(), process_key, scope())
    if draft is not None:
        xml = draft.sources.get(primary_file(active)) or next(iter(draft.sources.values()))
        return jsonify(xml=with_names(xml), origin="draft", version=draft.base_version)
    return jsonify(xml=drawn_source(active), origin="active", version=active.version)


@bp.get("/choices.json")
@owners_only
def choices() -> ResponseReturnValue:
    """What the properties panel offers: form keys, service handlers, the duration rules a timer may count (by
    label) and roles (by name)."""
    registry = db.runtime().host.registry
    listed = {kind: list(registry.key_listers[kind]()) if kind in registry.key_listers else []
              for kind in ("form", DURATION_RULE)}
    return jsonify(forms=listed["form"],
                   durations=[{"name": key, "label": key_label(key)} for key in listed[DURATION_RULE]],
                   roles=[{"name": role.value, "label": str(ROLE_LABELS.get(role, role.value))} for role in Role],
                   services=[{"name": h.name, "description": h.description} for h in registry.services.values()])


@bp.post("/<process_key>/validate")
@owners_only
def validate(process_key: str) -> ResponseReturnValue:
    xml, _comment = _payload()
    try:
        parse_bundle(_bundle(process_key, xml), db.runtime().host.registry, primary=process_key)
    except DeploymentError as err:
        return _problems(err)
    return jsonify(ok=True, problems=[])


@bp.post("/<process_key>/draft")
@owners_only
def draft(process_key: str) -> ResponseReturnValue:
    xml, comment = _payload()
    active = active_or_404(process_key)
    session = db.session()
    save_draft(session, process_key=process_key, sources={primary_file(active): xml}, base_version=active.version,
               actor=current_actor().label, comment=comment, school_id=scope())
    session.commit()
    return jsonify(ok=True, message=_("Draft saved. It does not run until you deploy it."))


@bp.post("/<process_key>/deploy")
@owners_only
def deploy_edit(process_key: str) -> ResponseReturnValue:
    xml, comment = _payload()
    if not comment:
        return jsonify(ok=False, problems=[], message=_("Say what changed before deploying.")), 422
    session = db.session()
    try:
        definition, created = deploy(session, files=_bundle(process_key, xml), registry=db.runtime().host.registry,
                                     deployed_by=current_actor().label, comment=comment, primary=process_key,
                                     school_id=scope())
    except DeploymentError as err:
        session.rollback()
        return _problems(err)
    discard_draft(session, process_key=process_key, actor=current_actor().label, school_id=scope())
    session.commit()
    return jsonify(ok=True, version=definition.version, created=created,
                   message=_("Version %(version)d is deployed and active.", version=definition.version))
