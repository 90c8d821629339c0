"""What a running advance exposes to helpers called from diagram scripts.

Helpers such as ``notify`` must write into the *current* transaction (outbox rows rolled back
with everything else on failure); a context variable carries the advance's session, instance,
actor and collected side effects without threading them through SpiffWorkflow.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, SessionTransaction

if TYPE_CHECKING:
    from engine.actor import Actor
    from engine.models import ProcessInstance

_current: ContextVar[AdvanceContext | None] = ContextVar("houqin_advance", default=None)
_script_data: ContextVar[dict[str, Any] | None] = ContextVar("houqin_script_data", default=None)


@dataclass
class AdvanceContext:
    session: Session
    instance: ProcessInstance
    actor: Actor
    at: datetime
    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)  # the advance's audit rows, written in one insert
    savepoint: SessionTransaction | None = None  # the session's savepoint when the advance began (engine.audit)
    memo: dict[Any, Any] = field(default_factory=dict)  # per-advance cache for helpers (e.g. the rule book)


def current() -> AdvanceContext:
    ctx = _current.get()
    if ctx is None:
        raise RuntimeError("this helper can only run inside a workflow step")
    return ctx


def current_or_none() -> AdvanceContext | None:
    return _current.get()


@contextmanager
def activate(ctx: AdvanceContext) -> Iterator[AdvanceContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def task_data() -> dict[str, Any]:
    """The task data the running script or expression sees (empty outside one).

    Lets a helper such as ``rule_duration`` pick the rule for this order's category without every
    diagram having to pass the category along.
    """
    return _script_data.get() or {}


@contextmanager
def evaluating(data: dict[str, Any]) -> Iterator[None]:
    token = _script_data.set(data)
    try:
        yield
    finally:
        _script_data.reset(token)
