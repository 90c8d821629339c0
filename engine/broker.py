"""The Redis broker transport the Celery app uses: kombu's, made to survive a dropped connection.

kombu's Redis transport (5.x) can crash a worker when Redis goes away while the worker holds unacknowledged
messages, which a Houqin worker always does (beat queues timer wake-ups with an ETA, and the worker holds them
until they are due). On the connection error Celery closes the connection; closing the channel restores those
messages to the queue, which needs the connection's address, but by then kombu may already have detached the
transport from its connection (``transport.client`` is None): ``AttributeError: 'NoneType' object has no attribute
'hostname'`` escapes, and the worker exits instead of reconnecting.

The same can happen to the acknowledgement of a task that finished as the connection dropped
(``'NoneType' object has no attribute 'client'``, the channel itself closed). Here the restore and the acknowledgement are skipped when the
connection is gone. Nothing is lost: the messages stay in Redis's unacked set
and kombu restores them after the visibility timeout; a timer wake-up the worker held is re-sent by the timer sweep
within seconds of being due (:func:`engine.timers.claim_for_enqueue`), and an outbox message by the outbox sweep.
"""
from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis

log = logging.getLogger(__name__)

TRANSPORT = "engine.broker:Transport"  # the name Celery's ``broker_transport`` setting takes


class QoS(redis.QoS):
    def _detached(self) -> bool:
        """kombu has already detached the channel from its transport, or the transport from its connection: Redis
        cannot be reached through it (closing a channel drops ``channel.connection`` too)."""
        transport = getattr(self.channel, "connection", None)
        return transport is None or transport.client is None

    def ack(self, delivery_tag: Any) -> None:
        """A task finished as the connection dropped: its acknowledgement cannot reach Redis, so the message stays in
        the unacked set and comes back after the visibility timeout (every task here is idempotent)."""
        if self._detached():
            log.warning("the broker connection closed before a finished task could be acknowledged; Redis returns it "
                        "after the visibility timeout")
            super(redis.QoS, self).ack(delivery_tag)  # forget it here only
            return
        super().ack(delivery_tag)

    def restore_unacked(self, client: Any = None) -> Any:
        delivered = self._delivered
        if client is None and self._detached() and delivered is not None:
            log.warning("the broker connection closed before %d unacknowledged message(s) could be put back; "
                        "Redis returns them after the visibility timeout, and the sweeps re-send lost timer wake-ups "
                        "and notifications sooner", len(delivered))
            delivered.clear()
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
