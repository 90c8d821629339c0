"""Personal messages: which one channel carries a notification to each recipient, their senders, and the fallback.

For each recipient of an in-app notification :func:`fan_out` takes the deployment's fallback order (by default
WeCom → WeChat → e-mail → SMS, only the channels it has set up) and keeps the channels the person can be reached
by (a WeCom / WeChat binding, an e-mail address, a phone number) and has not switched off, as a whole or for that
kind. The first of them gets one outbox row (held back to the end of their quiet hours unless urgent); the rest
ride along in the row's ``recipients`` as ``next``, and ``chain`` records the channels taken so far.

When a platform says it can never deliver to the address (an unknown WeCom member, an openid that does not follow
the official account, an invalid number), or the binding is gone by the time of sending, the row is marked failed
with that reason and one row is queued for the next channel (:func:`fall_back`); anything else is a retryable
error left to the outbox's retries. Every row's dedup key comes from its source, so a re-run queues nothing twice.
Why a row failed or was skipped is kept in words (catalog messages, the platform's reason nested in the hand-over),
so the outbox page says it in its reader's language.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from engine import outbox
from engine.clock import now
from engine.models import OutboxMessage
from engine.statuses import OutboxStatus
from workflows.errors import Refusal
from workflows.i18n import N_
from workflows.notifications.apps import Messaging
from workflows.notifications.binding import binding_of
from workflows.notifications.channels import queue_after
from workflows.notifications.enums import BOUND_CHANNELS, PersonalChannel
from workflows.notifications.personal_text import PersonalText, render
from workflows.notifications.preferences import channel_enabled, is_urgent, quiet_hours, quiet_until
from workflows.notifications.remote import Unreachable
from workflows.notifications.sms import AliyunSms, SmsProvider
from workflows.notifications.titles import CHANNEL_LABELS
from workflows.notifications.tokens import AccessTokens, store_for
from workflows.notifications.wechat import WechatClient
from workflows.notifications.wecom import WecomClient
from workflows.people.models import User
from workflows.people.timezone import school_zone

ACCOUNT_GONE = N_("skipped: the recipient's account was removed or deactivated")
CHANNEL_GONE = N_("%(channel)s: the recipient unbound it or switched it off")
NO_OTHER_CHANNEL = N_("%(reason)s; no other channel reaches this person")
HANDED_OVER = N_("%(reason)s; handed to the next channel, %(channel)s (message %(id)s)")
HANDED_OVER_BEFORE = N_("%(reason)s; handed to the next channel, %(channel)s")  # by an earlier attempt at the row


def _channel_word(channel: str) -> Refusal:
    """``channel``'s name as a value of a message, said in the message's language ("WeCom", "企业微信"); a channel
    this release has no name for (a row a later one queued) by its code, so the hand-over still happens."""
    return Refusal(CHANNEL_LABELS.get(channel, channel))


class Deliverer(Protocol):
    def send(self, address: str, text: PersonalText) -> None: ...


@dataclass(frozen=True)
class Messengers:
    """The personal channels this deployment has set up, with their clients."""

    messaging: Messaging
    wecom: WecomClient | None = None
    wechat: WechatClient | None = None
    sms: SmsProvider | None = None
    email: bool = False  # SMTP is configured

    @property
    def order(self) -> tuple[PersonalChannel, ...]:
        """The fallback order, without the channels that are not set up."""
        ready = {PersonalChannel.wecom: self.wecom is not None, PersonalChannel.wechat: self.wechat is not None,
                 PersonalChannel.sms: self.sms is not None, PersonalChannel.email: self.email}
        return tuple(c for c in self.messaging.order if ready[c])

    def deliverer(self, channel: PersonalChannel) -> Deliverer | None:
        return {PersonalChannel.wecom: self.wecom, PersonalChannel.wechat: self.wechat,
                PersonalChannel.sms: self.sms}.get(channel)


def build(messaging: Messaging, *, redis_url: str | None, email: bool) -> Messengers:
    """The clients of the configured accounts, sharing one access-token cache (Redis when there is one)."""
    tokens = AccessTokens(store_for(redis_url))
    return Messengers(messaging=messaging,
                      wecom=WecomClient(messaging.wecom, tokens) if messaging.wecom else None,
                      wechat=WechatClient(messaging.wechat, tokens) if messaging.wechat else None,
                      sms=AliyunSms(messaging.sms) if messaging.sms else None, email=email)


def address_of(session: Session, user: User, channel: str) -> str | None:
    """Where ``channel`` reaches ``user``: the bound userid / openid, the phone number or the e-mail address."""
    if channel in BOUND_CHANNELS:
        binding = binding_of(session, user.id, channel)
        return binding.address if binding is not None else None
    value = user.phone if channel == PersonalChannel.sms else user.email if channel == PersonalChannel.email else None
    return (value or "").strip() or None


def plan(session: Session, user: User, kind: str, order: Iterable[PersonalChannel]) -> list[PersonalChannel]:
    """The channels of ``order`` that reach ``user`` and that they want for ``kind``, in that order."""
    return [c for c in order if address_of(session, user, c) and channel_enabled(session, user, c, kind)]


def fan_out(session: Session, source: OutboxMessage, user_ids: Iterable[int], order: tuple[PersonalChannel, ...]) -> list[OutboxMessage]:
    """One personal message per recipient of the in-app ``source`` (see the module docstring)."""
    if not order:
        return []
    at, urgent, rows = now(), is_urgent(source.kind, source.payload), []
    for user_id in sorted(set(user_ids)):
        user = session.get(User, user_id)
        chain = plan(session, user, source.kind, order) if user is not None and user.active else []
        if user is None or not chain:
            continue
        due = at if urgent else (quiet_until(quiet_hours(session, user_id), at, school_zone(session, user.school_id)) or at)
        row = queue_after(session, source, channel=chain[0], key=f"person:{user_id}", due=due,
                          recipients={"roles": [], "users": [user_id], "org_unit_id": None,
                                      "chain": [chain[0]], "next": chain[1:]})
        if row is not None:
            rows.append(row)
    return rows


def fall_back(session: Session, message: OutboxMessage, reason: Refusal) -> OutboxStatus:
    """Mark ``message`` failed for ``reason`` and queue it once on the next channel of its plan, if any."""
    spec = dict(message.recipients or {})
    rest = list(spec.get("next") or [])
    if not rest:
        outbox.keep_error(message, Refusal(NO_OTHER_CHANNEL, reason=reason))
        return OutboxStatus.FAILED
    row = queue_after(session, message, channel=rest[0], key="fallback", due=now(),
                      recipients={**spec, "chain": [*spec.get("chain", [message.channel]), rest[0]], "next": rest[1:]})
    if row is None:
        outbox.keep_error(message, Refusal(HANDED_OVER_BEFORE, reason=reason, channel=_channel_word(rest[0])))
        return OutboxStatus.FAILED
    session.flush()
    outbox.keep_error(message, Refusal(HANDED_OVER, reason=reason, channel=_channel_word(rest[0]), id=row.id))
    return OutboxStatus.FAILED


class PersonalSender:
    """Outbox sender of one bound or phone channel (``wecom``, ``wechat``, ``sms``) to the row's single recipient."""

    def __init__(self, channel: PersonalChannel, deliverer: Deliverer, public_url: str | None):
        self.channel = channel
        self.deliverer = deliverer
        self.public_url = public_url

    def __call__(self, session: Session, message: OutboxMessage) -> OutboxStatus | None:
        [user_id] = (message.recipients or {}).get("users") or [None]
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or not user.active:
            outbox.keep_error(message, Refusal(ACCOUNT_GONE))
            return None
        address = address_of(session, user, self.channel)
        if address is None or not channel_enabled(session, user, self.channel, message.kind):
            return fall_back(session, message, Refusal(CHANNEL_GONE, channel=_channel_word(self.channel)))
        try:
            self.deliverer.send(address, render(session, message, user, self.public_url))
        except Unreachable as err:
            return fall_back(session, message, err)
        return None

