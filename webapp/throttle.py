"""Guessing throttled with Flask-Limiter: the two forms that check a secret someone could guess.

* ``POST /login`` is limited per client address and per account; a refused attempt gets the login page again
  with HTTP 429, before any password is checked (no scrypt cost).
* A rating code shown on a staff screen is confirmed by the last four digits of the requester's phone
  (:mod:`workflows.repair.rating_links`): wrong digits are limited per order, on the page and through the API,
  so ten thousand guesses are out of reach.

Each app gets its own :class:`~flask_limiter.Limiter` (:func:`init_app`): its counters live in Redis when the app
has one (shared by every gunicorn worker), in the process's memory in the embedded mode. Every other page and the
token APIs under ``/api/v1`` are not limited.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import cast

from flask import Flask, current_app, flash, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm

from webapp.login_form import LoginForm
from workflows.repair import rating_links

# Per address: every login attempt from one client address, whoever it is for, counted before the password is
# checked. Each check costs about 0.3 s of scrypt CPU, so this caps what one address can make a worker burn
# (60 in 5 minutes is 6 % of a core) and how many accounts it can try one password on; it is generous because a
# whole office or dormitory may log in through one NAT address at the start of the day.
ADDRESS_LIMIT = "60 per 5 minutes"
# Per account: wrong passwords for one username (lower-cased), from any address. A person who forgot their
# password gives up or resets it long before 10 tries; a guesser gets 40 guesses an hour instead of thousands.
# Only failures count, so the owner and the other people behind the same address still log in.
ACCOUNT_LIMIT = "10 per 15 minutes"
# The moving window counts the attempts of the last 5 (15) minutes at any moment: no double burst at a window edge.
STRATEGY = "moving-window"
# Per order: wrong phone digits for any code shown for that order, from any address. A requester who mistypes
# tries again a few times; a guesser of 4 digits gets 5 of 10,000 tries per quarter of an hour.
DIGITS_LIMIT = "5 per 15 minutes"
KEY_PREFIX = "houqin-guess"
LOGIN_ENDPOINT = "auth.login"
RATING_ENDPOINTS = ("rating.rate", "api.rate")


def init_app(app: Flask, *, redis_url: str | None) -> Limiter:
    """Throttle the app's login form (call after its blueprints are registered): counters in ``redis_url``,
    or in memory (``memory://``) in the embedded mode. The limiter is also ``app.extensions["throttle"]``."""
    # With Redis down, each process counts in its own memory until Redis answers again (logins keep working).
    limiter = Limiter(key_func=get_remote_address, storage_uri=redis_url or "memory://", strategy=STRATEGY,
                      key_prefix=KEY_PREFIX, in_memory_fallback_enabled=redis_url is not None)
    limiter.init_app(app)
    # Decorated here rather than in auth.py so that each app has its own limiter (and its own counters).
    view = _view(app, LOGIN_ENDPOINT)
    view = limiter.limit(ACCOUNT_LIMIT, key_func=_account, methods=["POST"], deduct_when=_failed)(view)
    app.view_functions[LOGIN_ENDPOINT] = limiter.limit(ADDRESS_LIMIT, methods=["POST"])(view)
    for endpoint in (e for e in RATING_ENDPOINTS if e in app.view_functions):
        app.view_functions[endpoint] = limiter.limit(DIGITS_LIMIT, key_func=_rated_order, methods=["POST"],
                                                     deduct_when=_failed)(_view(app, endpoint))
    app.register_error_handler(RateLimitExceeded, _refused)
    app.extensions["throttle"] = limiter
    return limiter


def _view(app: Flask, endpoint: str) -> Callable[..., ResponseReturnValue]:
    return cast(Callable[..., ResponseReturnValue], app.view_functions[endpoint])  # plain (sync) views


def attempt_failed() -> None:
    """Count this request against its limit's key (a wrong password, wrong phone digits); other requests are free."""
    g.attempt_failed = True


def _account() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()


def _rated_order() -> str:
    token = str((request.view_args or {}).get("token", ""))
    return "rating:" + rating_links.order_key(current_app.config["SECRET_KEY"], token)


def _failed(_response: object) -> bool:
    return bool(g.get("attempt_failed"))


def _refused(err: RateLimitExceeded) -> ResponseReturnValue:
    """Refused, saying when to try again (429): the login page again, the rating page's notice, or the API's JSON."""
    limiter: Limiter = current_app.extensions["throttle"]
    breached = limiter.current_limit
    wait = breached.window[0] - time.time() if breached is not None else 60  # when the oldest counted attempt expires
    minutes = max(1, math.ceil(wait / 60))
    message = ngettext("Too many attempts. Try again in %(num)d minute.", "Too many attempts. Try again in %(num)d minutes.",
                       minutes)
    if request.endpoint == LOGIN_ENDPOINT:
        flash(message, "error")
        form: FlaskForm = LoginForm()
        return render_template("auth/login.html", form=form), 429
    if request.blueprint == "api":
        return jsonify({"error": {"code": "too_many_attempts", "message": message}}), 429
    return render_template("rating/closed.html", message=message), 429
