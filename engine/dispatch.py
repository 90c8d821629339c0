"""The in-process dispatcher used by the embedded mode and by tests without Celery.

It does after commit, in the calling thread, exactly what the Celery tasks do in a worker; both
call the same functions (:func:`engine.outbox.send`, :func:`engine.events.broadcast`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine import events, outbox
from engine.db import unit_of_work

if TYPE_CHECKING:
    from engine.host import Host


class InlineDispatcher:
    def __init__(self) -> None:
        self.host: Host | None = None

    def attach(self, host: Host) -> None:
        self.host = host

    def _attached(self) -> Host:
        if self.host is None:
            raise RuntimeError("the dispatcher is not attached to a host yet")
        return self.host

    def send_outbox(self, message_id: int) -> None:
        host = self._attached()
        with unit_of_work(host.session_factory) as session:
            outbox.send(session, host.registry, message_id)

    def broadcast_event(self, source_id: int, business_key: str | None, event: dict[str, Any]) -> None:
        events.broadcast(self._attached(), source_id=source_id, business_key=business_key, event=event)

    def kick_job(self, name: str) -> None:
        """Nothing to do: the embedded scheduler runs every periodic job on its next pass, seconds away, and a
        request thread should not wait for a long job."""
