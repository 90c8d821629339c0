"""What every single sign-on shares: the provider named in the URL, the one-time state kept in the session for
the round trip, logging the person in as the password form does, the refusal page and the single logout.

The state is checked on every return: without it, someone could send a victim a link carrying the sender's own
ticket or code and sign the victim in as the sender (login CSRF).
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from cas import CASClient
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import db
from webapp.config import Settings
from webapp.logins import log_in
from webapp.sso.providers import CasProvider, Provider
from workflows.people.enums import Role
from workflows.people.models import School, User
from workflows.people.service import users_with_role
from workflows.people.sso import SsoProblem, SsoVia

STATE_KEY = "sso_state"  # the round trip under way: which provider, the state value, where to go afterwards
SIGNED_IN_KEY = "sso"  # how this session signed in, for the single logout
WECOM_AGENT = "wxwork"  # in WeCom's in-app browser's user agent


def settings() -> Settings:
    found: Settings = current_app.config["HOUQIN_SETTINGS"]
    return found


def provider(kind: SsoVia, school: str) -> Provider:
    """The configured provider of ``kind`` for the school with code ``school``, else 404."""
    for candidate in settings().sso:
        if candidate.kind == kind and candidate.school == school:
            return candidate
    abort(404)


def school_of(chosen: Provider) -> School:
    found = db.session().scalar(select(School).where(School.code == chosen.school))
    if found is None:  # a provider configured for a school code this deployment does not have
        abort(404)
    return found


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the inbox: a login never sends anyone elsewhere."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.index")


def begin(kind: SsoVia, key: str, *, state: str | None = None) -> str:
    """Start a round trip to ``kind``'s provider ``key``: a fresh state value, kept in the session."""
    value = state or secrets.token_urlsafe(24)
    session[STATE_KEY] = {"for": f"{kind}:{key}", "value": value, "next": safe_next(request.args.get("next"))}
    return value


def returned(kind: SsoVia, key: str, given: str | None) -> str | None:
    """Where to go after the round trip when ``given`` is the state this session started, else None; the state
    is spent either way (one return per start)."""
    kept = session.pop(STATE_KEY, None)
    if not isinstance(kept, dict) or kept.get("for") != f"{kind}:{key}" or not given:
        return None
    if not hmac.compare_digest(str(kept.get("value", "")), given):
        return None
    return safe_next(kept.get("next"))


def complete(user: User, *, via: SsoVia, key: str, next_url: str) -> ResponseReturnValue:
    """Log ``user`` in (the session carries their session epoch, as a password login does) and commit the audit row."""
    db.session().commit()
    log_in(user)
    session[SIGNED_IN_KEY] = {"via": str(via), "key": key}
    return redirect(next_url)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None
    email: str | None


REFUSALS = {
    SsoProblem.unknown: 403, SsoProblem.inactive: 403, SsoProblem.no_number: 403, SsoProblem.several: 403,
}


def refusal_text(problem: SsoProblem) -> str:
    texts = {
        SsoProblem.unknown: _("Your identity was confirmed, but this school has no account with your staff or student "
                              "number. Ask your school's system administrator to add you."),
        SsoProblem.inactive: _("Your account here has been deactivated. Ask your school's system administrator if "
                               "you need it again."),
        SsoProblem.no_number: _("The identity provider did not say your staff or student number, so we cannot tell "
                                "who you are. Tell your school's system administrator."),
        SsoProblem.several: _("This identity belongs to accounts in several schools. Log in with your username and "
                              "password instead."),
    }
    return texts[problem]


def refused(message: str, status: int, *, school_id: int | None = None) -> ResponseReturnValue:
    """The page saying why nobody was logged in and whom to ask; nothing was changed."""
    contacts = []
    if school_id is not None:
        contacts = [Contact(u.display_name, u.phone, u.email)
                    for u in users_with_role(db.session(), role=Role.admin, school_id=school_id)]
    return render_template("auth/sso_refused.html", message=message, contacts=contacts), status


def refused_for(problem: SsoProblem, *, school_id: int | None) -> ResponseReturnValue:
    db.session().commit()  # the refusal's audit row
    return refused(refusal_text(problem), REFUSALS[problem], school_id=school_id)


def bad_return() -> ResponseReturnValue:
    return refused(_("This sign-in link is not valid or was already used. Go back to the login page and start "
                     "again."), 400)


def cas_client(chosen: CasProvider, service_url: str) -> CASClient:
    return CASClient(version=chosen.version, service_url=service_url, server_url=chosen.server_url)


def farewell_url() -> str | None:
    """Where logging out goes next: the CAS server's logout when this session came from CAS (single logout), else
    None. Reads and forgets how the session signed in."""
    signed = session.pop(SIGNED_IN_KEY, None)
    if not isinstance(signed, dict) or signed.get("via") != SsoVia.cas:
        return None
    chosen = next((p for p in settings().sso if p.kind == SsoVia.cas and p.school == signed.get("key")), None)
    if not isinstance(chosen, CasProvider):
        return None
    back = url_for("auth.login", _external=True)
    url: str = cas_client(chosen, back).get_logout_url(redirect_url=back)
    return url


@dataclass(frozen=True)
class Button:
    url: str
    label: str
    kind: str


def buttons() -> list[Button]:
    """The login page's single sign-on buttons: one per provider, named by school when several schools have one;
    WeCom's inside WeCom's own browser."""
    configured = settings().sso
    names: dict[str, str] = {}
    if configured:
        rows = db.session().execute(select(School.code, School.name).where(School.code.in_({p.school for p in configured})))
        names = {code: name for code, name in rows}
    several = len({p.school for p in configured}) > 1
    found = []
    for chosen in configured:
        if chosen.school not in names:
            continue
        label = _("%(school)s unified identity login", school=names[chosen.school]) if several \
            else _("Unified identity login")
        found.append(Button(url_for(f"sso_{chosen.kind}.start", school=chosen.school, next=request.args.get("next")),
                            label, str(chosen.kind)))
    if settings().messaging.wecom is not None and WECOM_AGENT in (request.user_agent.string or "").lower():
        found.append(Button(url_for("sso_wecom.start", next=request.args.get("next")), _("Log in with WeCom"), "wecom"))
    return found
