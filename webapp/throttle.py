"""Login throttling with Flask-Limiter: ``POST /login`` is limited per client address and per account, and a
refused attempt gets the login page again with HTTP 429, before any password is checked (no scrypt cost).

Each app gets its own :class:`~flask_limiter.Limiter` (:func:`init_app`): its counters live in Redis when the app
has one (shared by every gunicorn worker), in the process's memory in the embedded mode. Only the login form is
limited; the token APIs under ``/api/v1`` and every other page are not.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import cast

from flask import Flask, current_app, flash, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm

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
KEY_PREFIX = "houqin-login"
LOGIN_ENDPOINT = "auth.login"


def init_app(app: Flask, *, redis_url: str | None) -> Limiter:
    """Throttle the app's login form (call after its blueprints are registered): counters in ``redis_url``,
    or in memory (``memory://``) in the embedded mode. The limiter is also ``app.extensions["throttle"]``."""
    # With Redis down, each process counts in its own memory until Redis answers again (logins keep working).
    limiter = Limiter(key_func=get_remote_address, storage_uri=redis_url or "memory://", strategy=STRATEGY,
                      key_prefix=KEY_PREFIX, in_memory_fallback_enabled=redis_url is not None)
    limiter.init_app(app)
    # Decorated here rather than in auth.py so that each app has its own limiter (and its own counters).
    view = cast(Callable[..., ResponseReturnValue], app.view_functions[LOGIN_ENDPOINT])  # a plain (sync) view
    view = limiter.limit(ACCOUNT_LIMIT, key_func=_account, methods=["POST"], deduct_when=_failed)(view)
    view = limiter.limit(ADDRESS_LIMIT, methods=["POST"])(view)
    app.view_functions[LOGIN_ENDPOINT] = view
    app.register_error_handler(RateLimitExceeded, _refused)
    app.extensions["throttle"] = limiter
    return limiter


def login_failed() -> None:
    """Count this request's attempt against the submitted account (called on a wrong username or password)."""
    g.login_failed = True


def _account() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()


def _failed(_response: object) -> bool:
    return bool(g.get("login_failed"))


def _refused(err: RateLimitExceeded) -> ResponseReturnValue:
    """The login page again, in the visitor's language, saying when to try again (429)."""
    from webapp.auth import LoginForm

    limiter: Limiter = current_app.extensions["throttle"]
    breached = limiter.current_limit
    wait = breached.window[0] - time.time() if breached is not None else 60  # when the oldest counted attempt expires
    minutes = max(1, math.ceil(wait / 60))
    flash(ngettext("Too many attempts. Try again in %(num)d minute.", "Too many attempts. Try again in %(num)d minutes.",
                   minutes), "error")
    form: FlaskForm = LoginForm()
    return render_template("auth/login.html", form=form), 429
