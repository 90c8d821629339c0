"""Login, logout, the login manager and the role check every view goes through."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, logout_user

from webapp import db, throttle
from webapp.login_form import LoginForm
from webapp.logins import log_in
from webapp.sso import signin
from workflows.people.accounts import end_sessions
from workflows.people.models import User
from workflows.people.service import actor_for, authenticate, role_names

if TYPE_CHECKING:
    from engine.actor import Actor

View = TypeVar("View", bound=Callable[..., Any])

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    """The account of a session's login token (``id.epoch``); none once its sessions were ended or it was
    deactivated."""
    user_id, _dot, epoch = token.partition(".")
    if not user_id.isdigit() or not (epoch or "0").isdigit():
        return None
    user = db.session().get(User, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch or "0"):
        return None
    return user


def roles_required(*roles: str) -> Callable[[View], View]:
    """Allow the view only to logged-in users holding one of ``roles`` (403 otherwise).

    The wrapped view carries ``allowed_roles``, which the permissions page reads to say who may open it."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if roles and not (role_names(current_user) & set(roles)):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # a marker the permissions page reads
        return cast(View, wrapped)  # called as the view was (wraps kept its name and docstring)

    return decorate


def current_actor() -> Actor:
    return actor_for(db.session(), current_user)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login form. Its POST is throttled per address and per account (webapp/throttle.py): once refused,
    the password is not even checked."""
    form = LoginForm()
    if form.validate_on_submit():
        # both fields are InputRequired: validated, neither is None
        user = authenticate(db.session(), username=(form.username.data or "").strip(), password=form.password.data or "")
        if user is not None:
            log_in(user, remember=bool(form.remember.data))
            session.pop(signin.SIGNED_IN_KEY, None)  # by password: logging out stays here
            return redirect(signin.safe_next(request.args.get("next")))
        throttle.attempt_failed()
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Log out everywhere: the session ends on this device, and a copy of its cookie is worthless too. A session
    that came from CAS goes on to the CAS server's logout (single logout), which comes back to the login page."""
    end_sessions(current_user)
    db.session().commit()
    farewell = signin.farewell_url()
    logout_user()
    return redirect(farewell or url_for("auth.login"))
