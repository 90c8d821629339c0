"""The leaders' one screen (``/leaders``) and its big-screen mode for the leaders' office (``/leaders/big``:
1920×1080, dark, no scrollbars), whose figures refresh in place from ``/leaders/cards.json`` without reloading the
page. The cards come from :mod:`workflows.dashboard.onescreen`; each links to the list behind it."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, school_tz
from webapp.reports.dashboard import DASHBOARD_ROLES, _day
from webapp.shared import school_id
from workflows.assessment.labels import GRADE_WORDS
from workflows.dashboard import local_day_bounds
from workflows.dashboard.onescreen import cards, ranking
from workflows.i18n import translate

bp = Blueprint("onescreen", __name__)
REFRESH_SECONDS = 60  # how often the big screen reads its figures again; ?refresh= between 5 and 600 overrides it


def _period() -> tuple[Any, Any]:
    """This month so far (local days), or the ``start``..``end`` days asked for."""
    today = now().astimezone(school_tz()).date()
    last = _day(request.args.get("end")) or today
    first = _day(request.args.get("start")) or last.replace(day=1)
    return (first, last) if first <= last else (last, first)


def _content() -> dict[str, Any]:
    first, last = _period()
    start, end = local_day_bounds(first, last, school_tz())
    locale, session = locale_code(), db.session()
    sections: dict[str, list[dict[str, Any]]] = {}
    for card in cards(session, db.runtime().modules, school_id=school_id(), start=start, end=end, at=now(),
                      rules=db.runtime().rules):
        sections.setdefault(translate(card.section, locale), []).append({
            "key": card.key, "label": translate(card.label, locale), "value": card.value, "unit": card.unit,
            "href": url_for(card.link[0], **card.link[1]) if card.link else None})
    units = ranking(session, school_id=school_id())
    for row in units["rows"]:
        row["grade_label"] = translate(GRADE_WORDS[row["grade"]], locale) if row["grade"] else ""
        row["href"] = url_for("assessment.campaign", number=row["number"])
    return {"first": first.isoformat(), "last": last.isoformat(), "sections": sections, "ranking": units,
            "updated": now().astimezone(school_tz()).strftime("%H:%M:%S")}


@bp.get("/leaders")
@roles_required(*DASHBOARD_ROLES)
def index() -> ResponseReturnValue:
    first, _last = _period()
    previous = first - timedelta(days=1)
    return render_template("dashboard/onescreen.html", data=_content(), big=False, refresh=REFRESH_SECONDS,
                           previous={"start": previous.replace(day=1).isoformat(), "end": previous.isoformat()})


@bp.get("/leaders/big")
@roles_required(*DASHBOARD_ROLES)
def big() -> ResponseReturnValue:
    refresh = request.args.get("refresh", REFRESH_SECONDS, type=int) or REFRESH_SECONDS
    return render_template("dashboard/bigscreen.html", data=_content(), big=True, refresh=min(max(refresh, 5), 600))


@bp.get("/leaders/cards.json")
@roles_required(*DASHBOARD_ROLES)
def cards_json() -> ResponseReturnValue:
    return jsonify(_content())
