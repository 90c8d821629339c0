"""Running a named diagram step on a domain row, shared by every process's diagram.

A diagram script calls ``plan_step("reviewed", occurrence_id, review)``; :func:`apply` finds the handler in
the process's step table, loads the row inside the advance's transaction, runs the handler and writes an
audit row (``<prefix>.<name>``) that the row's timeline shows. A step acts only on the row its own instance is
about: the row's school and number must be the instance's school and business key, so a diagram (or a changed
diagram's script) can never reach another school's or another object's row by passing a different id.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import lazyload

from engine import context
from engine.audit import record


class StepRefused(ValueError):
    """The row is not in a state where this step may happen (or the step or row does not exist)."""


class Rules(Protocol):
    """What handlers ask of the rules: a :class:`rules.book.RuleBook`, or the repair steps' view of it through
    the order's rule scope."""

    def value(self, key: str) -> Any: ...


ROW_ONLY = (lazyload("*"),)  # a step needs the row, not its collections (built once: every step asks)


def apply(steps: dict[str, Callable[..., dict]], model: type[Any], prefix: str, rules: Rules, name: str, row_id: int, *args: Any,
          quiet: frozenset[str] = frozenset(), key: str = "number") -> dict:
    """Run step ``name`` of ``steps`` on the ``model`` row ``row_id``; audit it unless it is ``quiet``. ``key`` names
    the row's attribute that holds its process's business key (a certificate's renewals share one process)."""
    ctx = context.current()
    handler = steps.get(name)
    if handler is None:
        raise StepRefused(f"unknown {prefix} step {name!r}")
    row = ctx.session.get(model, row_id, options=ROW_ONLY)
    if row is None:
        raise StepRefused(f"{prefix} {row_id} does not exist")
    if row.school_id != ctx.instance.school_id or getattr(row, key) != ctx.instance.business_key:
        raise StepRefused(f"{prefix} {row_id} is not the {prefix} this process is about")
    details = handler(row, ctx, rules, *args)
    if name not in quiet:
        record(ctx.session, action=f"{prefix}.{name}", actor=ctx.actor.label, instance=ctx.instance, details=details)
    return details
