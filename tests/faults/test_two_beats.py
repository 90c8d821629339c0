"""Two Celery beats started by mistake against the same Redis and PostgreSQL, during a burst of timers.

Both sweep every second, so each wake-up is claimed by two sweeps, often at the same moment. The claim
(``FOR UPDATE SKIP LOCKED`` and ``wake_enqueued_for``) must hand each wake-up to one of them, and ``wake`` under
the row lock must fire each timer once even if it were queued twice: one timer step, one reminder, one outbox
row and one notification per instance.
"""
from __future__ import annotations

import pytest

from .stack import Stack, advance_runs, deploy, firing, poll, report, service_env, start_burst

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

COUNT = 30


@pytest.fixture
def stack(tmp_path, pg_url, redis_url):
    running = Stack(tmp_path, service_env(tmp_path, database_url=pg_url, redis_url=redis_url))
    yield running
    running.stop()


def test_two_beats_fire_each_timer_once(runtime, pg_url, stack):
    rt = runtime(pg_url)
    deploy(rt)
    people = rt.people()
    stack.worker()
    stack.beat("beat-a")
    stack.beat("beat-b")
    due = start_burst(rt, people, COUNT, first_in=6, spread=4)

    poll(stack, "every reminder fired and sent", lambda: firing(rt, due).complete(), timeout=90)
    at_end = _sweeps(stack)  # then two more sweeps of each beat (five at least), to give a duplicate its chance
    poll(stack, "two more sweeps of each beat", lambda: all(
        count >= max(5, at_end[name] + 2) for name, count in _sweeps(stack).items()), timeout=60)
    final = firing(rt, due)
    sweeps = _sweeps(stack)
    outcomes = advance_runs(stack.log("worker"))
    report("two beats", f"{COUNT} reminders, timer sweeps sent {sweeps}, {final.lateness_figures()}, "
                        f"duplicates {final.duplicates}, lost {len(final.lost)}; advance tasks run {dict(outcomes)}")
    try:
        assert final.fired == COUNT
        final.check()
        assert outcomes["advanced"] == COUNT, f"each wake-up advanced its instance once: {dict(outcomes)}"
    except AssertionError as err:
        raise AssertionError(f"{err}\n{stack.logs()}") from err


def _sweeps(stack: Stack) -> dict[str, int]:
    """How many timer sweeps each beat has sent so far (from its log)."""
    return {name: stack.log(name).count("Sending due task houqin-timer-sweep") for name in ("beat-a", "beat-b")}
