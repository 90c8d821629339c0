"""The colour and chase steps of the processes that keep their colour on a row of their own (duty anomalies,
inspection findings, complaints), and what their timelines say of them.

Those diagrams run the same escalation: a timer fires ``coloured`` with the colour it reached, and the person
chasing completes ``urged`` with what they did. One pair of handlers serves them all, so a change to how a
colour picks who chases (the rule's role in the responsible unit, else school-wide) is made once. Repairs keep
their own: they also store colour changes and urgings as rows of their own.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.context import AdvanceContext
from engine.models import AuditEvent
from rules.book import RuleBook
from workflows.colours import ESCALATION
from workflows.i18n import N_
from workflows.modules.contract import Describe, Note, Said
from workflows.people.service import answering_unit
from workflows.stepping import StepRefused


def chase_steps(prefix: str) -> dict[str, Callable[..., dict]]:
    """The ``coloured`` and ``urged`` steps of a process whose rules live under ``prefix`` (``duty``, …). The row
    needs ``colour``, ``school_id`` and ``unit_id`` (the responsible unit)."""

    def coloured(row: Any, ctx: AdvanceContext, rules: RuleBook, colour: str) -> dict:
        """Record the colour and answer who chases: the rule's role in the responsible unit, else school-wide."""
        if colour not in ESCALATION:
            raise StepRefused(f"unknown colour {colour!r}")
        row.colour = colour
        role = str(rules.value(f"{prefix}.escalation.{colour}.role"))
        unit = answering_unit(ctx.session, role=role, school_id=row.school_id, org_unit_id=row.unit_id)
        return {"colour": colour, "role": role, "unit": unit}

    def urged(row: Any, ctx: AdvanceContext, rules: RuleBook, colour: str, urge: dict) -> dict:
        return {"colour": colour, "action": urge.get("action")}

    return {"coloured": coloured, "urged": urged}


def _coloured(row: AuditEvent, _found: Any) -> Said:
    """A timer did it: the colour, no one's name."""
    return Said(colour=(row.details or {}).get("colour"), automatic=True)


def _urged(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(colour=details.get("colour"), notes=(Note(N_("What was done"), details.get("action") or ""),))


def chase_sayings(prefix: str) -> dict[str, Describe]:
    """What the timeline says of the audit rows ``<prefix>.coloured`` and ``<prefix>.urged``."""
    return {f"{prefix}.coloured": _coloured, f"{prefix}.urged": _urged}
