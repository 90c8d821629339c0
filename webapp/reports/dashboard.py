"""The leaders' dashboard (figures, definitions, rankings, ECharts charts) and the drill-down list behind each
figure. Views stay thin: the figures are computed in ``workflows.dashboard``.

ECharts comes from the npm registry: ``scripts/setup`` copies ``echarts.min.js`` to ``webapp/static/vendor/``
(gitignored). Without it the page still shows every number and says the charts are unavailable.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.errors import INT_MAX
from webapp.i18n import locale_code, school_tz
from webapp.shared import school_id
from workflows.colours import ESCALATION
from workflows.dashboard import DEFINITIONS, FIGURE_KEYS, drilldown, figures, local_day_bounds
from workflows.dashboard.daily import last_refresh
from workflows.dashboard.figures import TREND_PERIODS
from workflows.people.enums import Role
from workflows.people.models import Campus

bp = Blueprint("dashboard", __name__)
DASHBOARD_ROLES = (Role.school_leader, Role.main_leader, Role.deputy_leader, Role.supervisor, Role.admin)
DEFAULT_DAYS = 14
MAX_DAYS = 366
ECHARTS = Path("vendor") / "echarts.min.js"

FIGURE_LABELS = {
    "received": _l("Orders received"), "completed": _l("Orders completed"),
    "completion_rate": _l("Completion rate"), "good_ratings": _l("Good ratings"), "bad_ratings": _l("Bad ratings"),
    "good_rate": _l("Good-rating rate"), "default_good": _l("Default-good ratings"),
    "ratings_excluded": _l("Ratings excluded (appeal upheld)"),
    "callbacks_done": _l("Callbacks done"), "callbacks_explained": _l("Explained on the call"),
    "callbacks_pending": _l("Callbacks pending"),
    "rectifications_on_time": _l("Rectifications on time"), "rectifications_late": _l("Rectifications late"),
    "open_green": _l("Now green"), "open_yellow": _l("Now yellow"), "open_red": _l("Now red"),
    "solved_green": _l("Solved green"), "solved_yellow": _l("Solved yellow"), "solved_red": _l("Solved red"),
    "reviewed": _l("Time to review"), "worked": _l("Time to complete"),
    "repeat_faults": _l("Orders at repeat-fault locations"),
}
TREND_LABELS = {"day": _l("By day"), "week": _l("By week"), "month": _l("By month")}
# figures whose orders the /orders list can show too (all dates: that list has no date filter)
ORDER_LIST_LINKS = {f"solved_{c}": {"status": "closed", "colour": c} for c in ESCALATION}


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # the days a logistics record can be about


def _day(value: str | None) -> date | None:
    """A day from the query, or None for none, a malformed one or one outside :data:`FIRST_DAY`..:data:`LAST_DAY`."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def _int(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= INT_MAX else None


def _filters() -> dict:
    """Date range (local days, both included; default the last 14 days), campus, unit and trend period (day, week
    or month) from the query string."""
    today = now().astimezone(school_tz()).date()
    last = _day(request.args.get("end")) or today
    first = _day(request.args.get("start")) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    trend = request.args.get("trend", "day")
    return {"start": first, "end": last, "campus": _int("campus"), "unit": _int("unit"),
            "trend": trend if trend in TREND_PERIODS else "day"}


def _scope(filters: dict) -> dict:
    start, end = local_day_bounds(filters["start"], filters["end"], school_tz())
    return {"school_id": school_id(), "start": start, "end": end, "campus_id": filters["campus"],
            "unit_id": filters["unit"]}


def _link_args(filters: dict) -> dict:
    return {"start": filters["start"].isoformat(), "end": filters["end"].isoformat(), "campus": filters["campus"],
            "unit": filters["unit"]}  # the drill-down lists have no trend


@bp.get("/dashboard")
@roles_required(*DASHBOARD_ROLES)
def index() -> ResponseReturnValue:
    session = db.session()
    filters = _filters()
    scope = _scope(filters)
    result = figures(session, **scope, trend_by=filters["trend"])
    module_figures = db.runtime().modules.figures(session, school_id=scope["school_id"], start=scope["start"],
                                                  end=scope["end"], at=now(), rules=db.runtime().rules)
    campuses = session.execute(select(Campus.id, Campus.name).where(Campus.school_id == current_user.school_id)
                               .order_by(Campus.id)).all()
    locale = locale_code()
    charts = {
        "trend": {"by": filters["trend"], "days": [d["day"] for d in result["trend"]],
                  "series": [{"name": str(FIGURE_LABELS["received"]), "data": [d["received"] for d in result["trend"]]},
                             {"name": str(FIGURE_LABELS["completed"]), "data": [d["completed"] for d in result["trend"]]},
                             {"name": str(FIGURE_LABELS["bad_ratings"]), "data": [d["bad"] for d in result["trend"]]}]},
        "categories": {"names": [c["name_en" if locale == "en" else "name_zh"] for c in result["categories"]],
                       "received": [c["received"] for c in result["categories"]],
                       "completed": [c["completed"] for c in result["categories"]],
                       "labels": [str(FIGURE_LABELS["received"]), str(FIGURE_LABELS["completed"])]},
        "campuses": {"names": [c["name"] for c in result["campuses"]],
                     "received": [c["received"] for c in result["campuses"]],
                     "completed": [c["completed"] for c in result["campuses"]],
                     "labels": [str(FIGURE_LABELS["received"]), str(FIGURE_LABELS["completed"])]},
        "colours": {"data": [{"name": str(FIGURE_LABELS[f"{kind}_{c}"]), "value": result["figures"][f"{kind}_{c}"],
                              "colour": c} for kind in ("solved", "open") for c in ESCALATION]},
    }
    echarts = current_app.static_folder is not None and (Path(current_app.static_folder) / ECHARTS).is_file()
    return render_template("dashboard/index.html", result=result, f=result["figures"], filters=filters,
                           module_figures=module_figures,
                           args=_link_args(filters), campuses=campuses, labels=FIGURE_LABELS, locale=locale,
                           definitions=DEFINITIONS, charts=charts, trend_labels=TREND_LABELS, echarts=echarts,
                           echarts_path=ECHARTS.as_posix(),
                           order_list_links=ORDER_LIST_LINKS,
                           refreshed_at=last_refresh(session, school_id=current_user.school_id))


@bp.get("/dashboard/orders")
@roles_required(*DASHBOARD_ROLES)
def orders() -> ResponseReturnValue:
    figure = request.args.get("figure", "")
    if figure not in FIGURE_KEYS:
        abort(404)
    filters = _filters()
    narrow: dict[str, Any] = {"worker_id": _int("worker"), "team_id": _int("team"), "building_id": _int("building")}
    room = (request.args.get("room") or "").strip()[:60] or None
    page = request.args.get("page", 1, type=int) or 1
    result = drilldown(db.session(), figure=figure, **_scope(filters), **narrow,
                       room=room if narrow["building_id"] else None, page=page)
    args = {**_link_args(filters), "figure": figure, "worker": narrow["worker_id"], "team": narrow["team_id"],
            "building": narrow["building_id"], "room": room if narrow["building_id"] else None}
    return render_template("dashboard/orders.html", result=result, figure=figure, label=FIGURE_LABELS[figure],
                           filters=filters, args=args, order_list=ORDER_LIST_LINKS.get(figure))
