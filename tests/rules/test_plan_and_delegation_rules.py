"""Rule keys of work plans and delegated tasks: their checks, and the helpers the diagrams call with them."""
from __future__ import annotations

from datetime import UTC, datetime

from rules.book import RuleBook, load_defaults
from rules.validation import validate
from workflows.people.enums import Role

ROLES = set(Role)


def _problems(**school):
    return {(p.key, p.code) for p in validate(RuleBook(load_defaults(), school=school), roles=ROLES)}


def test_the_shipped_defaults_are_valid():
    assert _problems() == set()


def test_slip_recipients_are_assignee_assigner_or_roles():
    assert _problems(**{"delegation.slip.red.to": ["assigner", "main_leader"],
                        "delegation.slip.yellow.to": ["deputy_leader"]}) == set()
    assert _problems(**{"delegation.slip.red.to": "assigner"}) == set()  # saved before recipients were a list
    assert _problems(**{"delegation.slip.red.to": ["assigner", "the boss"]}) == {("delegation.slip.red.to", "unknown_recipient")}
    assert _problems(**{"delegation.slip.red.to": []}) == {("delegation.slip.red.to", "no_recipient")}
    assert _problems(**{"delegation.unit.role": "nobody"}) == {("delegation.unit.role", "unknown_role")}


def test_plan_colours_come_in_order_and_occurrences_are_made_before_their_reminder():
    assert _problems(**{"plans.escalation.yellow.after": "12h"}) == {("plans.escalation.yellow.after", "colour_order")}
    assert _problems(**{"plans.generate.ahead_for": "2d"}) == {("plans.generate.ahead_for", "out_of_range")}
    assert _problems(**{"plans.remind.before": "0d"}) == {("plans.remind.before", "not_positive")}


def test_the_before_and_after_helpers_count_from_an_instant():
    from engine.registry import Registry
    from rules import helpers
    from rules.store import RuleStore

    registry = Registry()
    helpers.register(registry, RuleStore.with_shipped_defaults(roles=ROLES))
    due = datetime(2027, 6, 1, 9, 30, tzinfo=UTC).isoformat()
    assert registry.helpers["rule_before"].func("plans.remind.before", due) == "2027-05-29T09:30:00+00:00"
    assert registry.helpers["rule_after"].func("plans.escalation.red.after", due) == "2027-06-08T09:30:00+00:00"
