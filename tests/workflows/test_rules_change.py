"""Admins change rules: re-arming open orders, category overrides, refusals."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import unit_of_work
from rules import rearm
from rules.models import RuleSet
from rules.store import RulesRefused


def _accepted_order(scenario, item_code="W01") -> str:
    number = scenario.report(item_code=item_code)
    scenario.do(number, "review", "auditor", decision="accept")
    return number


def _save(scenario, content: dict, comment="") -> tuple[set[str], int]:
    store = scenario.runtime.rules
    with unit_of_work(scenario.host.session_factory) as session:
        before = store.book(session, scenario.school_id)
        row = store.save(session, school_id=scenario.school_id, content=content, author="admin", comment=comment)
        after = store.book(session, scenario.school_id)
        return rearm.changed_keys(before, after), row.version


def _yellow_urges(scenario, number) -> list:
    return [t for t in scenario.open_tasks(number) if t.task_name == "urge" and t.role == "deputy_leader"]


@pytest.mark.parametrize("rearm_open_orders", [True, False])
def test_yellow_from_7_to_5_days_rearms_an_order_accepted_6_days_ago(scenario, rearm_open_orders):
    number = _accepted_order(scenario)
    scenario.wait(days=6)
    assert scenario.order(number).colour == "green"
    keys, version = _save(scenario, {"school": {"repair.escalation.yellow.after": "5d"}}, comment="提速")
    assert keys == {"repair.escalation.yellow.after"}
    with unit_of_work(scenario.host.session_factory) as session:
        affected, rows = rearm.preview(scenario.host, session, school_id=scenario.school_id,
                                       current=scenario.runtime.rules.default_book,
                                       proposed=scenario.runtime.rules.book(session, scenario.school_id))
    assert affected == 1 and [(r.business_key, r.due_now) for r in rows] == [(number, True)]
    if rearm_open_orders:
        with unit_of_work(scenario.host.session_factory) as session:
            job = rearm.start_job(session, school_id=scenario.school_id, version=version, keys=keys, author="admin")
            job_id = job.id
        done = rearm.run_job(scenario.host, scenario.runtime.rules, job_id)
        assert (done.status, done.done, done.changed) == ("done", done.total, 1)  # the quick jobs have no such timer
        assert rearm.run_job(scenario.host, scenario.runtime.rules, job_id).changed == 1  # exactly once
    scenario.wait(minutes=1)
    if rearm_open_orders:
        assert scenario.order(number).colour == "yellow"
        assert len(_yellow_urges(scenario, number)) == 1
        [event] = scenario.audit(number, "timer.rearmed")
        assert event.actor == "admin" and event.details["keys"] == ["repair.escalation.yellow.after"]
    else:
        assert scenario.order(number).colour == "green"
        assert _yellow_urges(scenario, number) == []
    scenario.wait(days=2)
    assert len(_yellow_urges(scenario, number)) == 1  # never a second yellow


def test_a_category_override_wins_over_the_school_default(scenario):
    _save(scenario, {"school": {"repair.review.reminder_after": "2h"},
                     "categories": {"W": {"repair.review.reminder_after": "15m"}}})
    leak = scenario.report("水管爆裂", item_code="W01")
    door = scenario.report("门锁坏了", item_code="C01")
    scenario.wait(minutes=20)
    assert len(scenario.outbox(leak, "repair.review_overdue")) == 1
    assert scenario.outbox(door, "repair.review_overdue") == []
    with unit_of_work(scenario.host.session_factory) as session:
        book = scenario.runtime.rules.book(session, scenario.school_id)
    assert book.resolve("repair.review.reminder_after", "W").source == "category:W"
    assert book.resolve("repair.review.reminder_after", "C").source == "school"
    assert book.resolve("repair.escalation.red.after", "W").source == "default"


@pytest.mark.parametrize("layer, code", [
    ({"repair.escalation.yellow.after": "15d"}, "colour_order"),
    ({"repair.escalation.green.after": "0d"}, "not_positive"),
    ({"repair.escalation.red.after": "-3d"}, "not_positive"),
    ({"repair.review.repeat_every": "2m"}, "repeat_too_short"),
    ({"repair.escalation.red.role": "janitor"}, "unknown_role"),
    ({"repair.rating.bad_below": 9}, "out_of_range"),
    ({"repair.no.such.rule": "1h"}, "unknown_key"),
])
def test_an_invalid_rule_set_is_refused_with_field_errors_and_nothing_saved(scenario, layer, code):
    with pytest.raises(RulesRefused) as refused:
        _save(scenario, {"school": layer})
    assert code in [p.code for p in refused.value.problems]
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(RuleSet.id)) is None


def test_history_diff_and_restore(scenario):
    from rules.store import diff

    _save(scenario, {"school": {"repair.escalation.yellow.after": "5d"}}, comment="提速")
    _save(scenario, {"school": {"repair.escalation.yellow.after": "6d"}}, comment="调整")
    store = scenario.runtime.rules
    with unit_of_work(scenario.host.session_factory) as session:
        history = store.history(session, scenario.school_id)
        assert [(h.version, h.comment) for h in history] == [(2, "调整"), (1, "提速")]
        assert diff(history[1].content, history[0].content) == [
            {"what": "school repair.escalation.yellow.after", "before": "5d", "after": "6d"}]
        store.restore(session, school_id=scenario.school_id, version=1, author="admin")
    with unit_of_work(scenario.host.session_factory) as session:
        book = store.book(session, scenario.school_id)
        assert (book.version, book.value("repair.escalation.yellow.after")) == (3, "5d")
