"""Flat cost in age: completing a task on a fresh repair order vs one left unreviewed for 30 days.

    .venv/bin/python benchmarks/age.py [--days 30] [--samples 15] [--database-url URL]

The old orders have had every hourly review reminder fire (720 of them, frozen clock moved hour by
hour); the benchmark then times the auditor's review on old and fresh orders and prints the state
sizes. Targets: ≤ 1.5× the fresh time, ≤ 64 KB of state. It prints figures and never fails.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import time_machine
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from runtime import demo_runtime, scratch_database  # noqa: E402

from engine import advance  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.models import HumanTask, ProcessInstance  # noqa: E402
from engine.wakeups import run_once  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.people.models import Campus, User  # noqa: E402
from workflows.people.service import actor_for  # noqa: E402
from workflows.repair.enums import Channel, ReviewDecision  # noqa: E402
from workflows.repair.service import Intake, create_order  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _report(runtime: Runtime, count: int) -> list[str]:
    with unit_of_work(runtime.host.session_factory) as session:
        requester = session.scalar(select(User).where(User.username == "requester"))
        item = session.scalar(select(CatalogueItem.id).where(CatalogueItem.code == "W01"))
        campus = session.scalar(select(Campus.id))
        return [create_order(session, runtime.host, school_id=requester.school_id, uploads_dir=runtime.uploads_dir,
                             intake=Intake(channel=Channel.portal, requester_id=requester.id, contact_name="bench",
                                           contact_phone="13800000000", campus_id=campus, catalogue_item_id=item,
                                           description="bench")).number for _ in range(count)]


def _review(runtime: Runtime, number: str) -> float:
    with unit_of_work(runtime.host.session_factory) as session:
        auditor = session.scalar(select(User).where(User.username == "auditor"))
        task = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == "review"))
        actor = actor_for(session, auditor)
    started = time.perf_counter()
    with unit_of_work(runtime.host.session_factory) as session:
        advance.complete_task(runtime.host, session, task_id=task, actor=actor, data={"review": {"decision": ReviewDecision.accept}})
    return time.perf_counter() - started


def _size(runtime: Runtime, number: str) -> int:
    with unit_of_work(runtime.host.session_factory) as session:
        return session.scalar(select(func.length(ProcessInstance.state)).where(ProcessInstance.business_key == number))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    with scratch_database(args.database_url or f"sqlite:///{data_dir}/age.db") as url:
        measure(url, data_dir, args)


def measure(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    with time_machine.travel(START, tick=False) as clock:
        runtime = demo_runtime(url, data_dir)
        old = _report(runtime, args.samples)
        fired_started = time.perf_counter()
        for hour in range(1, args.days * 24 + 1):
            clock.move_to(START + timedelta(hours=hour, seconds=2))
            run_once(runtime.host)
        firing = time.perf_counter() - fired_started
        fresh = _report(runtime, args.samples)
        old_size, fresh_size = _size(runtime, old[0]), _size(runtime, fresh[0])
        old_times = [_review(runtime, n) for n in old]
        fresh_times = [_review(runtime, n) for n in fresh]
    o, f = statistics.median(old_times) * 1000, statistics.median(fresh_times) * 1000
    runtime.db_engine.dispose()
    print(f"{args.days * 24} hourly wake-ups of {args.samples} orders: {firing:.1f} s "
          f"({firing / (args.days * 24) * 1000:.1f} ms per pass)")
    print(f"review, fresh order : median {f:6.2f} ms   state {fresh_size / 1024:5.1f} KB")
    print(f"review, {args.days}-day order: median {o:6.2f} ms   state {old_size / 1024:5.1f} KB   ratio {o / f:.2f}x "
          f"(target ≤ 1.5x, ≤ 64 KB)")
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
