"""The rule helpers diagrams call, resolved for the running order's school and category.

``rule_duration('repair.escalation.yellow.after')`` inside an order of item ``W03`` (category ``W``) at
school 3 returns school 3's override for ``W/W03`` if there is one, else its water-leak override, else the
school's value, else the default; the codes come from the order's ``rule_item`` and ``rule_category``
variables. Deploy-time lint checks the keys: every helper but ``rule_value`` counts time, so it takes duration
keys only (:data:`DURATION_RULE`); ``rule_value`` takes any rule (a threshold, a role, recipients).
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine import context
from engine.clock import now
from engine.registry import Registry
from rules import durations
from rules.book import RuleBook, is_duration_key
from rules.keys import duration_keys
from rules.store import RuleStore

ITEM_VARIABLE, CATEGORY_VARIABLE = "rule_item", "rule_category"
RULE, DURATION_RULE = "rule", "duration rule"  # the key kinds the helpers take, as the engine's lint names them


def scope_of(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The catalogue codes an instance's rules are looked up by, most specific first."""
    return data.get(ITEM_VARIABLE), data.get(CATEGORY_VARIABLE)


def scoped_book(store: RuleStore) -> tuple[RuleBook, tuple[str | None, str | None]]:
    """The book in force for the current advance (cached for its length) and the order's rule scope."""
    scope = scope_of(context.task_data())
    ctx = context.current_or_none()
    if ctx is None:
        return store.default_book, scope
    key = ("rules", ctx.instance.school_id)
    if key not in ctx.memo:
        ctx.memo[key] = store.book(ctx.session, ctx.instance.school_id)
    return ctx.memo[key], scope


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("rule_duration", "Time until a rule's deadline, as an ISO 8601 duration ('PT1H')", key_kind=DURATION_RULE)
    def rule_duration(key: str) -> str:
        book, scope = scoped_book(store)
        start = now()
        return durations.to_iso(book.deadline(key, start, scope) - start)

    @registry.helper("rule_cycle", "ISO repeating interval: first after one rule, then every another",
                     key_kind=DURATION_RULE, key_args=2)
    def rule_cycle(first_key: str, repeat_key: str) -> str:
        book, scope = scoped_book(store)
        return f"R/{book.deadline(first_key, now(), scope).isoformat()}/{book.iso(repeat_key, scope)}"

    @registry.helper("rule_after", "The instant a rule's duration after a given instant (ISO 8601)", key_kind=DURATION_RULE)
    def rule_after(key: str, at: str) -> str:
        book, scope = scoped_book(store)
        return book.deadline(key, _instant(at), scope).isoformat()

    @registry.helper("rule_before", "The instant a rule's duration before a given instant (ISO 8601)", key_kind=DURATION_RULE)
    def rule_before(key: str, at: str) -> str:
        book, scope = scoped_book(store)
        return (_instant(at) - book.duration(key, scope)).isoformat()

    @registry.helper("rule_value", "Value of a rule (threshold, role, count)", key_kind=RULE)
    def rule_value(key: str) -> Any:
        book, scope = scoped_book(store)
        return book.value(key, scope)

    registry.keys(RULE, lambda key: key in store.defaults, lambda: sorted(store.defaults))
    registry.keys(DURATION_RULE, lambda key: key in store.defaults and is_duration_key(key),
                  lambda: duration_keys(store.defaults), within=RULE)


def _instant(text: str) -> datetime:
    """An aware instant from task data; dates and times kept in task data are ISO strings."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
