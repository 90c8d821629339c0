"""WeCom's web login (网页授权) for staff on their phones: inside WeCom's browser, the corp's OAuth page
(silent, ``snsapi_base``) sends the phone back with a code, ``getuserinfo`` turns it into the member's userid,
and the person who bound that userid (the QR-code binding on their notification settings) is logged in.

The state is letters and digits only, as WeCom requires, and kept in the session like the other logins'.
"""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.sso import signin
from workflows.notifications import binding
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.remote import RemoteError
from workflows.notifications.wecom import NotAMember
from workflows.people.sso import SsoProblem, SsoRefused, SsoVia

bp = Blueprint("sso_wecom", __name__, url_prefix="/login/wecom")
KEY = "wecom"  # one WeCom app per deployment


def _wecom_or_404() -> None:
    if db.runtime().messengers.wecom is None:
        abort(404)


@bp.get("/")
def start() -> ResponseReturnValue:
    _wecom_or_404()
    state = signin.begin(SsoVia.wecom, KEY, state=secrets.token_hex(16))
    back_url = url_for("sso_wecom.back", _external=True)
    return redirect(binding.authorize_url(db.runtime().messengers.messaging, PersonalChannel.wecom, back_url, state))


@bp.get("/back")
def back() -> ResponseReturnValue:
    _wecom_or_404()
    next_url = signin.returned(SsoVia.wecom, KEY, request.args.get("state"))
    code = request.args.get("code", "")
    wecom = db.runtime().messengers.wecom
    if next_url is None or not code or wecom is None:
        return signin.bad_return()
    try:
        userid = wecom.member_of(code)
    except NotAMember:
        return signin.refused(_("This WeCom account is not a member of the school's WeCom, so it cannot log in here."), 403)
    except RemoteError:
        return signin.refused(_("WeCom could not confirm who you are just now. Try again in a moment."), 502)
    session = db.session()
    try:
        person = binding.person_bound_to(session, userid)
    except SsoRefused as err:
        session.commit()  # the refusal's audit row
        if err.problem == SsoProblem.unknown:
            return signin.refused(_("No account here is bound to this WeCom account. Log in once with your username "
                                    "and password, then bind WeCom in your notification settings."), 403)
        return signin.refused_for(err.problem, school_id=None)
    return signin.complete(person, via=SsoVia.wecom, key=KEY, next_url=next_url)
