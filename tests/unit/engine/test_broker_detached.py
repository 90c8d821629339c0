"""The broker's QoS skips acknowledging and restoring once kombu has let go of Redis: whether the transport lost its
connection or the channel lost its transport (a worker died of the latter during a Redis outage)."""
from __future__ import annotations

from types import SimpleNamespace

from engine.broker import QoS


def _qos(connection: object) -> QoS:
    return QoS(SimpleNamespace(connection=connection, do_restore=False), prefetch_count=1)


def test_a_closed_channel_or_a_detached_transport_counts_as_detached():
    assert _qos(None)._detached()  # the channel closed: no transport at all
    assert _qos(SimpleNamespace(client=None))._detached()  # the transport let go of its connection
    assert not _qos(SimpleNamespace(client=object()))._detached()


def test_a_finished_task_is_forgotten_locally_when_the_channel_has_closed():
    qos = _qos(None)
    qos._delivered["tag"] = object()
    qos.ack("tag")  # no AttributeError: the message stays in Redis's unacked set for the visibility timeout
    assert qos._dirty == {"tag"}  # kombu forgets it at its next flush; nothing was sent to Redis
