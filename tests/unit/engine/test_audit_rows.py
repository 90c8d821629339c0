"""An advance's audit rows go out in one insert, and still read in the order things happened: after what the
transaction recorded before the advance, and around an advance that one of its steps started."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import select

from engine import advance, context
from engine.actor import SYSTEM
from engine.audit import record, write_advance_rows
from engine.clock import now
from engine.models import AuditEvent, ProcessInstance


def _trail(rt, school_id):
    with rt.session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.school_id == school_id).order_by(AuditEvent.id))
        return [(row.action, row.business_key) for row in rows]


@contextmanager
def _inside_an_advance(rt, people, session):
    """A running instance WO-1 and, on ``session``, an advance of it under way (as a step's helpers see it)."""
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", business_key="WO-1", school_id=people.school_id,
                   data={"worker_id": people.worker_id, "job_due": "PT12H"})
    instance = session.get(ProcessInstance, iid)
    running = context.AdvanceContext(session=session, instance=instance, actor=SYSTEM, at=now(),
                                     savepoint=session.get_nested_transaction())
    with context.activate(running):
        yield instance, running


def test_rows_recorded_before_an_advance_come_first(rt, people):
    rt.deploy_scenario("timer_task")
    with rt.session() as session:
        record(session, action="admin.note", school_id=people.school_id, business_key="WO-1")
        advance.start(rt.host, session, process_key="timer_task", business_key="WO-1", school_id=people.school_id,
                      data={"worker_id": people.worker_id, "job_due": "PT12H"})
    assert _trail(rt, people.school_id) == [("admin.note", "WO-1"), ("instance.started", "WO-1"),
                                            ("step.completed", "WO-1"), ("task.created", "WO-1")]


def test_an_advance_started_inside_another_keeps_both_trails_in_order(rt, people):
    with rt.session() as session, _inside_an_advance(rt, people, session) as (outer, running):
        record(session, action="outer.before", instance=outer)
        advance.start(rt.host, session, process_key="timer_task", business_key="WO-2", school_id=people.school_id,
                      data={"worker_id": people.worker_id, "job_due": "PT12H"})
        record(session, action="outer.after", instance=outer)
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "outer.after")) is None  # not yet
        write_advance_rows(session, running)
    trail = [row for row in _trail(rt, people.school_id) if row not in (("instance.started", "WO-1"),
                                                                          ("step.completed", "WO-1"),
                                                                          ("task.created", "WO-1"))]
    assert trail == [("outer.before", "WO-1"), ("instance.started", "WO-2"), ("step.completed", "WO-2"),
                     ("task.created", "WO-2"), ("outer.after", "WO-1")]


def test_a_row_recorded_inside_a_savepoint_that_rolls_back_is_gone_and_the_others_stay(rt, people):
    with rt.session() as session, _inside_an_advance(rt, people, session) as (instance, running):
        record(session, action="step.before", instance=instance)
        savepoint = session.begin_nested()
        record(session, action="step.rolled_back", instance=instance)
        savepoint.rollback()
        record(session, action="step.after", instance=instance)
        write_advance_rows(session, running)
    assert [action for action, _ in _trail(rt, people.school_id)][-2:] == ["step.before", "step.after"]
