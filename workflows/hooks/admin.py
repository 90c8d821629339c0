"""Registering a school's subscribers: add, change, renew the secret, remove; each change in the admin log.

The URL is vetted as the group bots' targets are (:func:`workflows.notifications.targets.check_target`) when it is
saved, and again before every delivery. The secret is the subscriber's own or a new random one; it is returned
only by the call that made it, for the admin to hand to the receiver, and never shown again.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import OutboxMessage
from workflows.adminlog import changed, record_change
from workflows.errors import FieldError
from workflows.hooks import signing
from workflows.hooks.enums import CHANNEL, BusinessEvent, SubscriberAction
from workflows.hooks.models import HookSubscriber
from workflows.i18n import N_
from workflows.notifications.targets import TargetRefused, check_target

SECRET_MIN = 16


@dataclass(frozen=True)
class SubscriberInput:
    name: str
    url: str
    events: tuple[BusinessEvent, ...]
    active: bool = True


def subscribers(session: Session, *, school_id: int) -> list[HookSubscriber]:
    return list(session.scalars(select(HookSubscriber).where(HookSubscriber.school_id == school_id)
                                .order_by(HookSubscriber.id)))


def deliveries(session: Session, *, school_id: int, limit: int = 50) -> list[OutboxMessage]:
    """The school's latest deliveries to subscribers, newest first (their outbox rows: status, attempts, error)."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.school_id == school_id,
                                                            OutboxMessage.channel == CHANNEL)
                                .order_by(OutboxMessage.id.desc()).limit(limit)))


def subscriber(session: Session, *, school_id: int, subscriber_id: int) -> HookSubscriber | None:
    found = session.get(HookSubscriber, subscriber_id)
    return found if found is not None and found.school_id == school_id else None


def _checked(entry: SubscriberInput, allowed: frozenset[str]) -> None:
    if not entry.events:
        raise FieldError("events", N_("choose at least one event"))
    try:
        check_target(entry.url, allowed=allowed)
    except TargetRefused as err:
        raise FieldError("url", N_("This address cannot receive webhooks: %(reason)s"), reason=err) from None


def _shown(sub: HookSubscriber) -> dict:
    return {"name": sub.name, "url": sub.url, "events": list(sub.events or []), "active": sub.active}


def create(session: Session, *, actor: str, school_id: int, entry: SubscriberInput, secret: str | None,
           allowed: frozenset[str] = frozenset()) -> tuple[HookSubscriber, str]:
    """Add a subscriber; returns it with its secret (``secret`` if given, else a new one). Raises
    :class:`FieldError` for a refused URL, no events or a short secret."""
    _checked(entry, allowed)
    if secret is not None and len(secret) < SECRET_MIN:
        raise FieldError("secret", N_("at least %(n)d characters"), n=SECRET_MIN)
    key = secret or signing.new_secret()
    sub = HookSubscriber(school_id=school_id, name=entry.name, url=entry.url, events=[str(e) for e in entry.events],
                         active=entry.active, secret=key)
    session.add(sub)
    session.flush()
    record_change(session, actor=actor, action=SubscriberAction.created, school_id=school_id,
                  target=f"subscriber:{sub.id}", after=_shown(sub))
    return sub, key


def update(session: Session, *, actor: str, sub: HookSubscriber, entry: SubscriberInput,
           allowed: frozenset[str] = frozenset()) -> None:
    _checked(entry, allowed)
    before = _shown(sub)
    sub.name, sub.url, sub.events, sub.active = entry.name, entry.url, [str(e) for e in entry.events], entry.active
    old, new = changed(before, _shown(sub))
    if new:
        record_change(session, actor=actor, action=SubscriberAction.changed, school_id=sub.school_id,
                      target=f"subscriber:{sub.id}", before=old, after=new)


def renew_secret(session: Session, *, actor: str, sub: HookSubscriber) -> str:
    """A new random secret (the old one stops verifying at once); the log says when, never what."""
    sub.secret = signing.new_secret()
    record_change(session, actor=actor, action=SubscriberAction.secret_renewed, school_id=sub.school_id,
                  target=f"subscriber:{sub.id}")
    return sub.secret


def delete(session: Session, *, actor: str, sub: HookSubscriber) -> None:
    record_change(session, actor=actor, action=SubscriberAction.deleted, school_id=sub.school_id,
                  target=f"subscriber:{sub.id}", before=_shown(sub))
    session.delete(sub)
