"""Inbox and dashboard at scale: generated orders in PostgreSQL, the queries a worker's, an auditor's and a
leader's inbox page runs, and the leaders' month figures.

    .venv/bin/python benchmarks/scale.py [--orders 1000000] [--schools 10] [--samples 30] [--keep NAME]

``--keep NAME`` generates into database NAME once and measures it again on later runs (after upgrading it to
the newest schema); drop it by hand when done. Without it the database is a throw-away one.

The inbox figure is one page view's queries: the tab counts, the default tab's page, and the same page narrowed
by a domain filter (red orders). The dashboard figure is :func:`workflows.dashboard.figures` for the last full
month of one school. Then two writes among those rows, each rolled back so a kept database stays as it was:
a new order (its number counts the day's orders) and an auditor's review. Prints p50/p95/max and peak memory;
never fails on timing.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from runtime import percentile, scratch_database  # noqa: E402

from engine import advance  # noqa: E402
from engine.actor import Actor  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.deployments import deploy_path  # noqa: E402
from engine.inbox import TaskFilter, counts, task_page  # noqa: E402
from engine.models import HumanTask  # noqa: E402
from webapp.migrate import upgrade_to_head  # noqa: E402
from workflows.bootstrap import Runtime, bootstrap  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.colours import Colour  # noqa: E402
from workflows.dashboard.daily import refresh_all  # noqa: E402
from workflows.dashboard.figures import figures, local_day_bounds  # noqa: E402
from workflows.generator import Volume, generate  # noqa: E402
from workflows.people.models import Campus, School, User  # noqa: E402
from workflows.people.service import actor_for  # noqa: E402
from workflows.repair.enums import Channel, ReviewDecision  # noqa: E402
from workflows.repair.module import keys_where  # noqa: E402
from workflows.repair.service import Intake, create_order  # noqa: E402


def percentiles(label: str, times: list[float], target_ms: float | None = None) -> str:
    """One line of p50/p95/max in milliseconds (and the target, when there is one)."""
    line = (f"{label:<34} p50 {percentile(times, .5) * 1000:7.1f} ms   p95 {percentile(times, .95) * 1000:7.1f} ms   "
            f"max {max(times) * 1000:7.1f} ms   n={len(times)}")
    return line + (f"   (target ≤ {target_ms:g} ms)" if target_ms else "")


def inbox_view(session: Session, actor: Actor, at: datetime, school_id: int) -> None:
    """What the inbox page asks the database for one view: counts, the default tab, a red-orders filter."""
    tally = counts(session, actor, at=at)
    tab = "group" if not tally["mine"] and tally["group"] else "mine"
    task_page(session, actor, tab=tab, at=at)
    task_page(session, actor, tab=tab, at=at, flt=TaskFilter(only_keys=keys_where(school_id=school_id, colour=Colour.red, campus_id=None)))


def _people(session: Session, code: str) -> tuple[int, dict[str, Actor]]:
    """The school's auditor and leader, and its worker with the most tasks of their own."""
    school_id = session.scalar(select(School.id).where(School.code == code))
    busiest = session.scalar(select(HumanTask.assignee_id).where(HumanTask.school_id == school_id,
                                                                 HumanTask.assignee_id.is_not(None))
                             .group_by(HumanTask.assignee_id).order_by(func.count().desc()).limit(1))
    users = {"worker": session.get(User, busiest),
             "auditor": session.scalar(select(User).where(User.username == f"{code}-auditor")),
             "leader": session.scalar(select(User).where(User.username == f"{code}-leader"))}
    return school_id, {role: actor_for(session, user) for role, user in users.items()}


def measure(runtime: Runtime, samples: int) -> None:
    at = datetime.now(UTC)
    with unit_of_work(runtime.host.session_factory) as session:
        school_id, actors = _people(session, "gen0001")
        for role, actor in actors.items():
            tally = counts(session, actor, at=at)
            times = []
            for _ in range(samples):
                started = time.perf_counter()
                inbox_view(session, actor, at, school_id)
                times.append(time.perf_counter() - started)
            print(percentiles(f"inbox page queries, {role}", times, 50) + f"   (mine {tally['mine']}, group {tally['group']})")
        today = date.today()
        last_month_end = today.replace(day=1) - timedelta(days=1)
        start, end = local_day_bounds(last_month_end.replace(day=1), last_month_end)
        times = []
        for _ in range(max(3, samples // 6)):
            started = time.perf_counter()
            result = figures(session, school_id=school_id, start=start, end=end)
            times.append(time.perf_counter() - started)
        print(percentiles("dashboard month figures", times, 500) + f"   ({result['figures']['received']} orders that month)")
    print(percentiles("new order (intake)", _timed_and_undone(runtime, samples, _intake)))
    print(percentiles("review (complete a task)", _timed_and_undone(runtime, samples, _review)))
    print(f"{'':<34} process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _timed_and_undone(runtime: Runtime, samples: int, step: Callable[[Runtime, Session, int], Callable[[], object]]) -> list[float]:
    """Time what ``step(runtime, session, n)`` returns to do (its look-ups are not timed) in a transaction that is
    then rolled back, so a kept database stays as it was."""
    times = []
    for n in range(samples):
        session = runtime.host.session_factory()
        try:
            work = step(runtime, session, n)
            started = time.perf_counter()
            work()
            session.flush()
            times.append(time.perf_counter() - started)
        finally:
            session.rollback()
            session.close()
    return times


def _intake(runtime: Runtime, session: Session, n: int) -> Callable[[], object]:
    """A requester of the measured school reports a fault: the order row, its number and its process."""
    school_id = session.scalar(select(School.id).where(School.code == "gen0001"))
    requester = session.scalar(select(User).where(User.username.like("gen0001-r%")).order_by(User.id).limit(1))
    item = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == school_id,
                                                         CatalogueItem.parent_id.is_not(None)).limit(1))
    campus = session.scalar(select(Campus.id).where(Campus.school_id == school_id))
    return lambda: create_order(session, runtime.host, school_id=school_id, uploads_dir=runtime.uploads_dir, intake=Intake(
        channel=Channel.portal, requester_id=requester.id, contact_name="bench", contact_phone="13800000000",
        campus_id=campus, catalogue_item_id=item, description=f"bench {n}"))


def _review(runtime: Runtime, session: Session, n: int) -> Callable[[], object]:
    """The school's auditor accepts one of the orders waiting for review."""
    school_id = session.scalar(select(School.id).where(School.code == "gen0001"))
    task = session.scalars(select(HumanTask).where(HumanTask.school_id == school_id, HumanTask.task_name == "review")
                           .order_by(HumanTask.created_at).offset(n).limit(1)).one()
    actor = actor_for(session, session.scalar(select(User).where(User.username == "gen0001-auditor")))
    return lambda: advance.complete_task(runtime.host, session, task_id=task.id, actor=actor,
                                         data={"review": {"decision": ReviewDecision.accept}})


@contextmanager
def kept_database(url: str, name: str) -> Iterator[str]:
    """Database ``name`` next to ``url``, created when missing and left in place for the next run."""
    import psycopg

    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{url.rpartition('/')[0]}/{name}"


def generated(runtime: Runtime) -> bool:
    """Whether a kept database already holds generated orders."""
    with unit_of_work(runtime.host.session_factory) as session:
        return session.scalar(select(func.count(School.id)).where(School.code.like("gen%"))) > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--schools", type=int, default=10)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--no-timeline", action="store_true", help="skip the closed orders' audit timelines "
                        "(most of the rows; neither the inbox nor the dashboard reads them)")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", metavar="NAME", help="generate into database NAME once and reuse it")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    database = kept_database(args.database_url, args.keep) if args.keep else scratch_database(args.database_url)
    with database as url:
        runtime = bootstrap(database_url=url, data_dir=data_dir)
        upgrade_to_head(runtime.db_engine)
        if not generated(runtime):
            with unit_of_work(runtime.host.session_factory) as session:
                deploy_path(session, ROOT / "bpmn", registry=runtime.host.registry)
            done = generate(runtime, volume=Volume(schools=args.schools, orders=args.orders,
                                                        timeline=not args.no_timeline))
            print(f"generated {done.orders} orders ({done.open_orders} open) in {args.schools} schools, "
                  f"{sum(done.rows.values())} history rows, in {done.seconds:.0f} s "
                  f"({done.orders / done.seconds:.0f} orders/s)")
        with runtime.db_engine.begin() as conn:  # statistics are transactional: they must be committed
            conn.exec_driver_sql("ANALYZE")
        started = time.perf_counter()
        with unit_of_work(runtime.host.session_factory) as session:  # as the periodic job daily_figures does
            days = refresh_all(session)
        print(f"daily figures refreshed ({sum(days.values())} school-days) in {time.perf_counter() - started:.1f} s")
        measure(runtime, args.samples)
        runtime.db_engine.dispose()


if __name__ == "__main__":
    main()
