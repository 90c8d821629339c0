"""CAS 2.0 / 3.0 login (python-cas): to the school's CAS server with our service address, back with a ticket
that the server validates (``serviceValidate`` / ``p3/serviceValidate``), the person matched by number.

The service address carries the round trip's state, so a ticket issued for someone else's start is refused; the
CAS server validates each ticket once, so a replayed one is refused by it.
"""
from __future__ import annotations

from typing import Any

import requests
from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.sso import signin
from webapp.sso.providers import CasProvider
from workflows.people.sso import SsoRefused, SsoVia, person_for

bp = Blueprint("sso_cas", __name__, url_prefix="/login/cas")


def _provider(school: str) -> CasProvider:
    chosen = signin.provider(SsoVia.cas, school)
    assert isinstance(chosen, CasProvider)  # looked up by kind
    return chosen


def _service(school: str, state: str) -> str:
    return url_for("sso_cas.back", school=school, state=state, _external=True)


@bp.get("/<school>")
def start(school: str) -> ResponseReturnValue:
    chosen = _provider(school)
    state = signin.begin(SsoVia.cas, school)
    return redirect(signin.cas_client(chosen, _service(school, state)).get_login_url())


def _first(value: Any) -> str | None:
    """A CAS attribute's value: attributes that occur several times come as a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else None


@bp.get("/<school>/back")
def back(school: str) -> ResponseReturnValue:
    chosen = _provider(school)
    state = request.args.get("state", "")
    next_url = signin.returned(SsoVia.cas, school, state)
    ticket = request.args.get("ticket", "")
    if next_url is None or not ticket:
        return signin.bad_return()
    try:
        user, attributes, _pgt = signin.cas_client(chosen, _service(school, state)).verify_ticket(ticket)
    except requests.RequestException:
        return signin.refused(_("The identity server could not be reached just now. Try again in a moment."), 502)
    if not user:
        return signin.bad_return()
    attributes = attributes or {}
    number = _first(attributes.get(chosen.number_attribute)) if chosen.number_attribute else str(user)
    name = _first(attributes.get(chosen.name_attribute)) if chosen.name_attribute else None
    campus = _first(attributes.get(chosen.campus_attribute)) if chosen.campus_attribute else None
    found = signin.school_of(chosen)
    try:
        person = person_for(db.session(), school=found, via=SsoVia.cas, number=number, name=name, campus=campus)
    except SsoRefused as err:
        return signin.refused_for(err.problem, school_id=found.id)
    return signin.complete(person, via=SsoVia.cas, key=school, next_url=next_url)
