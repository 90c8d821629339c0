"""Locale choice: on pages ?lang= (remembered in the session), then the user's setting, then zh_CN; in the API
?lang=, then the Accept-Language header, then the token user's setting, then zh_CN. The time zone is the user's
school's."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, g, request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept

from webapp import db
from webapp.api import is_api_request
from webapp.bpmn_messages import diagram_text
from workflows.errors import Refusal
from workflows.modules.registry import Modules
from workflows.people.timezone import DEFAULT_TZ, DEFAULT_ZONE, school_zone

LOCALES = ("zh_CN", "en")
ACCEPTED = {"zh": "zh_CN", "en": "en"}  # the languages an Accept-Language header may ask for, as our locales


def select_locale() -> str:
    if is_api_request():
        return api_locale()
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        session["lang"] = chosen
    if session.get("lang") in LOCALES:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    return "zh_CN"


def api_locale() -> str:
    """The language of an API answer, its names and its error messages alike: ``?lang=`` (zh_CN or en), else the
    best of Chinese and English the Accept-Language header asks for (q-values count; ``*`` names neither), else the
    token user's own setting, else zh_CN. The API sets ``g.api_user`` once the token is checked and then has
    Babel choose again (:func:`flask_babel.refresh`), since a message said before that cached the choice."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        return chosen
    named = LanguageAccept([(tag, quality) for tag, quality in request.accept_languages if tag != "*"])
    asked = named.best_match(tuple(ACCEPTED))
    if asked is not None:
        return ACCEPTED[asked]
    user = g.get("api_user")
    return user.locale if user is not None and user.locale in LOCALES else "zh_CN"


def school_tz() -> ZoneInfo:
    """The logged-in user's school's time zone (the default one otherwise): pages show and read times in it."""
    if getattr(current_user, "is_authenticated", False):
        return school_zone(db.session(), current_user.school_id)
    return DEFAULT_TZ


def locale_code() -> str:
    """The active locale as one of :data:`LOCALES` (Babel renders zh_CN as zh_Hans_CN)."""
    return "en" if get_locale().language == "en" else "zh_CN"


def refusal_text(words: Mapping[str, Any], key: str, err: Refusal) -> str:
    """A page's own words for the refused ``key`` (a form field), else the service's refusal, in the page's
    language either way."""
    return str(words.get(key) or err.said(locale_code()))


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
