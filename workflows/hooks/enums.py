"""The business events subscribers may receive and the audit actions of their registration."""
from enum import StrEnum

CHANNEL = "business_webhook"  # the outbox channel of one signed delivery to one subscriber


class BusinessEvent(StrEnum):
    """What happened, as the ``event`` of the posted body; stable names other platforms code against."""

    order_created = "order.created"
    order_closed = "order.closed"
    rating_bad = "rating.bad"
    order_escalated = "order.escalated"


class SubscriberAction(StrEnum):
    """Audit actions of the admin's changes to subscribers (filed with the admin changes)."""

    created = "admin.subscriber.create"
    changed = "admin.subscriber.update"
    secret_renewed = "admin.subscriber.secret"
    deleted = "admin.subscriber.delete"
