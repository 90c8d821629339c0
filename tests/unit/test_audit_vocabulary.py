"""One label catalogue for audit actions: every action the engine records is an ``AuditAction`` with a label,
every step a process diagram records and every business action a process writes is registered, with its label,
by its process module; nothing is recorded under a name the timelines cannot put into words."""
from __future__ import annotations

import re
from pathlib import Path

from engine.audit_actions import AuditAction
from workflows.bootstrap import build_modules
from workflows.delegation import steps as delegation_steps
from workflows.plans import steps as plan_steps
from workflows.repair import steps as repair_steps

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="((?:order|plan|delegation|task|instance|event|step|timer|definition|migration)\.[a-z_.]+)"')


def test_every_engine_action_has_a_label():
    actions = build_modules().actions
    assert [a for a in AuditAction if a not in actions] == []


def test_every_diagram_step_and_business_action_is_registered_by_its_module():
    actions = build_modules().actions
    for prefix, module in (("order", repair_steps), ("plan", plan_steps), ("delegation", delegation_steps)):
        quiet = getattr(module, "QUIET", frozenset())
        missing = [f"{prefix}.{name}" for name in module.STEPS if name not in quiet and f"{prefix}.{name}" not in actions]
        assert missing == [], prefix
    written = {match for folder in ("engine", "workflows", "webapp", "rules")
               for path in (ROOT / folder).rglob("*.py") for match in LITERAL.findall(path.read_text(encoding="utf-8"))}
    assert sorted(written - set(actions)) == []


def test_every_business_event_a_module_describes_is_its_own_action_or_an_engine_row_it_gives_a_meaning():
    from workflows.bootstrap import MODULES

    for module in MODULES:
        unknown = [a for a in module.timeline.describe if a not in module.actions and a not in set(AuditAction)]
        assert unknown == [], module.name
        assert all(module.timeline.reminders.values()), module.name
