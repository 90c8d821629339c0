"""The outbox: messages written with the advance, sent after commit, retried with exponential
back-off, marked failed after the last attempt; failing senders never roll back the advance."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import Worded
from sqlalchemy import select

from engine import outbox
from engine.wakeups import send_pending
from workflows.notifications.models import Notification


def _notifications(rt) -> list[tuple[int, int | None, str]]:
    with rt.session() as session:
        return [(n.user_id, n.outbox_id, n.kind) for n in session.scalars(select(Notification).order_by(Notification.id))]


def _start(rt, people, *, channel: str, users=None, roles=()) -> int:
    return rt.start("notify_channel", school_id=people.school_id, data={
        "user_ids": [people.clerk_id] if users is None else users, "role_names": list(roles), "channel": channel,
        "subject": "Water off tomorrow"})


@pytest.fixture
def notify_rt(rt, clock):
    rt.deploy_scenario("notify_channel")
    return rt


def test_inapp_message_is_sent_after_commit_to_users_and_role_holders(notify_rt, people, clock):
    iid = _start(notify_rt, people, channel="inapp", roles=["supervisor"])

    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts, message.sent_at, message.kind) == ("sent", 1, clock.now, "test.notice")
    assert message.payload == {"subject": "Water off tomorrow"}
    assert sorted(_notifications(notify_rt)) == [(people.clerk_id, message.id, "test.notice"),
                                                 (people.supervisor_id, message.id, "test.notice")]
    # sending again (a redelivered Celery task) is a no-op
    with notify_rt.session() as session:
        assert outbox.send(session, notify_rt.registry, message.id) == "skipped"
    assert len(_notifications(notify_rt)) == 2


def test_failing_channel_is_retried_with_backoff_and_finally_marked_failed(notify_rt, people, clock):
    calls = []

    def down(session, message):
        calls.append(clock.now)
        raise ConnectionError("gateway unreachable")

    notify_rt.registry.channel("sms", down)
    iid = _start(notify_rt, people, channel="sms")

    # the advance itself committed fine; the first attempt (after commit) failed
    assert [t.task_name for t in notify_rt.tasks(iid)] == ["acknowledge"]
    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "ConnectionError: gateway unreachable"

    expected_gaps = [30, 60, 120, 240, 480]  # BASE_BACKOFF * 2 ** (attempt - 1)
    for attempt, gap in enumerate(expected_gaps, start=2):
        due = clock.now + timedelta(seconds=gap)
        clock.to(due - timedelta(seconds=1))
        assert send_pending(notify_rt.host) == 0
        assert notify_rt.outbox(iid)[0].attempts == attempt - 1, "retried before its back-off elapsed"
        clock.to(due)
        assert send_pending(notify_rt.host) == 0
        assert notify_rt.outbox(iid)[0].attempts == attempt

    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert len(calls) == outbox.MAX_ATTEMPTS
    assert [int((b - a).total_seconds()) for a, b in zip(calls, calls[1:], strict=False)] == expected_gaps

    clock.advance(days=30)
    assert send_pending(notify_rt.host) == 0
    assert len(calls) == outbox.MAX_ATTEMPTS, "a failed message is never tried again"


def test_an_error_that_offers_its_words_is_kept_in_them_too_and_one_without_keeps_none(notify_rt, people, clock):
    answers = iter([Worded("%(gateway)s refused: %(why)s", gateway="sms-1", why=Worded("quota of %(n)s used", n=100)),
                    ConnectionError("gateway unreachable")])

    def refusing(session, message):
        raise next(answers)

    notify_rt.registry.channel("sms", refusing)
    iid = _start(notify_rt, people, channel="sms")
    [message] = notify_rt.outbox(iid)
    assert message.last_error == "Worded: sms-1 refused: quota of 100 used"  # English, for operators
    assert message.last_error_words == {"message": "%(gateway)s refused: %(why)s", "values": {
        "gateway": "sms-1", "why": {"message": "quota of %(n)s used", "values": {"n": 100}}}}

    clock.advance(seconds=30)
    assert send_pending(notify_rt.host) == 0
    [message] = notify_rt.outbox(iid)
    assert (message.attempts, message.last_error, message.last_error_words) == (2, "ConnectionError: gateway unreachable", None)


def test_flaky_channel_succeeds_on_retry_and_partial_writes_of_a_failed_attempt_are_undone(notify_rt, people, clock):
    attempts = []

    def flaky(session, message):
        attempts.append(message.attempts)
        session.add(Notification(user_id=people.clerk_id, outbox_id=message.id, kind="flaky", school_id=message.school_id))
        if len(attempts) < 3:
            session.flush()
            raise TimeoutError("half-way through")

    notify_rt.registry.channel("flaky", flaky)
    iid = _start(notify_rt, people, channel="flaky")
    assert _notifications(notify_rt) == []

    clock.advance(seconds=30)
    assert send_pending(notify_rt.host) == 0
    assert _notifications(notify_rt) == []
    clock.advance(seconds=60)
    assert send_pending(notify_rt.host) == 1

    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts, message.sent_at) == ("sent", 3, clock.now)
    assert attempts == [0, 1, 2], "a sender sees the tries made before its own"
    assert _notifications(notify_rt) == [(people.clerk_id, message.id, "flaky")]


def test_a_sender_failing_only_at_flush_counts_as_a_failed_attempt(notify_rt, people, clock):
    """The in-app sender adds rows; a bad recipient (no such user) only fails when they are flushed."""
    iid = _start(notify_rt, people, channel="inapp", users=[people.clerk_id, 987654])

    assert [t.task_name for t in notify_rt.tasks(iid)] == ["acknowledge"]
    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "IntegrityError" in message.last_error
    assert _notifications(notify_rt) == []


def test_unknown_channel_is_recorded_as_an_error(notify_rt, people):
    iid = _start(notify_rt, people, channel="pigeon")
    [message] = notify_rt.outbox(iid)
    assert message.status == "pending" and message.last_error == "LookupError: no sender for channel 'pigeon'"


def test_dedup_key_is_per_instance(rt, people, clock):
    rt.deploy_scenario("timer_task")
    first = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT1H"})
    second = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT1H"})
    clock.advance(hours=1, seconds=1)
    assert rt.wake(first).status == "advanced" and rt.wake(second).status == "advanced"
    assert sorted(m.dedup_key for m in rt.outbox()) == sorted([f"{first}:job.overdue:overdue-1", f"{second}:job.overdue:overdue-1"])


def test_notify_outside_a_workflow_step_is_refused():
    with pytest.raises(RuntimeError, match="inside a workflow step"):
        outbox.notify("x", users=[1])


def test_a_sender_refused_for_good_fails_at_once_and_keeps_what_it_queued_instead(notify_rt, people, clock):
    """A sender returning FAILED (the receiver knows no such recipient) is not retried; the rows it wrote (a
    hand-over to another channel) stay."""
    from engine.statuses import OutboxStatus

    def refused(session, message):
        session.add(Notification(user_id=people.clerk_id, outbox_id=message.id, kind="handed-over",
                                 school_id=message.school_id))
        message.last_error = "no such recipient"
        return OutboxStatus.FAILED

    notify_rt.registry.channel("refusing", refused)
    iid = _start(notify_rt, people, channel="refusing")
    [message] = notify_rt.outbox(iid)
    assert (message.status, message.attempts, message.last_error, message.sent_at) == \
        ("failed", 1, "no such recipient", None)
    assert _notifications(notify_rt) == [(people.clerk_id, message.id, "handed-over")]
    clock.advance(days=1)
    assert send_pending(notify_rt.host) == 0 and notify_rt.outbox(iid)[0].attempts == 1
