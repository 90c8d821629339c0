"""Signals between instances that share a business key, delivered after the thrower commits."""
from __future__ import annotations

import logging

import pytest
from factories import Worded, actor

from engine.advance import deliver


@pytest.fixture
def signal_rt(rt, clock):
    rt.deploy_scenario("signal_sender")
    rt.deploy_scenario("signal_waiter")
    return rt


def _close(rt, sender: int, note: str = "all fixed") -> str:
    return rt.complete(rt.task(sender, "close_order").id, actor(1, "clerk"), {"note": note})


def test_signal_reaches_every_waiting_instance_with_the_same_business_key_only(signal_rt):
    rt = signal_rt
    same_a = rt.start("signal_waiter", business_key="WO-1")
    same_b = rt.start("signal_waiter", business_key="WO-1")
    other = rt.start("signal_waiter", business_key="WO-2")
    unkeyed = rt.start("signal_waiter")
    sender = rt.start("signal_sender", business_key="WO-1", data={"order_no": "WO-1"})
    untouched = {i: rt.snapshot(i) for i in (other, unkeyed)}

    assert _close(rt, sender) == "completed"

    assert rt.audit(sender, "event.thrown")[0].details == {"event": "order_closed", "kind": "signal"}
    for waiter in (same_a, same_b):
        assert [t.task_name for t in rt.tasks(waiter)] == ["follow_up"]
        [received] = rt.audit(waiter, "event.received")
        assert received.details == {"event": "order_closed", "kind": "signal"}
        data = rt.workflow(waiter).get_next_task(manual=True).data
        assert data["closing"] == {"note": "all fixed", "order": "WO-1"}
        assert data["closed_seen"] is True and data["closing_note"] == "all fixed"
    for waiter, before in untouched.items():
        assert rt.snapshot(waiter) == before
        assert rt.tasks(waiter) == []


def test_instances_not_waiting_for_the_signal_are_left_alone(signal_rt, people):
    rt = signal_rt
    rt.deploy_scenario("timer_task")
    bystander = rt.start("timer_task", business_key="WO-1", data={"worker_id": people.worker_id, "job_due": "PT1H"})
    waiter = rt.start("signal_waiter", business_key="WO-1")
    before = rt.snapshot(bystander)

    sender = rt.start("signal_sender", business_key="WO-1", data={"order_no": "WO-1"})
    _close(rt, sender)

    assert rt.snapshot(bystander) == before
    assert [t.task_name for t in rt.tasks(waiter)] == ["follow_up"]
    # delivering by hand to an instance that does not wait for it is an idle no-op
    with rt.session() as session:
        outcome = deliver(rt.host, session, instance_id=bystander, event={"name": "order_closed", "kind": "signal"})
    assert outcome.status == "idle" and rt.snapshot(bystander) == before


def test_a_signal_arriving_twice_is_caught_once(signal_rt):
    rt = signal_rt
    waiter = rt.start("signal_waiter", business_key="WO-9")
    for note in ("first", "second"):
        sender = rt.start("signal_sender", business_key="WO-9", data={"order_no": "WO-9"})
        _close(rt, sender, note)
    assert len(rt.audit(waiter, "event.received")) == 1
    assert rt.workflow(waiter).get_next_task(manual=True).data["closing_note"] == "first"


def test_a_failing_delivery_does_not_undo_or_fail_the_throwers_commit(signal_rt, caplog):
    rt = signal_rt
    rt.deploy_scenario("signal_waiter", **{
        '<spiffworkflow:property name="formKey" value="simple_note" />':
            '<spiffworkflow:property name="formKey" value="simple_note" />\n'
            '          <spiffworkflow:property name="assignee" value="no_such_variable" />'})
    broken = rt.start("signal_waiter", business_key="WO-3")
    before = rt.snapshot(broken)
    sender = rt.start("signal_sender", business_key="WO-3", data={"order_no": "WO-3"})

    fine = rt.start("signal_waiter", business_key="WO-3", data={"no_such_variable": None})

    with caplog.at_level(logging.ERROR, logger="engine.events"):
        assert _close(rt, sender) == "completed"

    assert rt.instance(sender).status == "completed"
    after = rt.snapshot(broken)
    assert after == {**before, "audit": before["audit"] + 1, "outbox": before["outbox"] + 1}, \
        "the failed delivery rolled back; only its audit row and its queued retry stay"
    assert any(f"to instance {broken} failed" in r.getMessage() for r in caplog.records)
    [failure] = rt.audit(broken, "event.delivery_failed")
    assert failure.details["event"] == "order_closed" and "no_such_variable" in failure.details["error"]
    [retry] = rt.outbox(broken)
    assert (retry.channel, retry.status, retry.attempts, retry.recipients) == ("event", "pending", 1, {"instance_id": broken})
    # the broken target came first and did not keep the event from the next one
    assert broken < fine and [t.task_name for t in rt.tasks(fine)] == ["follow_up"]


def test_a_failed_delivery_is_sent_again_by_the_outbox_sweep(signal_rt, clock, monkeypatch):
    from engine import advance
    from engine.wakeups import send_pending

    rt = signal_rt
    waiter = rt.start("signal_waiter", business_key="WO-6")
    real, calls = advance.deliver, []

    def once_broken(host, session, *, instance_id, event):
        calls.append(instance_id)
        if len(calls) == 1:
            raise TimeoutError("lock wait timeout")
        return real(host, session, instance_id=instance_id, event=event)

    monkeypatch.setattr(advance, "deliver", once_broken)
    sender = rt.start("signal_sender", business_key="WO-6", data={"order_no": "WO-6"})
    _close(rt, sender, "fixed at last")
    assert rt.tasks(waiter) == [] and rt.outbox(waiter)[0].status == "pending"

    assert send_pending(rt.host) == 0  # not yet: the first retry waits half a minute
    clock.advance(seconds=31)
    assert send_pending(rt.host) == 1
    assert [t.task_name for t in rt.tasks(waiter)] == ["follow_up"]
    assert rt.workflow(waiter).get_next_task(manual=True).data["closing_note"] == "fixed at last"
    assert rt.outbox(waiter)[0].status == "sent" and calls == [waiter, waiter]


@pytest.mark.parametrize("error, text, words", [
    (Worded("instance %(id)s is %(why)s", id=7, why=Worded("locked by %(who)s", who="a timer")),
     "Worded: instance 7 is locked by a timer",
     {"message": "instance %(id)s is %(why)s", "values": {"id": 7, "why": {"message": "locked by %(who)s",
                                                                              "values": {"who": "a timer"}}}}),
    (TimeoutError("lock wait timeout"), "TimeoutError: lock wait timeout", None),
])
def test_a_failed_delivery_is_queued_with_its_error_in_words_when_it_offers_them(signal_rt, monkeypatch, error, text,
                                                                                 words):
    """The queued retry keeps its error as the outbox keeps a failed send's: English text, and words when it has them."""
    from engine import advance

    def broken(host, session, *, instance_id, event):
        raise error

    rt = signal_rt
    waiter = rt.start("signal_waiter", business_key="WO-8")
    monkeypatch.setattr(advance, "deliver", broken)
    _close(rt, rt.start("signal_sender", business_key="WO-8", data={"order_no": "WO-8"}))
    [retry] = rt.outbox(waiter)
    assert (retry.channel, retry.last_error, retry.last_error_words) == ("event", text, words)
    assert rt.audit(waiter, "event.delivery_failed")[0].details["error"] == text


def test_a_thrown_signal_is_broadcast_once_not_again_when_the_thrower_moves_on(signal_rt):
    """The thrower keeps running after the throw; its next advance must not send the same signal again."""
    rt = signal_rt
    rt.deploy_scenario("signal_sender", **{
        '<bpmn:sequenceFlow id="f3" sourceRef="announce" targetRef="closed" />':
            '<bpmn:sequenceFlow id="f3" sourceRef="announce" targetRef="archive" />\n'
            '    <bpmn:userTask id="archive" name="Archive the order">\n'
            '      <bpmn:extensionElements><spiffworkflow:properties>\n'
            '        <spiffworkflow:property name="formKey" value="simple_note" />\n'
            '      </spiffworkflow:properties></bpmn:extensionElements>\n'
            '      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>\n'
            '    </bpmn:userTask>\n'
            '    <bpmn:sequenceFlow id="f4" sourceRef="archive" targetRef="closed" />',
        '<bpmn:incoming>f3</bpmn:incoming>\n    </bpmn:endEvent>': '<bpmn:incoming>f4</bpmn:incoming>\n    </bpmn:endEvent>',
        '<bpmn:flowNodeRef>closed</bpmn:flowNodeRef>':
            '<bpmn:flowNodeRef>closed</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>archive</bpmn:flowNodeRef>'})
    sender = rt.start("signal_sender", business_key="WO-7", data={"order_no": "WO-7"})
    assert _close(rt, sender) == "running"
    late_waiter = rt.start("signal_waiter", business_key="WO-7")

    assert rt.complete(rt.task(sender, "archive").id, actor(1, "clerk"), {"note": "filed"}) == "completed"

    assert len(rt.audit(sender, "event.thrown")) == 1
    assert rt.audit(late_waiter, "event.received") == [] and rt.tasks(late_waiter) == []


def test_a_terminate_end_stays_inside_its_instance(signal_rt, monkeypatch):
    """The library hands a terminate end event out as uncaught; only named signals and messages are for other
    instances, so nothing else is audited as sent or broadcast."""
    from engine import events

    rt = signal_rt
    rt.deploy_scenario("signal_sender", **{'<bpmn:incoming>f3</bpmn:incoming>\n    </bpmn:endEvent>':
                                           '<bpmn:incoming>f3</bpmn:incoming>\n'
                                           '      <bpmn:terminateEventDefinition id="closed_terminate" />\n'
                                           '    </bpmn:endEvent>'})
    real, sent = events.broadcast, []

    def counted(host, **kwargs):
        sent.append(kwargs["event"])
        return real(host, **kwargs)

    monkeypatch.setattr(events, "broadcast", counted)
    waiter = rt.start("signal_waiter", business_key="WO-7")
    sender = rt.start("signal_sender", business_key="WO-7", data={"order_no": "WO-7"})

    assert _close(rt, sender) == "completed"

    assert [a.details for a in rt.audit(sender, "event.thrown")] == [{"event": "order_closed", "kind": "signal"}]
    assert [event["name"] for event in sent] == ["order_closed"]
    assert [t.task_name for t in rt.tasks(waiter)] == ["follow_up"]
