"""Logging a person in, the one way every login (password or single sign-on) does it."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user
from flask_login.config import COOKIE_NAME

from workflows.people.models import User

REMEMBERED_FOR = timedelta(days=14)  # "stay logged in": the remember-me cookie's life (the login form says 14 days)


def log_in(user: User, *, remember: bool = False) -> None:
    """A new session for ``user``; with ``remember``, a remember-me cookie for :data:`REMEMBERED_FOR`. Without it, a
    remember-me cookie someone else left in this browser (a shared counter computer) is cleared: it must not bring
    them back once this session ends."""
    login_user(user, remember=remember, duration=REMEMBERED_FOR)
    if not remember and current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies:
        session["_remember"] = "clear"
