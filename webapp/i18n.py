"""Locale choice: ?lang= (remembered in the session), then the user's setting, then zh_CN; the time zone is the
user's school's."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp import db
from webapp.bpmn_messages import diagram_text
from workflows.modules.registry import Modules
from workflows.people.timezone import DEFAULT_TZ, DEFAULT_ZONE, school_zone

LOCALES = ("zh_CN", "en")


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        session["lang"] = chosen
    if session.get("lang") in LOCALES:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    return "zh_CN"


def school_tz() -> ZoneInfo:
    """The logged-in user's school's time zone (the default one otherwise): pages show and read times in it."""
    if getattr(current_user, "is_authenticated", False):
        return school_zone(db.session(), current_user.school_id)
    return DEFAULT_TZ


def locale_code() -> str:
    """The active locale as one of :data:`LOCALES` (Babel renders zh_CN as zh_Hans_CN)."""
    return "en" if get_locale().language == "en" else "zh_CN"


def colon() -> str:
    """The colon between a label and its value: full width in Chinese (计划日历：逾期), ": " in English."""
    return ": " if locale_code() == "en" else "："


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_locale="zh_CN", default_timezone=DEFAULT_ZONE,
          timezone_selector=lambda: str(school_tz()))
    app.jinja_env.globals["locale_code"] = locale_code
    app.jinja_env.globals["colon"] = colon


def init_vocabulary(app: Flask, modules: Modules) -> None:
    """Audit words for every template, from the process modules' one catalogue: ``action_label(action)`` names an
    audited step in the page's language (the instance viewer's audit list), the raw value only for what no module
    registered. Business timelines come already worded (:mod:`workflows.modules.timeline`)."""
    app.jinja_env.globals["action_label"] = lambda action: _(modules.actions[action]) if action in modules.actions else action
    app.jinja_env.filters["diagram_text"] = diagram_text
