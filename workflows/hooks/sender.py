"""The outbox sender of signed deliveries: the stored body, signed at each attempt, POSTed to the subscriber.

The target is vetted as the group bots' are (no private, loopback or metadata addresses, at every redirect; the
connection goes to the vetted address): :func:`workflows.notifications.channels.post_json`. Any answer but 2xx is
a failed attempt, retried by the outbox with back-off.
"""
from __future__ import annotations

import json
import time

from sqlalchemy.orm import Session

from engine import outbox
from engine.models import OutboxMessage
from workflows.errors import Refusal
from workflows.hooks import signing
from workflows.hooks.models import HookSubscriber
from workflows.i18n import N_
from workflows.notifications.channels import post_json

SKIPPED = N_("skipped: the subscriber was removed, deactivated or no longer takes this event")


def body_bytes(payload: dict) -> bytes:
    """The body exactly as sent (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class HookSender:
    """Sends one ``business_webhook`` row; ``allowed`` are the ``HOUQIN_WEBHOOK_ALLOW`` hosts that may be private."""

    def __init__(self, allowed: frozenset[str] = frozenset()):
        self.allowed = allowed

    def __call__(self, session: Session, message: OutboxMessage) -> None:
        subscriber_id = (message.recipients or {}).get("subscriber_id")
        subscriber = session.get(HookSubscriber, subscriber_id) if subscriber_id is not None else None
        if (subscriber is None or not subscriber.active or subscriber.school_id != message.school_id
                or message.kind not in (subscriber.events or [])):
            outbox.keep_error(message, Refusal(SKIPPED))
            return
        body = body_bytes(message.payload or {})
        timestamp = int(time.time())
        post_json(subscriber.url, body, allowed=self.allowed, headers={
            signing.TIMESTAMP_HEADER: str(timestamp), signing.SIGNATURE_HEADER: signing.sign(subscriber.secret, timestamp, body),
            signing.EVENT_HEADER: message.kind})
