"""The Celery application: broker and results on Redis, beat schedule, and the dispatcher for it.

Tasks live in :mod:`engine.tasks`; they reach the :class:`~engine.host.Host` through the Celery
app (``app.houqin_host``), which the bootstrap sets, so the worker and the web app share wiring.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from celery import Celery

from engine.broker import TRANSPORT

if TYPE_CHECKING:
    from engine.host import Host


class _HostedApp(Protocol):
    """The Celery app with the attribute the bootstrap gives it (Celery itself declares no such thing)."""

    houqin_host: Host | None


def make_celery(host: Host | None, *, redis_url: str, timer_sweep_seconds: float = 15.0, lookahead_seconds: float = 300.0,
                outbox_sweep_seconds: float = 60.0, periodic_seconds: float = 600.0, eager: bool = False,
                include: list[str] | None = None) -> Celery:
    """``include``: modules holding tasks the worker must import (default: the engine's own). Every periodic job
    the domain registered gets a beat entry at its own interval, else ``periodic_seconds``."""
    app = Celery("houqin", broker=redis_url, backend=redis_url,
                 include=list(include) if include is not None else ["engine.tasks"])
    app.conf.update(
        task_acks_late=True,
        # nothing reads a task's result; storing them made every dispatch wait on Redis when it was away
        task_ignore_result=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=60,
        task_time_limit=90,
        task_always_eager=eager,
        timezone="UTC",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport=TRANSPORT,  # kombu's Redis transport, surviving a dropped connection (engine/broker.py)
        broker_transport_options={"visibility_timeout": 3600},
        houqin_lookahead_seconds=lookahead_seconds,
        beat_schedule={
            "houqin-timer-sweep": {"task": "houqin.sweep_timers", "schedule": timer_sweep_seconds},
            "houqin-outbox-sweep": {"task": "houqin.sweep_outbox", "schedule": outbox_sweep_seconds},
            **{f"houqin-job-{job.name}": {"task": "houqin.run_periodic_job", "schedule": job.every or periodic_seconds,
                                          "args": (job.name,)}
               for job in (host.registry.periodic_jobs.values() if host is not None else ())},
        },
    )
    cast(_HostedApp, app).houqin_host = host
    return app


def host_of(app: Celery) -> Host:
    """The host :func:`make_celery` put on ``app``, for the tasks the app runs."""
    host = cast(_HostedApp, app).houqin_host
    if host is None:
        raise RuntimeError("this Celery app was made without a host")
    return host


class CeleryDispatcher:
    """After-commit work goes to Celery workers, by task name (``engine.tasks`` defines them and imports this module,
    never the other way round), through the app it was given.

    Sent through that app, never Celery's "current app": that one is per thread, and in a thread of a threaded web
    server it is a default app with a default broker, so the sends left for somewhere no worker listens."""

    def __init__(self) -> None:
        self.host: Host | None = None
        self.app: Celery | None = None

    def attach(self, host: Host) -> None:
        self.host = host

    def sends_through(self, app: Celery) -> None:
        self.app = app

    def send_outbox(self, message_id: int) -> None:
        self._send("houqin.send_outbox", message_id)

    def broadcast_event(self, source_id: int, business_key: str | None, event: dict[str, Any]) -> None:
        self._send("houqin.broadcast_event", source_id, business_key, event)

    def kick_job(self, name: str) -> None:
        """Run a periodic job now rather than at its next beat (work a user just asked for)."""
        self._send("houqin.run_periodic_job", name)

    def _send(self, task_name: str, *args: Any) -> None:
        """Queue ``task_name``: nothing reads a task's result, and asking for one would make every send wait on the
        result backend (Redis) while it is away."""
        if self.app is None:
            raise RuntimeError("the Celery dispatcher has no app to send through yet")
        self.app.send_task(task_name, args=args, ignore_result=True)
