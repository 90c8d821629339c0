"""Flat cost in age: completing a task on a fresh repair order vs one left unreviewed for 30 days, and a step of
the 20th rectification round vs one of the first.

    .venv/bin/python benchmarks/age.py [--days 30] [--samples 15] [--rounds 20] [--database-url URL]

The old orders have had every hourly review reminder fire (720 of them, frozen clock moved hour by
hour); the benchmark then times the auditor's review on old and fresh orders and prints the state
sizes. Targets: ≤ 1.5× the fresh time, ≤ 64 KB of state.

Then ``--samples`` repaired orders go through ``--rounds`` rectification rounds each (rated one star, called back
as a real problem, rectified by the repair centre, followed up); the school's round limit is lifted for the
measurement (its rules page allows at most 10). The last round's four steps are timed beside round 1 of as many
fresh orders, step by step, so both meet the same machine; the figures are their median steps and the state
sizes. Targets: ≤ 1.3× round 1, ≤ 64 KB of state. It prints figures and never fails.
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
from forms.builder import validate_mapping  # noqa: E402
from rules.models import RuleSet  # noqa: E402
from rules.store import current_version  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.people.models import Campus, User  # noqa: E402
from workflows.people.service import actor_for  # noqa: E402
from workflows.repair.enums import Channel, JobAnswer, RealProblem, ReviewDecision  # noqa: E402
from workflows.repair.service import Intake, create_order  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
STARS = {"quality": "1", "efficiency": "1", "attitude": "1"}
ROUND = [("rate", "requester", {"overall": "1", "comment": "还是漏水", **STARS}),
         ("callback", "auditor", {"requester_said": "阀门还在滴水", "real_problem": RealProblem.yes}),
         ("rectify", "repair", {"result": "更换了整段水管"}),
         ("followup", "auditor", {"requester_said": "已回访，请再评价"})]


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


def _do(runtime: Runtime, number: str, name: str, username: str, raw: dict) -> float:
    """``username`` completes the order's open task ``name`` with ``raw`` as its form cleans it; the step's time."""
    with unit_of_work(runtime.host.session_factory) as session:
        task = session.scalar(select(HumanTask).where(HumanTask.business_key == number, HumanTask.task_name == name))
        source = lambda source_name: runtime.form_sources[source_name](  # noqa: E731
            session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
        valid, errors, data = validate_mapping(runtime.forms[task.form_key], raw, source=source)
        assert valid, errors
        actor = actor_for(session, session.scalar(select(User).where(User.username == username)))
        task_id = task.id
    started = time.perf_counter()
    with unit_of_work(runtime.host.session_factory) as session:
        advance.complete_task(runtime.host, session, task_id=task_id, actor=actor, data=data)
    return time.perf_counter() - started


def _repaired(runtime: Runtime, count: int) -> list[str]:
    """Orders reviewed, dispatched and repaired: each waits for its rating."""
    numbers = _report(runtime, count)
    with unit_of_work(runtime.host.session_factory) as session:
        worker = session.scalar(select(User.id).where(User.username == "worker"))
        team = session.scalar(select(CatalogueItem.default_team_id).where(CatalogueItem.code == "W01"))
    for number in numbers:
        _do(runtime, number, "review", "auditor", {"decision": ReviewDecision.accept})
        _do(runtime, number, "dispatch", "auditor", {"team_id": str(team), "worker_id": str(worker)})
        _do(runtime, number, "accept_job", "worker", {"decision": JobAnswer.accept})
        _do(runtime, number, "complete_job", "worker", {"result": "换了阀门"})
    return numbers


def _rounds(runtime: Runtime, rounds: int, samples: int) -> None:
    """``rounds`` rectification rounds on ``samples`` orders: the median step and the state of the first and last."""
    with unit_of_work(runtime.host.session_factory) as session:  # past the rules page's limit of 10, for the measure
        school = session.scalar(select(User.school_id).where(User.username == "requester"))
        version = current_version(session, school) + 1
        session.add(RuleSet(school_id=school, version=version, author="bench", comment="rounds",
                            content={"school": {"repair.rectification.max_rounds": rounds + 1}}))
        runtime.rules.records.saved(session, school, version)
    warm, *numbers = _repaired(runtime, samples + 1)
    for name, who, raw in ROUND:  # the first of each step reads and compiles what later ones find cached
        _do(runtime, warm, name, who, raw)
    for _round in range(rounds - 1):
        for number in numbers:
            for name, who, raw in ROUND:
                _do(runtime, number, name, who, raw)
    fresh = _repaired(runtime, samples)
    first: list[float] = []
    last: list[float] = []
    for name, who, raw in ROUND:  # round 1 of fresh orders beside the last round of the old ones, step by step
        for old, new in zip(numbers, fresh, strict=True):
            last.append(_do(runtime, old, name, who, raw))
            first.append(_do(runtime, new, name, who, raw))
    f, o = statistics.median(first) * 1000, statistics.median(last) * 1000
    print(f"rectification round 1 : median step {f:6.2f} ms   state {_size(runtime, fresh[0]) / 1024:5.1f} KB")
    print(f"rectification round {rounds}: median step {o:6.2f} ms   state {_size(runtime, numbers[0]) / 1024:5.1f} KB   "
          f"ratio {o / f:.2f}x (target ≤ 1.3x, ≤ 64 KB)")


def _size(runtime: Runtime, number: str) -> int:
    with unit_of_work(runtime.host.session_factory) as session:
        return session.scalar(select(func.length(ProcessInstance.state)).where(ProcessInstance.business_key == number))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=20, help="rectification rounds per order")
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
        print(f"{args.days * 24} hourly wake-ups of {args.samples} orders: {firing:.1f} s "
              f"({firing / (args.days * 24) * 1000:.1f} ms per pass)")
        print(f"review, fresh order : median {f:6.2f} ms   state {fresh_size / 1024:5.1f} KB")
        print(f"review, {args.days}-day order: median {o:6.2f} ms   state {old_size / 1024:5.1f} KB   ratio {o / f:.2f}x "
              f"(target ≤ 1.5x, ≤ 64 KB)")
        _rounds(runtime, args.rounds, args.samples)
    runtime.db_engine.dispose()
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
