"""OpenID Connect login with Authlib's Flask client: the authorization code flow with state, nonce and PKCE
(S256), the provider's endpoints and keys from its discovery document, the ID token's signature, issuer,
audience, expiry and nonce checked by Authlib; the number (and the campus, when configured) come from configurable
claims, asked of the userinfo endpoint when the ID token lacks one).

The state is ours (:func:`webapp.sso.signin.begin`) and Authlib keeps the nonce and PKCE verifier in the session
under it, so a return whose state this browser did not start is refused before any code is exchanged.
"""
from __future__ import annotations

from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.sso import signin
from webapp.sso.providers import OidcProvider
from workflows.people.sso import SsoRefused, SsoVia, person_for

bp = Blueprint("sso_oidc", __name__, url_prefix="/login/oidc")
EXTENSION = "houqin_oidc"


def init_app(app: Flask) -> None:
    """One Authlib client per configured provider, registered on the app's own registry."""
    oauth = OAuth(app)
    settings = app.config["HOUQIN_SETTINGS"]
    for chosen in settings.sso:
        if isinstance(chosen, OidcProvider):
            oauth.register(name=chosen.client_name, client_id=chosen.client_id, client_secret=chosen.client_secret,
                           server_metadata_url=chosen.discovery_url,
                           client_kwargs={"scope": chosen.scope, "code_challenge_method": "S256"})
    app.extensions[EXTENSION] = oauth


def _client(school: str) -> tuple[OidcProvider, Any]:
    chosen = signin.provider(SsoVia.oidc, school)
    assert isinstance(chosen, OidcProvider)  # looked up by kind
    return chosen, current_app.extensions[EXTENSION].create_client(chosen.client_name)


@bp.get("/<school>")
def start(school: str) -> ResponseReturnValue:
    _chosen, client = _client(school)
    state = signin.begin(SsoVia.oidc, school)
    try:
        return client.authorize_redirect(url_for("sso_oidc.back", school=school, _external=True),
                                         state=state)
    except (requests.RequestException, AuthlibBaseError):  # its discovery document could not be read
        return signin.refused(_("The identity server could not be reached just now. Try again in a moment."), 502)


@bp.get("/<school>/back")
def back(school: str) -> ResponseReturnValue:
    chosen, client = _client(school)
    next_url = signin.returned(SsoVia.oidc, school, request.args.get("state"))
    if next_url is None or "error" in request.args:
        _forget_authlib_state(chosen)
        return signin.bad_return()
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if any(claim not in claims for claim in (chosen.number_claim, chosen.campus_claim) if claim):
            claims.update(client.userinfo(token=token))
    except AuthlibBaseError:  # a forged state, a spent or invalid code, an ID token that does not verify
        return signin.bad_return()
    except requests.RequestException:
        return signin.refused(_("The identity server could not be reached just now. Try again in a moment."), 502)
    number, name = claims.get(chosen.number_claim), claims.get(chosen.name_claim)
    campus = claims.get(chosen.campus_claim) if chosen.campus_claim else None
    found = signin.school_of(chosen)
    try:
        person = person_for(db.session(), school=found, via=SsoVia.oidc, number=str(number) if number is not None else None,
                            name=str(name) if name is not None else None,
                            campus=campus if isinstance(campus, str) else None)
    except SsoRefused as err:
        return signin.refused_for(err.problem, school_id=found.id)
    return signin.complete(person, via=SsoVia.oidc, key=school, next_url=next_url)


def _forget_authlib_state(chosen: OidcProvider) -> None:
    """Drop what Authlib kept for a round trip that will not be completed (a refused or cancelled one)."""
    for key in [k for k in session if k.startswith(f"_state_{chosen.client_name}_")]:
        session.pop(key)
