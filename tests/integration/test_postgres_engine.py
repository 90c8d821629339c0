"""The production database path on PostgreSQL: migrations, the advance routine, row locks.

Concurrency here is real: each thread has its own session and connection, and interleavings
are forced by watching ``pg_stat_activity`` for a backend that waits on a lock (never by sleeping).
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from click.testing import CliRunner
from factories import BPMN_DIR, actor
from sqlalchemy import inspect, select, text

from engine import advance
from engine.errors import ConcurrentUpdate, TaskNotReady
from engine.models import ProcessInstance
from engine.timers import claim_for_enqueue
from engine.wakeups import run_once, wake_due
from workflows.notifications.models import Notification

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(runtime, migrated_pg_url):
    return runtime(migrated_pg_url)


def _psycopg_url(pg_url: str) -> str:
    return pg_url.replace("postgresql+psycopg://", "postgresql://")


def _wait_until_blocked_on_a_lock(pg_url: str, *, timeout: float = 15.0) -> None:
    """Return once some other backend in this database waits for a row lock."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(_psycopg_url(pg_url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute("select count(*) from pg_stat_activity where datname = current_database() "
                                   "and wait_event_type = 'Lock'").fetchone()[0]
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never blocked on the row lock")


def _while_held(holder, work, *, timeout: float = 10.0):
    """Run ``work()`` in another thread while ``holder`` keeps its transaction (and row locks) open.

    If ``work`` blocks on those locks instead of skipping them, the holder is released so that
    the test fails fast instead of deadlocking.
    """
    result: list = []
    errors: list[BaseException] = []

    def run():
        try:
            result.append(work())
        except BaseException as err:  # handed back to the test thread
            errors.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    blocked = thread.is_alive()
    if blocked:
        holder.rollback()
        thread.join(30)
    if errors:
        raise errors[0]
    assert not blocked, "the work waited for the row lock instead of skipping it"
    return result[0]


def _job(pg, people, due: str = "PT12H", business_key: str = "WO-1") -> tuple[int, str]:
    iid = pg.start("timer_task", business_key=business_key, school_id=people.school_id,
                   data={"worker_id": people.worker_id, "job_due": due})
    return iid, pg.task(iid, "do_job").id


@pytest.fixture
def people(pg):
    return pg.people()


@pytest.fixture
def deployed(pg, clock):
    pg.deploy_scenario("timer_task")
    return pg


def test_migrations_create_exactly_the_models_schema(runtime, pg_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from workflows.bootstrap import import_models

    fresh = runtime(pg_url)  # an empty database, migrated from scratch
    with fresh.runtime.db_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), import_models().metadata)
    assert diffs == [], "models and migrations disagree; add a migration"


def test_init_db_and_deploy_through_the_cli(pg_url, tmp_path, monkeypatch):
    from flask.cli import ScriptInfo

    from webapp import create_app
    from webapp.cli import cli

    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("HOUQIN_DATA_DIR", str(tmp_path))
    apps = []

    def invoke(*args: str):
        # the same app factory the `houqin` command uses, kept so its connection pool can be closed
        info = ScriptInfo(create_app=lambda: apps.append(create_app()) or apps[-1])
        return CliRunner().invoke(cli, list(args), obj=info)

    try:
        for _ in range(2):  # idempotent: the second run finds the schema at head
            result = invoke("init-db")
            assert result.exit_code == 0, result.output
        deployed = invoke("deploy", str(BPMN_DIR / "job_ticket"))
        assert deployed.exit_code == 0 and "job_ticket v1: deployed" in deployed.output, deployed.output
    finally:
        for app in apps:
            app.extensions["houqin"].db_engine.dispose()
    assert len(apps) == 3 and str(apps[0].extensions["houqin"].db_engine.url).endswith(pg_url.rsplit("/", 1)[1])

    with psycopg.connect(_psycopg_url(pg_url)) as conn:
        tables = {r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public'")}
        assert {"alembic_version", "process_definition", "process_instance", "human_task", "audit_event", "outbox"} <= tables
        assert conn.execute("select count(*) from alembic_version").fetchone()[0] == 1
        assert conn.execute("select process_key, version, active from process_definition").fetchall() == [("job_ticket", 1, True)]


def test_advance_routine_end_to_end(deployed, people, clock):
    pg = deployed
    iid, task_id = _job(pg, people)
    inst = pg.instance(iid)
    assert inst.next_wake_at == clock.start + timedelta(hours=12, seconds=1) and inst.next_wake_at.tzinfo is not None

    clock.advance(hours=12, seconds=1)
    result = run_once(pg.host)
    assert [(o.instance_id, o.status) for o in result.woken] == [(iid, "advanced")]
    [message] = pg.outbox(iid)
    assert (message.status, message.attempts) == ("sent", 1)
    with pg.session() as session:
        assert list(session.scalars(select(Notification.user_id))) == [people.worker_id]

    assert pg.complete(task_id, actor(people.worker_id), {"note": "done"}) == "completed"
    assert pg.instance(iid).status == "completed" and pg.tasks(iid) == []
    assert [e.action for e in pg.audit(iid)][-2:] == ["task.closed", "instance.completed"]


def _complete_in_thread(pg, task_id, who, note, barrier, results):
    session = pg.host.session_factory()
    try:
        barrier.wait(timeout=10)
        advance.complete_task(pg.host, session, task_id=task_id, actor=who, data={"note": note})
        session.commit()
        results.append(("ok", note))
    except (TaskNotReady, ConcurrentUpdate) as err:
        session.rollback()
        results.append((type(err).__name__, note))
    except Exception as err:  # anything else is a bug: report it instead of hanging the test
        session.rollback()
        results.append((f"unexpected {type(err).__name__}: {err}", note))
    finally:
        session.close()


@pytest.mark.parametrize("round_", range(5))
def test_two_threads_complete_the_same_task_exactly_one_wins(deployed, people, round_):
    pg = deployed
    iid, task_id = _job(pg, people, business_key=f"RACE-{round_}")
    worker = actor(people.worker_id)
    barrier = threading.Barrier(2)
    results: list[tuple[str, str]] = []
    threads = [threading.Thread(target=_complete_in_thread, args=(pg, task_id, worker, note, barrier, results))
               for note in ("from thread A", "from thread B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    outcomes = sorted(kind for kind, _ in results)
    assert len(results) == 2 and outcomes.count("ok") == 1, results
    assert set(outcomes) - {"ok"} <= {"TaskNotReady", "ConcurrentUpdate"}, results
    winner = next(note for kind, note in results if kind == "ok")
    assert pg.instance(iid).status == "completed"
    assert pg.data(iid)["note"] == winner
    [completed] = pg.audit(iid, "task.completed")
    assert completed.details == {"added": {"note": winner}}
    assert len(pg.audit(iid, "instance.completed")) == 1 and pg.tasks(iid) == []


def test_second_writer_waits_for_the_lock_then_finds_the_task_gone(deployed, people, migrated_pg_url):
    pg = deployed
    iid, task_id = _job(pg, people)
    worker = actor(people.worker_id)
    first = pg.host.session_factory()
    advance.complete_task(pg.host, first, task_id=task_id, actor=worker, data={"note": "first"})  # holds the row lock

    results: list[tuple[str, str]] = []
    go = threading.Barrier(2)
    second = threading.Thread(target=_complete_in_thread, args=(pg, task_id, worker, "second", go, results))
    second.start()
    go.wait(timeout=10)
    try:
        _wait_until_blocked_on_a_lock(migrated_pg_url)
        assert results == [], "the second writer must wait while the first holds the lock"
    finally:
        first.commit()
        first.close()
    second.join(timeout=30)

    assert results == [("TaskNotReady", "second")]
    assert pg.data(iid)["note"] == "first" and len(pg.audit(iid, "task.completed")) == 1


def test_background_wake_skips_a_locked_instance_and_reports_locked(deployed, people, clock):
    pg = deployed
    iid, task_id = _job(pg, people)
    clock.advance(hours=12, seconds=1)
    holder = pg.host.session_factory()
    advance.complete_task(pg.host, holder, task_id=task_id, actor=actor(people.worker_id), data={"note": "busy"})
    try:
        assert _while_held(holder, lambda: pg.wake(iid).status) == "locked"
        assert _while_held(holder, lambda: [o.status for o in wake_due(pg.host)]) == ["locked"]
    finally:
        holder.rollback()
        holder.close()

    # once the holder is gone the same wake goes through and fires the reminder
    assert pg.wake(iid).status == "advanced"
    assert [m.kind for m in pg.outbox(iid)] == ["job.overdue"]


def test_claim_for_enqueue_never_hands_out_the_same_wake_twice(deployed, people, clock):
    pg = deployed
    ids = [_job(pg, people, due="PT1H", business_key=f"C-{n}")[0] for n in range(12)]
    clock.advance(hours=1)
    until = clock.now + timedelta(minutes=5)

    # a claim in an open transaction hides its rows from a concurrent claimer (SKIP LOCKED)
    holder = pg.host.session_factory()
    held = claim_for_enqueue(holder, until=until, limit=5)

    def claim_rest():
        with pg.session() as session:
            return claim_for_enqueue(session, until=until)

    try:
        concurrent = _while_held(holder, claim_rest)
        holder.commit()
    finally:
        holder.close()
    assert len(held) == 5
    assert not {i for i, _ in held} & {i for i, _ in concurrent}
    assert sorted(i for i, _ in held + concurrent) == ids

    # nothing is claimable twice for the same instant, even by many claimers at once
    barrier = threading.Barrier(4)
    again: list[list[tuple[int, object]]] = []

    def claim():
        with pg.session() as session:
            barrier.wait(timeout=10)
            again.append(claim_for_enqueue(session, until=until))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert again == [[], [], [], []]


def test_concurrent_claimers_split_the_due_instances_without_overlap(deployed, people, clock):
    pg = deployed
    ids = [_job(pg, people, due="PT1H", business_key=f"S-{n}")[0] for n in range(30)]
    clock.advance(hours=1)
    until = clock.now + timedelta(minutes=5)
    barrier = threading.Barrier(3)
    claims: list[list[int]] = []

    def claim():
        with pg.session() as session:
            barrier.wait(timeout=10)
            claims.append([i for i, _ in claim_for_enqueue(session, until=until, limit=12)])

    threads = [threading.Thread(target=claim) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    flat = [i for batch in claims for i in batch]
    assert len(flat) == len(set(flat)), f"an instance was claimed twice: {claims}"
    assert set(flat) <= set(ids)
    with pg.session() as session:
        enqueued = session.scalars(select(ProcessInstance.id).where(ProcessInstance.wake_enqueued_for.is_not(None)))
        assert sorted(enqueued) == sorted(flat)


def test_rolled_back_claim_is_released_for_the_next_claimer(deployed, people, clock):
    pg = deployed
    iid, _ = _job(pg, people, due="PT1H")
    clock.advance(hours=1)
    until = clock.now + timedelta(minutes=5)
    with pytest.raises(RuntimeError):
        with pg.session() as session:
            assert [i for i, _ in claim_for_enqueue(session, until=until)] == [iid]
            raise RuntimeError("beat crashed before enqueueing")
    with pg.session() as session:
        assert [i for i, _ in claim_for_enqueue(session, until=until)] == [iid]


def test_timestamps_are_stored_with_time_zone_and_the_wake_column_is_indexed(deployed, people, clock):
    pg = deployed
    iid, _ = _job(pg, people)
    with pg.runtime.db_engine.connect() as conn:
        columns = {c["name"]: c for c in inspect(conn).get_columns("process_instance")}
        assert columns["next_wake_at"]["type"].timezone is True
        indexes = {tuple(ix["column_names"]) for ix in inspect(conn).get_indexes("process_instance")}
        assert ("next_wake_at",) in indexes
        # a different session time zone does not move the instant
        conn.execute(text("set time zone 'Asia/Shanghai'"))
        stored = conn.execute(text("select next_wake_at from process_instance where id = :i"), {"i": iid}).scalar()
    assert stored == clock.start + timedelta(hours=12, seconds=1)


def test_a_claim_whose_task_was_lost_is_claimed_again_once_stale(deployed, people, clock):
    """A wake-up claimed by beat but never run (worker killed) is enqueued again once ``resend_after`` has passed."""
    iid = _job(deployed, people, due="PT1H", business_key="LOST-1")[0]
    clock.advance(hours=1, seconds=2)
    resend = timedelta(seconds=20)
    with deployed.session() as session:
        assert [i for i, _ in claim_for_enqueue(session, until=clock.now, resend_after=resend)] == [iid]
    clock.advance(seconds=19)
    with deployed.session() as session:
        assert claim_for_enqueue(session, until=clock.now, resend_after=resend) == []
    clock.advance(seconds=2)
    with deployed.session() as session:
        assert [i for i, _ in claim_for_enqueue(session, until=clock.now, resend_after=resend)] == [iid]
