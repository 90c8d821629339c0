"""Timer sweep at scale: 100,000 open repair orders with waiting timers in PostgreSQL.

    .venv/bin/python benchmarks/sweep.py [--orders 100000] [--due 1000] [--workers 1 2] [--runs 3]

1. the cost of a wake-up sweep when nothing is due (the beat job's claim query), p50/p95/max;
2. the time for real Celery workers (1, then 2 processes) to fire ``--due`` timers that are due,
   through beat and the advance routine: throughput, lateness of each firing after its due instant,
   and duplicates (reminders sent twice for one firing; must be 0); each run's figures and the median of runs.
Instances are cloned in bulk from one real order's state, so every row is a genuine waiting workflow.
It prints figures and never fails on timing. Needs PostgreSQL and Redis on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import redis
import time_machine
from sqlalchemy import func, insert, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from runtime import demo_runtime, percentile, scratch_database, server_rss_mb  # noqa: E402

from engine.clock import now  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.models import OutboxMessage, ProcessInstance  # noqa: E402
from engine.timers import claim_for_enqueue  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.generator import copy_state  # noqa: E402
from workflows.people.models import Campus, User  # noqa: E402
from workflows.repair.enums import Channel  # noqa: E402
from workflows.repair.service import Intake, create_order  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


def _template(runtime: Runtime) -> ProcessInstance:
    """One real order, reported two hours ago: its hourly review reminder is due now."""
    with time_machine.travel(now() - timedelta(hours=2), tick=False):
        with unit_of_work(runtime.host.session_factory) as session:
            requester = session.scalar(select(User).where(User.username == "requester"))
            order = create_order(session, runtime.host, school_id=requester.school_id, uploads_dir=runtime.uploads_dir,
                                 intake=Intake(channel=Channel.portal, requester_id=requester.id, contact_name="bench",
                                               contact_phone="13800000000", campus_id=session.scalar(select(Campus.id)),
                                               catalogue_item_id=session.scalar(
                                                   select(CatalogueItem.id).where(CatalogueItem.code == "W01")),
                                               description="bench"))
            return session.get(ProcessInstance, order.instance_id)


def _clone(runtime: Runtime, template: ProcessInstance, count: int) -> None:
    at = now()
    rows = [{"definition_id": template.definition_id, "process_key": template.process_key, "business_key": f"SWEEP-{n}",
             "school_id": template.school_id, "status": "running", "state": copy_state(template.state)[0],
             "serializer_version": template.serializer_version, "version": 1, "started_at": at, "updated_at": at,
             "next_wake_at": at + timedelta(days=1, seconds=n % 86400)} for n in range(count)]
    with unit_of_work(runtime.host.session_factory) as session:
        for start in range(0, count, 5000):
            session.execute(insert(ProcessInstance), rows[start:start + 5000])
        session.execute(update(ProcessInstance).where(ProcessInstance.id == template.id)  # the template waits too
                        .values(next_wake_at=at + timedelta(days=2)))


def _empty_sweeps(runtime: Runtime, runs: int = 50) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with unit_of_work(runtime.host.session_factory) as session:
            assert claim_for_enqueue(session, until=now() + timedelta(minutes=5), resend_after=timedelta(minutes=5)) == []
        times.append(time.perf_counter() - started)
    return times


def _make_due(runtime: Runtime, count: int, offset: int) -> datetime:
    """Bring ``count`` clones that have not fired yet (from ``offset`` on) due now."""
    due = now() - timedelta(seconds=1)
    with unit_of_work(runtime.host.session_factory) as session:
        ids = list(session.scalars(select(ProcessInstance.id).where(ProcessInstance.business_key.like("SWEEP-%"))
                                   .order_by(ProcessInstance.id).offset(offset).limit(count)))
        session.execute(update(ProcessInstance).where(ProcessInstance.id.in_(ids))
                        .values(next_wake_at=due, wake_enqueued_for=None))
    return due


def _fire(runtime: Runtime, url: str, redis_url: str, workers: int, due_count: int, offset: int, data_dir: Path) -> tuple[float, float]:
    """One run: ``due_count`` timers made due at once, fired by ``workers`` Celery processes; (seconds, max lateness)."""
    redis.Redis.from_url(redis_url).flushdb()
    due = _make_due(runtime, due_count, offset)
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=redis_url, HOUQIN_TIMER_SWEEP_SECONDS="1",
               HOUQIN_DATA_DIR=str(data_dir), SECRET_KEY="bench")
    celery = str(Path(sys.executable).with_name("celery"))
    procs = [subprocess.Popen([celery, "-A", "webapp.worker", "worker", "--loglevel=WARNING", f"--concurrency={workers}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True),
             subprocess.Popen([celery, "-A", "webapp.worker", "beat", "--loglevel=WARNING", "-s", str(data_dir / f"beat-{workers}")],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < 600:
            with unit_of_work(runtime.host.session_factory) as session:
                left = session.scalar(select(func.count(ProcessInstance.id))
                                      .where(ProcessInstance.next_wake_at <= due + timedelta(seconds=1)))
            if not left:
                break
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        worker_rss = server_rss_mb(procs[0].pid)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=20)
    with unit_of_work(runtime.host.session_factory) as session:
        fired = list(session.execute(select(OutboxMessage.business_key, OutboxMessage.created_at).where(
            OutboxMessage.kind == "repair.review_overdue", OutboxMessage.created_at >= due)))
        session.execute(update(ProcessInstance).where(ProcessInstance.next_wake_at > due + timedelta(seconds=1),
                                                      ProcessInstance.business_key.like("SWEEP-%"))
                        .values(next_wake_at=now() + timedelta(days=1)))
        session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.created_at >= due))
    per_order: dict[str, int] = {}
    for key, _at in fired:
        per_order[key] = per_order.get(key, 0) + 1
    lateness = sorted((at - due).total_seconds() for _key, at in fired) or [float("nan")]
    print(f"{workers} worker process(es): {len(per_order)} of {due_count} fired in {elapsed:.1f} s "
          f"({len(per_order) / elapsed:.0f}/s); lateness p50 {percentile(lateness, .5):.1f} s, "
          f"p95 {percentile(lateness, .95):.1f} s, max {lateness[-1]:.1f} s; "
          f"duplicates {sum(c - 1 for c in per_order.values())}; Celery worker RSS {worker_rss:.0f} MB")
    return elapsed, lateness[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3, help="runs of --due firings per worker count (median printed)")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15", help="a Redis database it may empty")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    with scratch_database(args.database_url) as url:
        runtime = demo_runtime(url, data_dir)
        started = time.perf_counter()
        _clone(runtime, _template(runtime), args.orders)
        print(f"{args.orders} open orders with waiting timers inserted in {time.perf_counter() - started:.1f} s")
        with runtime.db_engine.begin() as conn:  # statistics are transactional: they must be committed
            conn.exec_driver_sql("ANALYZE process_instance")
        sweeps = sorted(_empty_sweeps(runtime))
        print(f"empty sweep (nothing due): p50 {statistics.median(sweeps) * 1000:.2f} ms, "
              f"p95 {percentile(sweeps, .95) * 1000:.2f} ms, max {sweeps[-1] * 1000:.2f} ms (target ≤ 10 ms)")
        batch = 0
        for workers in args.workers:
            results = []
            for _run in range(args.runs):
                results.append(_fire(runtime, url, args.redis_url, workers, args.due, batch * args.due, data_dir))
                batch += 1
            if args.runs > 1:
                elapsed = statistics.median(r[0] for r in results)
                print(f"{workers} worker process(es), median of {args.runs} runs: {elapsed:.1f} s "
                      f"({args.due / elapsed:.0f}/s), max lateness {statistics.median(r[1] for r in results):.1f} s "
                      f"(worst run {max(r[1] for r in results):.1f} s)")
        redis.Redis.from_url(args.redis_url).flushdb()  # the runs' Celery messages and results
        runtime.db_engine.dispose()


if __name__ == "__main__":
    main()
