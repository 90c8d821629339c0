"""What the domain plugs into the engine: script helpers, service-task handlers and validators.

The engine calls only what is registered here, so it stays free of domain imports. A
:class:`Registry` is built once per process by the bootstrap function and shared read-only.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from engine.policy import TaskPolicy
from engine.statuses import OutboxStatus

KeyCheck = Callable[[str], bool]
_F = TypeVar("_F", bound=Callable[..., Any])
_Job = TypeVar("_Job", bound=Callable[..., int])


@dataclass(frozen=True)
class Helper:
    """A function diagrams may call in scripts, conditions and timer expressions.

    ``key_kind`` names the kind of key its first ``key_args`` arguments are (e.g. ``"rule"``);
    deploy-time lint checks string literals passed there against the validator for that kind.
    """

    name: str
    func: Callable[..., Any]
    description: str
    key_kind: str | None = None
    key_args: int = 1


@dataclass(frozen=True)
class ServiceHandler:
    """A named operation a BPMN service task may invoke (``spiffworkflow:serviceTaskOperator``)."""

    name: str
    func: Callable[..., Any]
    description: str


@dataclass(frozen=True)
class PeriodicJob:
    """Domain work every scheduler pass runs (``houqin tick``, the embedded thread, a Celery beat task):
    ``func(host, session, at) -> int`` must be idempotent and return how many things it did."""

    name: str
    func: Callable[..., int]
    description: str
    every: float | None = None  # at most this often (seconds); None: every pass / the beat default


@dataclass
class Registry:
    helpers: dict[str, Helper] = field(default_factory=dict)
    services: dict[str, ServiceHandler] = field(default_factory=dict)
    key_checks: dict[str, KeyCheck] = field(default_factory=dict)
    key_listers: dict[str, Callable[[], Iterable[str]]] = field(default_factory=dict)
    key_within: dict[str, str] = field(default_factory=dict)  # a narrower kind → the kind it is part of
    channels: dict[str, Callable[..., OutboxStatus | None]] = field(default_factory=dict)
    periodic_jobs: dict[str, PeriodicJob] = field(default_factory=dict)
    task_policy: TaskPolicy = field(default_factory=TaskPolicy)  # the domain's configured one, set at bootstrap

    def helper(self, name: str, description: str, *, key_kind: str | None = None,
               key_args: int = 1) -> Callable[[_F], _F]:
        """Decorator: register ``func`` as a diagram helper called ``name``."""

        def wrap(func: _F) -> _F:
            if name in self.helpers:
                raise ValueError(f"helper {name!r} registered twice")
            self.helpers[name] = Helper(name, func, description, key_kind, key_args)
            return func

        return wrap

    def service(self, name: str, description: str) -> Callable[[_F], _F]:
        """Decorator: register ``func(params: dict) -> JSON-able`` as a service-task operation."""

        def wrap(func: _F) -> _F:
            if name in self.services:
                raise ValueError(f"service handler {name!r} registered twice")
            self.services[name] = ServiceHandler(name, func, description)
            return func

        return wrap

    def keys(self, kind: str, check: KeyCheck, lister: Callable[[], Iterable[str]] | None = None, *,
             within: str | None = None) -> None:
        """Register how to validate (and optionally list) keys of ``kind``: ``rule``, ``form``…

        ``within`` names a wider kind this one is part of (a ``duration rule`` is a ``rule``), so that deploy-time
        lint tells a key of the wrong kind ("a rule, but not a duration") from an unknown one."""
        self.key_checks[kind] = check
        if lister is not None:
            self.key_listers[kind] = lister
        if within is not None:
            self.key_within[kind] = within

    def periodic(self, name: str, description: str, *, every: float | None = None) -> Callable[[_Job], _Job]:
        """Decorator: register ``func(host, session, at) -> int`` as a job of the scheduler passes, run at most
        every ``every`` seconds when given (refreshing a table every 5-second embedded pass would be waste)."""

        def wrap(func: _Job) -> _Job:
            if name in self.periodic_jobs:
                raise ValueError(f"periodic job {name!r} registered twice")
            self.periodic_jobs[name] = PeriodicJob(name, func, description, every)
            return func

        return wrap

    def channel(self, name: str, send: Callable[..., OutboxStatus | None]) -> None:
        """Register an outbox channel sender ``send(session, message)``; it returns None when sent, or
        ``OutboxStatus.FAILED`` when refused for good (see :func:`engine.outbox.send`)."""
        self.channels[name] = send

    def script_globals(self) -> dict[str, Callable[..., Any]]:
        return {name: h.func for name, h in self.helpers.items()}
