"""Wiring single sign-on into the app: the login page's buttons and each provider's blueprint. Kept apart from
:mod:`webapp.sso.signin`, which the providers import, so that no module imports back the one importing it."""
from __future__ import annotations

from flask import Flask

from webapp.sso import cas, oidc, signin, wecom


def init_app(app: Flask) -> None:
    app.jinja_env.globals["sso_buttons"] = signin.buttons
    for blueprint in (cas.bp, oidc.bp, wecom.bp):
        app.register_blueprint(blueprint)
    oidc.init_app(app)
