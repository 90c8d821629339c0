"""PostgreSQL connections cut under the worker and the web app, mid-transaction.

The worker, beat and gunicorn reach PostgreSQL through a TCP proxy (:mod:`.proxy`); the test reads the database
directly. While the worker fires a burst of reminders, the proxy closes both sockets of every connection every
0.2 s for four seconds (a transaction or its commit cut half-way is rolled back by the server, or committed
with the client never hearing of it), then refuses connections altogether for a moment, during which a user
completes a task through the JSON API.

No reminder may be lost or fire twice (the row lock and the version counter; the stale-claim re-send brings back
the wake-ups whose task died with its connection), and the user's call must answer promptly with a 5xx, not
hang, and succeed once PostgreSQL is reachable again; that answer is the API's JSON error (503, webapp.errors).
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import make_url

from .proxy import TcpProxy
from .stack import Stack, advance_runs, api_token, deploy, firing, http, poll, report, service_env, start_burst

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

COUNT = 24
CUT_EVERY = 0.2  # seconds
CUTTING_FOR = 4.0
DOWN_FOR = 2.0
PROMPT = 10.0  # seconds a user may wait for an error answer


@pytest.fixture
def pg_proxy(pg_url):
    """A proxy in front of the PostgreSQL server the suite uses (its host and port from the test database's URL:
    importing them from a conftest would pick whichever conftest module was loaded first)."""
    server = make_url(pg_url)
    with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def stack(tmp_path, pg_url, redis_url, pg_proxy):
    proxied = make_url(pg_url).set(host="127.0.0.1", port=pg_proxy.port).render_as_string(hide_password=False)
    running = Stack(tmp_path, service_env(tmp_path, database_url=proxied, redis_url=redis_url))
    yield running
    running.stop()


def test_cut_postgres_connections_lose_and_repeat_nothing(runtime, pg_url, stack, pg_proxy):
    rt = runtime(pg_url)  # the test's own view of the database, not through the proxy
    deploy(rt)
    people = rt.people()
    token = api_token(rt, people.worker_id)
    stack.worker()
    stack.beat()
    base = stack.web()
    [job] = start_burst(rt, people, 1, first_in=3600, spread=0, prefix="USER")  # due in an hour: a task for the user
    task_id = rt.tasks(job)[0].id
    due = start_burst(rt, people, COUNT, first_in=5, spread=5)

    poll(stack, "the first reminders to fire", lambda: firing(rt, due).fired >= 2, timeout=60, interval=0.1)
    cuts_before, cut_rounds = pg_proxy.cuts, 0
    cutting_until = time.monotonic() + CUTTING_FOR
    while time.monotonic() < cutting_until:
        pg_proxy.cut()
        cut_rounds += 1
        time.sleep(CUT_EVERY)
    fired_after_cuts = firing(rt, due).fired

    pg_proxy.stop()
    try:
        during = http("POST", f"{base}/api/v1/tasks/{task_id}/complete", token=token, body={"data": {"note": "fixed"}},
                      timeout=30)
        time.sleep(max(0.0, DOWN_FOR - during[2]))
    finally:
        pg_proxy.start()
    after = http("POST", f"{base}/api/v1/tasks/{task_id}/complete", token=token, body={"data": {"note": "fixed"}}, timeout=30)

    poll(stack, "every reminder fired and sent", lambda: firing(rt, due).complete(), timeout=90)
    time.sleep(2.5)  # two more timer sweeps and an outbox sweep: nothing may fire again
    final = firing(rt, due)
    outcomes = advance_runs(stack.log("worker"))
    died = stack.log("worker").count("raised unexpected: OperationalError")  # tasks whose connection was cut under them
    report("postgres cuts", f"{COUNT} reminders, {cut_rounds} cut rounds every {CUT_EVERY} s closed "
                            f"{pg_proxy.cuts - cuts_before} connections ({fired_after_cuts} fired by then), "
                            f"{final.lateness_figures()}, duplicates {final.duplicates}, lost {len(final.lost)}; "
                            f"advance tasks run {dict(outcomes)}, tasks that lost their connection mid-way {died}; "
                            f"API call while refused: {during[0]} in {during[2]:.2f} s, afterwards: {after[0]} in {after[2]:.2f} s")
    try:
        final.check()
        status, body, seconds = during
        assert status is not None and seconds <= PROMPT, f"the API call during the outage hung: {body} after {seconds:.1f} s"
        assert 500 <= status < 600, f"the API call during the outage answered {status}: {body}"
        assert after[0] == 200, f"the same call once PostgreSQL is back: {after}"
        assert rt.instance(job).status == "completed"
        assert len(rt.audit(job, "task.completed")) == 1
    except AssertionError as err:
        raise AssertionError(f"{err}\n{stack.logs()}") from err


def test_the_api_answers_json_while_postgres_is_unreachable(runtime, pg_url, stack, pg_proxy):
    rt = runtime(pg_url)
    deploy(rt)
    people = rt.people()
    token = api_token(rt, people.worker_id)
    [job] = start_burst(rt, people, 1, first_in=3600, spread=0, prefix="USER")
    task_id = rt.tasks(job)[0].id
    base = stack.web()
    listed = http("GET", f"{base}/api/v1/tasks", token=token)
    assert listed[0] == 200 and [t["id"] for t in listed[1]["tasks"]] == [task_id], listed
    pg_proxy.stop()
    try:
        answers = [http("GET", f"{base}/api/v1/tasks", token=token, timeout=PROMPT),
                   http("POST", f"{base}/api/v1/tasks/{task_id}/complete", token=token, body={"data": {"note": "x"}},
                        timeout=PROMPT)]
    finally:
        pg_proxy.start()
    for status, body, seconds in answers:
        assert status is not None and 500 <= status < 600, f"{status} after {seconds:.1f} s: {body!r:.200}"
        assert isinstance(body, dict) and set(body.get("error", {})) >= {"code", "message"}, \
            f"the {status} answer is not the API's JSON error: {body!r:.300}"
