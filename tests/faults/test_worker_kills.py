"""``kill -9`` of the Celery worker, three times, in the middle of a burst of timers.

40 reminders fall due within 8 seconds. Beat (sweeping every second) claims them and queues each wake-up with
its due instant as ETA; the worker holds those messages unacknowledged until they run. The worker's whole
process group is killed with SIGKILL each time a fifth more of the reminders have fired, and started again.
The wake-ups the dead worker held stay invisible in Redis for an hour (``visibility_timeout``); beat queues them
again once they are 20 s overdue (``STALE_CLAIM``, then after a doubling wait), and the outbox sweep re-sends messages whose send was lost.

Every reminder must fire exactly once (one timer step, one reminder step, one outbox row and one in-app
notification per instance), within 60 s of its due instant.

The second test counts how often an overdue wake-up is queued while no worker runs: a re-send waits twice as long
as the one before (``engine.timers.claim_for_enqueue``), so a few sweeps queue it once or twice, not once each.
"""
from __future__ import annotations

import time

import pytest
import redis

from .stack import Stack, advance_runs, deploy, firing, poll, report, service_env, start_burst

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

COUNT = 40
KILLS = 3
OVERDUE = 5
SWEEPS_WHILE_DOWN = 6


@pytest.fixture
def stack(tmp_path, pg_url, redis_url):
    running = Stack(tmp_path, service_env(tmp_path, database_url=pg_url, redis_url=redis_url))
    yield running
    running.stop()


def test_kill_9_of_the_worker_mid_burst_loses_and_repeats_no_reminder(runtime, pg_url, stack):
    rt = runtime(pg_url)
    deploy(rt)
    people = rt.people()
    stack.worker()
    stack.beat()
    due = start_burst(rt, people, COUNT, first_in=7, spread=8)

    kills_at: list[int] = []  # reminders fired when each kill struck
    for kill in range(1, KILLS + 1):
        threshold = COUNT * kill // (KILLS + 2)  # 8, 16, 24 of 40: always mid-burst
        poll(stack, f"{threshold} reminders to fire before kill {kill}", lambda t=threshold: firing(rt, due).fired >= t,
             timeout=90, interval=0.1)
        stack.kill9("worker")
        kills_at.append(firing(rt, due).fired)
        stack.worker()

    done = poll(stack, "every reminder fired and sent", lambda: (f := firing(rt, due)).complete() and f, timeout=120)
    # beat keeps sweeping; give it two more timer sweeps and the outbox sweep one more round: nothing may fire again
    time.sleep(2.5)
    final = firing(rt, due)
    outcomes = advance_runs(stack.log("worker"))
    report("worker kill -9", f"{COUNT} reminders, {len(kills_at)} kills survived (at {kills_at} fired), "
                             f"{final.lateness_figures()}, duplicates {final.duplicates}, lost {len(final.lost)}; "
                             f"advance tasks run {dict(outcomes)}")
    try:
        assert all(fired < COUNT for fired in kills_at), f"a kill came after the burst: {kills_at}"
        assert final.fired == done.fired == COUNT
        final.check()
    except AssertionError as err:
        raise AssertionError(f"{err}\n{stack.logs()}") from err


def test_a_worker_outage_queues_each_overdue_wake_up_once_not_once_per_sweep(runtime, pg_url, redis_url, stack):
    rt = runtime(pg_url)
    deploy(rt)
    people = rt.people()
    due = start_burst(rt, people, OVERDUE, first_in=-30, spread=0, prefix="LATE")  # due 30 s ago: no worker was running
    stack.beat()
    poll(stack, f"beat to send {SWEEPS_WHILE_DOWN} timer sweeps",
         lambda: stack.log("beat").count("Sending due task houqin-timer-sweep") >= SWEEPS_WHILE_DOWN, timeout=60)
    stack.worker()
    queue = redis.Redis.from_url(redis_url)
    try:
        poll(stack, "the reminders to fire and the queue to drain",
             lambda: firing(rt, due).complete() and queue.llen("celery") == 0, timeout=60)
    finally:
        queue.close()
    outcomes = advance_runs(stack.log("worker"))
    runs = sum(outcomes.values())
    report("worker outage, wake-ups queued", f"{OVERDUE} overdue reminders, {SWEEPS_WHILE_DOWN} sweeps queued while no "
                                             f"worker ran: houqin.advance run {runs} times {dict(outcomes)}")
    firing(rt, due).check()
    assert runs <= 2 * OVERDUE, f"{runs} houqin.advance tasks for {OVERDUE} overdue wake-ups: {dict(outcomes)}"
