"""Binding a person's WeCom userid or WeChat openid by a one-time QR code, and unbinding; both audited.

1. On their notification settings page the person asks to bind: :func:`issue` stores a ticket (the SHA-256 of a
   random nonce, the person, the channel, ten minutes of validity) and returns a signed token for the QR code.
2. The phone opens the code inside WeCom / WeChat: :func:`open_ticket` checks the signature, the channel and the
   ticket, and the page sends the phone to the platform's OAuth page with the nonce as ``state`` (letters and
   digits only, as both platforms require).
3. The platform sends the phone back with a ``code``; :func:`ticket_for_state` locks the ticket, the code is
   exchanged for the userid / openid, and :func:`bind` stores the binding and spends the ticket.

A forged, altered, expired or spent code binds nothing. An address is bound to one person per school: binding it
again moves it (the phone proved it holds that WeCom / WeChat account) and the move is audited too.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import urllib.parse
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.clock import now
from engine.db import get_locked
from workflows.notifications.apps import Messaging
from workflows.notifications.enums import BindingAction, PersonalChannel, TicketProblem
from workflows.notifications.models import BindingTicket, PersonalBinding
from workflows.people.models import User
from workflows.people.sso import SsoProblem, SsoVia, refuse, signed_in

SALT = "houqin.personal-binding"
LIFETIME = timedelta(minutes=10)
_STATE = re.compile(r"^[0-9a-f]{32}$")


class TicketRefused(ValueError):
    """The QR code cannot bind anything; ``problem`` says why."""

    def __init__(self, problem: TicketProblem):
        super().__init__(f"binding code {problem}")
        self.problem = problem


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def issue(session: Session, secret: str, user: User, channel: PersonalChannel) -> str:
    """A new one-time binding token for ``user`` and ``channel`` (their spent and expired tickets are cleared)."""
    if user.school_id is None:
        raise ValueError("only a school's people bind WeCom or WeChat")
    at = now()
    session.execute(delete(BindingTicket).where(BindingTicket.user_id == user.id, BindingTicket.expires_at < at))
    nonce = secrets.token_hex(16)
    session.add(BindingTicket(digest=_digest(nonce), school_id=user.school_id, user_id=user.id, channel=channel,
                              created_at=at, expires_at=at + LIFETIME))
    session.flush()
    return URLSafeSerializer(secret, salt=SALT).dumps({"n": nonce, "c": str(channel)})


def _usable(ticket: BindingTicket | None, channel: PersonalChannel) -> BindingTicket:
    if ticket is None or ticket.channel != channel:
        raise TicketRefused(TicketProblem.FORGED)
    if ticket.used_at is not None:
        raise TicketRefused(TicketProblem.USED)
    if now() >= ticket.expires_at:
        raise TicketRefused(TicketProblem.EXPIRED)
    return ticket


def open_ticket(session: Session, secret: str, token: str, channel: PersonalChannel) -> str:
    """The OAuth ``state`` for a scanned token, or :class:`TicketRefused`."""
    try:
        claims = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        raise TicketRefused(TicketProblem.FORGED) from None
    nonce = claims.get("n") if isinstance(claims, dict) else None
    if not isinstance(nonce, str) or not _STATE.match(nonce) or claims.get("c") != channel:
        raise TicketRefused(TicketProblem.FORGED)
    _usable(session.get(BindingTicket, _digest(nonce)), channel)
    return nonce


def ticket_for_state(session: Session, state: str, channel: PersonalChannel) -> BindingTicket:
    """The unspent ticket behind an OAuth ``state``, locked until the transaction ends (a second scan waits and
    then finds it spent)."""
    if not _STATE.match(state or ""):
        raise TicketRefused(TicketProblem.FORGED)
    return _usable(get_locked(session, BindingTicket, _digest(state)), channel)


def authorize_url(messaging: Messaging, channel: PersonalChannel, redirect_uri: str, state: str) -> str:
    """The platform's OAuth page (silent, ``snsapi_base``) that sends the phone back to ``redirect_uri`` with a code.
    The parameters stay in the documented order, which WeChat requires."""
    if channel == PersonalChannel.wecom and messaging.wecom is not None:
        appid, extra = messaging.wecom.corp_id, [("agentid", str(messaging.wecom.agent_id))]
    elif channel == PersonalChannel.wechat and messaging.wechat is not None:
        appid, extra = messaging.wechat.app_id, []
    else:
        raise LookupError(f"{channel} is not set up")
    query = urllib.parse.urlencode([("appid", appid), ("redirect_uri", redirect_uri), ("response_type", "code"),
                                    ("scope", "snsapi_base"), ("state", state), *extra])
    return f"{messaging.open_base}/connect/oauth2/authorize?{query}#wechat_redirect"


def binding_of(session: Session, user_id: int, channel: str) -> PersonalBinding | None:
    return session.scalar(select(PersonalBinding).where(PersonalBinding.user_id == user_id,
                                                        PersonalBinding.channel == channel))


def bindings_of(session: Session, user_id: int) -> dict[str, PersonalBinding]:
    rows = session.scalars(select(PersonalBinding).where(PersonalBinding.user_id == user_id))
    return {row.channel: row for row in rows}


def _audit(session: Session, action: BindingAction, binding: PersonalBinding, actor: str, **extra: object) -> None:
    record(session, action=action, actor=actor, school_id=binding.school_id,
           details={"user_id": binding.user_id, "channel": binding.channel, "address": binding.address, **extra})


def bind(session: Session, ticket: BindingTicket, address: str) -> PersonalBinding:
    """Spend ``ticket`` and bind ``address`` to its person (replacing their earlier one, moving it from whoever in
    the school had it)."""
    user = session.get(User, ticket.user_id)
    assert user is not None  # the ticket's user: deleting a user deletes their tickets
    ticket.used_at = now()
    holder = session.scalar(select(PersonalBinding).where(PersonalBinding.school_id == ticket.school_id,
                                                          PersonalBinding.channel == ticket.channel,
                                                          PersonalBinding.address == address))
    if holder is not None and holder.user_id != ticket.user_id:
        _audit(session, BindingAction.UNBOUND, holder, user.username, reason="bound to another account")
        session.delete(holder)
    binding = binding_of(session, ticket.user_id, ticket.channel)
    if binding is not None and binding.address != address:
        _audit(session, BindingAction.UNBOUND, binding, user.username, reason="replaced")
        session.delete(binding)
        binding = None
    session.flush()
    if binding is None:
        binding = PersonalBinding(school_id=ticket.school_id, user_id=ticket.user_id, channel=ticket.channel,
                                  address=address, created_at=now())
        session.add(binding)
        session.flush()
    _audit(session, BindingAction.BOUND, binding, user.username)
    return binding


def unbind(session: Session, user: User, channel: str) -> bool:
    """Remove ``user``'s binding of ``channel`` (audited); False when there was none."""
    binding = binding_of(session, user.id, channel)
    if binding is None:
        return False
    _audit(session, BindingAction.UNBOUND, binding, user.username)
    session.delete(binding)
    session.flush()
    return True


def person_bound_to(session: Session, userid: str) -> User:
    """The person whose WeCom binding is ``userid``, signing in by WeCom's web login on their phone (audited).

    Raises :class:`~workflows.people.sso.SsoRefused` (audited too) when nobody bound it, when its account is
    inactive, or when people of several schools bound it (which account was meant cannot be told)."""
    people = list(session.scalars(select(User).join(PersonalBinding, PersonalBinding.user_id == User.id)
                                  .where(PersonalBinding.channel == PersonalChannel.wecom, PersonalBinding.address == userid)))
    if len(people) != 1:
        problem = SsoProblem.several if people else SsoProblem.unknown
        raise refuse(session, school_id=None, via=SsoVia.wecom, problem=problem, identity=userid)
    if not people[0].active:
        raise refuse(session, school_id=people[0].school_id, via=SsoVia.wecom, problem=SsoProblem.inactive, identity=userid)
    signed_in(session, user=people[0], via=SsoVia.wecom)
    return people[0]
