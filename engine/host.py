"""The engine's runtime wiring: registry, session factory, spec cache, script engine, dispatcher.

One :class:`Host` is built by the bootstrap function (for the web app, the worker and the CLI
alike) and passed explicitly to every engine entry point; nothing is wired at import time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from engine import events
from engine.deployments import SpecCache
from engine.registry import Registry
from engine.scripting import HostScriptEngine


class Dispatcher(Protocol):
    """Where after-commit work goes: Celery in production, the same process in embedded mode."""

    def attach(self, host: "Host") -> None: ...

    def send_outbox(self, message_id: int) -> None: ...

    def broadcast_event(self, source_id: int, business_key: str | None, event: dict) -> None: ...

    def kick_job(self, name: str) -> None: ...


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``grants`` holds (role, org_unit_id) pairs; a None unit means every unit.

    The domain builds actors (expanding unit hierarchies into grants); the engine only asks
    :meth:`may`. ``school_id`` None means platform-wide (system jobs, platform admins).
    """

    id: int | None
    name: str
    school_id: int | None = None
    grants: frozenset[tuple[str, int | None]] = field(default_factory=frozenset)

    def may(self, role: str | None, org_unit_id: int | None) -> bool:
        if role is None:
            return False
        return (role, None) in self.grants or (org_unit_id is not None and (role, org_unit_id) in self.grants)

    @property
    def label(self) -> str:
        return self.name if self.id is None else f"{self.name}#{self.id}"


SYSTEM = Actor(id=None, name="system")


@dataclass
class Host:
    registry: Registry
    session_factory: sessionmaker[Session]
    dispatcher: Dispatcher
    specs: SpecCache = field(init=False)
    script_engine: HostScriptEngine = field(init=False)

    def __post_init__(self) -> None:
        self.specs = SpecCache(self.registry)
        self.script_engine = HostScriptEngine(self.registry)
        self.dispatcher.attach(self)
        # events whose delivery failed wait in the outbox; this host delivers them again
        self.registry.channel(events.REDELIVERY_CHANNEL, lambda session, message: events.redeliver(self, session, message))
