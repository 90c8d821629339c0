"""The engine's runtime wiring: registry, session factory, spec cache, script engine, dispatcher.

One :class:`Host` is built by the bootstrap function (for the web app, the worker and the CLI
alike) and passed explicitly to every engine entry point; nothing is wired at import time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from engine.deployments import SpecCache
from engine.registry import Registry
from engine.scripting import HostScriptEngine


class Dispatcher(Protocol):
    """Where after-commit work goes: Celery in production, the same process in embedded mode."""

    def attach(self, host: Host) -> None: ...

    def send_outbox(self, message_id: int) -> None: ...

    def broadcast_event(self, source_id: int, business_key: str | None, event: dict[str, Any]) -> None: ...

    def kick_job(self, name: str) -> None: ...


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
