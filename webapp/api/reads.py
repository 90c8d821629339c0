"""Read-only resources for other platforms and departments: the dashboard's figures with their definitions, work
plans and their occurrences, delegated tasks with their sub-task trees.

Each is what a page shows to the same people: the caller's school only, and the roles the page asks for
(leaders and supervisors for figures and plans, the supervision board's roles for the task list; a single task to
whoever its module lets see it). Lists page as every listing does (:mod:`engine.paging`): ``page`` and
``per_page`` (at most 200). A ``read`` token is enough.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from engine.clock import now
from engine.paging import Page, paged
from webapp import db
from webapp.api import views as api
from webapp.errors import INT_MAX
from webapp.reports.dashboard import DASHBOARD_ROLES, DEFAULT_DAYS, FIRST_DAY, LAST_DAY, MAX_DAYS
from workflows.dashboard import DEFINITIONS, figures, local_day_bounds
from workflows.delegation import readmodel as tasks
from workflows.delegation.enums import TaskStatus
from workflows.delegation.models import DelegatedTask
from workflows.delegation.module import BOARD_ROLES
from workflows.i18n import translate
from workflows.people.service import role_names
from workflows.people.timezone import school_zone
from workflows.plans import readmodel as plans
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.module import PLAN_ROLES
from workflows.plans.wording import describe

bp = Blueprint("read_api", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)
MAX_PER_PAGE = 200


def _require(roles: frozenset[str] | tuple[str, ...], refusal: str) -> None:
    """403 with ``refusal`` (who may, in the caller's language) unless the caller holds one of ``roles``."""
    if not role_names(g.api_user) & set(roles):
        raise api.ApiError("forbidden", refusal, 403)


def _paging() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query; anything out of range is clamped as the pages clamp it."""
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", 50, type=int) or 50
    return min(max(page, 1), INT_MAX), min(max(per_page, 1), MAX_PER_PAGE)


def _page_json(name: str, page: Page) -> dict[str, Any]:
    return {name: page.rows, "total": page.total, "page": page.page, "pages": page.pages, "per_page": page.per_page}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# --- dashboard ------------------------------------------------------------------------------

def _day(name: str, errors: dict[str, list[str]]) -> date | None:
    text = request.args.get(name)
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        errors[name] = [_("a date (YYYY-MM-DD) from %(first)s to %(last)s", first=FIRST_DAY, last=LAST_DAY)]
    return day


def _figure_scope(school_id: int) -> dict[str, Any]:
    """The query's days (both included; default the last 14 days of the school's calendar) and campus, checked."""
    errors: dict[str, list[str]] = {}
    first, last = _day("start", errors), _day("end", errors)
    campus = request.args.get("campus_id")
    campus_id = int(campus) if campus and campus.isdigit() and 0 < int(campus) <= INT_MAX else None
    if campus and campus_id is None:
        errors["campus_id"] = [_("must be a positive integer")]
    if not errors:
        zone = school_zone(db.session(), school_id)
        last = last or now().astimezone(zone).date()
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            errors["start"] = [_("must not be after end")]
        elif (last - first).days >= MAX_DAYS:
            errors["start"] = [_("the range is at most %(n)d days", n=MAX_DAYS)]
    if errors:
        raise api.invalid(errors)
    assert first is not None and last is not None  # both set when there is no error
    start, end = local_day_bounds(first, last, school_zone(db.session(), school_id))
    return {"first": first, "last": last, "campus_id": campus_id, "start": start, "end": end}


@bp.get("/dashboard/figures")
@api.token_required
def dashboard_figures() -> ResponseReturnValue:
    """The leaders' dashboard for a range of days: every figure, the modules' figures, the trend and the breakdowns
    by category and campus, with the written definitions of what each counts in the caller's language."""
    _require(DASHBOARD_ROLES, _("only leaders and supervisors may read this"))
    school, locale = api.school_id(), api.locale()
    scope = _figure_scope(school)
    session = db.session()
    result = figures(session, school_id=school, start=scope["start"], end=scope["end"], campus_id=scope["campus_id"])
    modules = db.runtime().modules.figures(session, school_id=school, start=scope["start"], end=scope["end"], at=now(),
                                           rules=db.runtime().rules)
    return jsonify({
        "start": scope["first"].isoformat(), "end": scope["last"].isoformat(), "campus_id": scope["campus_id"],
        "figures": result["figures"], "trend": result["trend"], "campuses": result["campuses"],
        "categories": [{"id": c["id"], "name": c["name_en" if locale == "en" else "name_zh"], "received": c["received"],
                        "completed": c["completed"], "bad": c["bad"]} for c in result["categories"]],
        "module_figures": [{"module": module.name, "key": f.key, "label": translate(f.label, locale), "value": f.value}
                           for module, shown in modules for f in shown],
        "definitions": [{"key": d["key"], "text": translate(d["text"], locale)} for d in DEFINITIONS],
    })


# --- plans ----------------------------------------------------------------------------------

def plan_json(plan: WorkPlan, locale: str) -> dict[str, Any]:
    return {"id": plan.id, "title": plan.title, "unit_id": plan.unit_id, "responsible_id": plan.responsible_id,
            "places": list(plan.places or []), "recurrence": plan.recurrence, "interval": plan.interval,
            "weekdays": list(plan.weekdays or []),
            "season_from": plan.season_from, "season_to": plan.season_to, "starts_on": plan.starts_on.isoformat(),
            "until": _iso(plan.until), "duration_days": plan.duration_days, "checklist": list(plan.checklist or []),
            "evidence": list(plan.evidence or []), "active": plan.active, "described": describe(plan, locale)}


def occurrence_json(occ: PlanOccurrence) -> dict[str, Any]:
    return {"number": occ.number, "plan_id": occ.plan_id, "occurs_on": occ.occurs_on.isoformat(),
            "starts_at": occ.starts_at.isoformat(), "due_at": occ.due_at.isoformat(), "status": occ.status,
            "state": plans.state(occ, now()), "colour": occ.colour, "score": occ.score, "passed": occ.passed,
            "rectification_rounds": occ.rectification_rounds, "executed_at": _iso(occ.executed_at),
            "closed_at": _iso(occ.closed_at)}


def _plan(plan_id: int) -> WorkPlan:
    _require(PLAN_ROLES, _("only plan supervisors and leaders may read this"))
    plan = db.session().get(WorkPlan, plan_id) if plan_id <= INT_MAX else None
    if plan is None or plan.school_id != api.school_id():
        raise api.ApiError("not_found", _("there is no plan %(id)s", id=plan_id), 404)
    return plan


@bp.get("/plans")
@api.token_required
def list_plans() -> ResponseReturnValue:
    """The school's work plans by start date; ``active=true|false`` narrows them."""
    _require(PLAN_ROLES, _("only plan supervisors and leaders may read this"))
    active = {"true": True, "false": False}.get(request.args.get("active", ""))
    page, per_page = _paging()
    locale = api.locale()
    shown = paged(db.session(), plans.plans_query(school_id=api.school_id(), active=active), page=page,
                  per_page=per_page, shape=lambda rows: [plan_json(p, locale) for p in rows])
    return jsonify(_page_json("plans", shown))


@bp.get("/plans/<int:plan_id>")
@api.token_required
def get_plan(plan_id: int) -> ResponseReturnValue:
    return jsonify(plan_json(_plan(plan_id), api.locale()))


@bp.get("/plans/<int:plan_id>/occurrences")
@api.token_required
def plan_occurrences(plan_id: int) -> ResponseReturnValue:
    """A plan's generated occurrences by date, each in its state now; one in full (with its timeline) is
    ``GET /modules/plans/{number}``."""
    plan = _plan(plan_id)
    page, per_page = _paging()
    shown = paged(db.session(), plans.occurrences_query(school_id=plan.school_id, plan_id=plan.id), page=page,
                  per_page=per_page, shape=lambda rows: [occurrence_json(o) for o in rows])
    return jsonify(_page_json("occurrences", shown))


# --- delegated tasks ------------------------------------------------------------------------

def task_json(task: DelegatedTask, parent: str | None) -> dict[str, Any]:
    return {"number": task.number, "title": task.title, "parent": parent, "deadline": task.deadline.isoformat(),
            "priority": task.priority, "status": task.status, "colour": task.colour, "progress": task.progress,
            "assigner_id": task.assigner_id, "assignee_id": task.assignee_id, "unit_id": task.unit_id,
            "created_at": task.created_at.isoformat(), "last_report_at": _iso(task.last_report_at),
            "closed_at": _iso(task.closed_at)}


def tree_json(node: tasks.Node) -> dict[str, Any]:
    """A task and its sub-tasks at every depth, with the progress rolled up from them."""
    return {"number": node.task.number, "title": node.task.title, "status": node.task.status, "colour": node.task.colour,
            "deadline": node.task.deadline.isoformat(), "progress": node.progress, "assignee_id": node.task.assignee_id,
            "unit_id": node.task.unit_id, "children": [tree_json(child) for child in node.children]}


@bp.get("/delegated-tasks")
@api.token_required
def list_delegated_tasks() -> ResponseReturnValue:
    """The school's delegated tasks at every depth, most urgent deadline first; ``status`` narrows them."""
    _require(BOARD_ROLES, _("only leaders and supervisors may read this"))
    status = request.args.get("status") or None
    if status is not None and status not in tuple(TaskStatus):
        raise api.invalid({"status": [_("must be one of %(values)s", values=", ".join(TaskStatus))]})
    page, per_page = _paging()
    shown = paged(db.session(), tasks.tasks_query(school_id=api.school_id(), status=status), page=page,
                  per_page=per_page, whole_rows=True, shape=lambda rows: [task_json(t, parent) for t, parent in rows])
    return jsonify(_page_json("tasks", shown))


@bp.get("/delegated-tasks/<number>")
@api.token_required
def get_delegated_task(number: str) -> ResponseReturnValue:
    """One task as its module describes it (``GET /modules/delegation/{number}``: who may see it, its timeline),
    with its sub-task tree."""
    session, school = db.session(), api.school_id()
    body = db.runtime().modules.resource(session, module_name="delegation", user=g.api_user, rules=db.runtime().rules,
                                         school_id=school, key=number, locale=api.locale())
    if body is None:
        raise api.ApiError("not_found", _("there is no delegated task %(number)s", number=number), 404)
    task = session.scalar(select(DelegatedTask).where(DelegatedTask.school_id == school, DelegatedTask.number == number))
    assert task is not None  # the module found it in this school a moment ago
    body["tree"] = tree_json(tasks.subtree(session, task))
    return jsonify(body)
