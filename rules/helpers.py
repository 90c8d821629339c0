"""Register the rule helpers diagrams call, and the ``rule`` key check used by deploy-time lint."""
from __future__ import annotations

from typing import Callable

from engine.clock import now
from engine.registry import Registry
from rules.book import RuleBook


def register(registry: Registry, current: Callable[[], RuleBook]) -> None:
    """``current`` returns the rule book in force (it may change while the process runs)."""

    @registry.helper("rule_duration", "ISO 8601 duration of a duration rule, e.g. 'PT1H'", key_kind="rule")
    def rule_duration(key: str) -> str:
        return current().iso(key)

    @registry.helper("rule_cycle", "ISO repeating interval: first after one rule, then every another",
                     key_kind="rule", key_args=2)
    def rule_cycle(first_key: str, repeat_key: str) -> str:
        book = current()
        first = now() + book.duration(first_key)
        return f"R/{first.isoformat()}/{book.iso(repeat_key)}"

    @registry.helper("rule_value", "Value of a rule (threshold, role, count)", key_kind="rule")
    def rule_value(key: str):
        return current().value(key)

    registry.keys("rule", lambda key: key in current(), lambda: sorted(current().values))
