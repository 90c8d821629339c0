"""JSON API ``/api/v1``: bearer-token authentication, JSON errors with a code and a message."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from engine.advance import complete_task
from engine.errors import EngineError
from engine.inbox import tasks_for
from engine.models import HumanTask
from forms.builder import validate_mapping
from webapp import db
from workflows.people.service import actor_for, user_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_STATUS = {"task_not_ready": 409, "forbidden": 403, "conflict": 409, "not_found": 404, "locked": 423, "invalid_diagram": 422}


def error(code: str, message: str, status: int):
    return jsonify({"error": {"code": code, "message": message}}), status


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        user = user_for_token(db.session(), token) if token else None
        if user is None:
            return error("unauthorized", "a valid bearer token is required", 401)
        g.api_user = user
        g.api_actor = actor_for(db.session(), user)
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(EngineError)
def _engine_error(err: EngineError):
    db.session().rollback()
    return error(err.code, str(err), _STATUS.get(err.code, 400))


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    return error(err.name.lower().replace(" ", "_"), err.description or err.name, err.code or 500)


def task_json(row) -> dict:
    return {"id": row.id, "name": row.task_name, "title": row.title, "process": row.process_key,
            "business_key": row.business_key, "role": row.role, "assignee_id": row.assignee_id,
            "form_key": row.form_key, "created_at": row.created_at.isoformat(),
            "due_at": row.due_at.isoformat() if row.due_at else None}


@bp.get("/tasks")
@token_required
def list_tasks():
    return jsonify({"tasks": [task_json(t) for t in tasks_for(db.session(), g.api_actor)]})


@bp.post("/tasks/<task_id>/complete")
@token_required
def complete(task_id: str):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("data", {}), dict):
        return error("invalid_request", "body must be a JSON object with an optional 'data' object", 400)
    session = db.session()
    row = session.get(HumanTask, task_id)
    if row is None:
        return error("task_not_ready", f"task {task_id} is no longer open", 409)
    definition = db.runtime().forms.get(row.form_key or "")
    data = payload.get("data", {})
    if definition is not None:
        valid, errors, data = validate_mapping(definition, data)
        if not valid:
            return jsonify({"error": {"code": "invalid_data", "message": "the submitted data is invalid", "fields": errors}}), 422
    instance = complete_task(db.runtime().host, session, task_id=task_id, actor=g.api_actor, data=data)
    session.commit()
    return jsonify({"instance": {"id": instance.id, "status": instance.status, "business_key": instance.business_key}})
