"""Lifecycle throughput: quick jobs started and completed through the advance routine, against the
bare SpiffWorkflow library running the same diagram in memory with one JSON save per step.

    .venv/bin/python benchmarks/lifecycle.py [--seconds 3] [--runs 3] [--database-url URL]

Prints instances/s (median of runs), p50/p95 per lifecycle, peak memory and the ratio to the bare
figure. It never fails on timing; it only measures.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import resource
import os
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine import advance  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.deployments import deploy_path  # noqa: E402
from engine.host import Actor  # noqa: E402
from engine.models import HumanTask  # noqa: E402
from webapp.migrate import upgrade_to_head  # noqa: E402
from workflows.bootstrap import bootstrap  # noqa: E402

BUNDLE = ROOT / "bpmn" / "job_ticket"
ACTOR = Actor(id=1, name="bench", grants=frozenset({("worker", None)}))


def bare_lifecycle(runtime, bundle, serializer) -> None:
    wf = BpmnWorkflow(bundle.spec, bundle.subprocess_specs, script_engine=runtime.host.script_engine)
    wf.task_tree.set_data(team_id=1, title="bench")
    wf.do_engine_steps()
    state = serializer.serialize_json(wf)
    wf = serializer.deserialize_json(state)
    wf.script_engine = runtime.host.script_engine
    task = wf.get_next_task(state=TaskState.READY, manual=True)
    task.data["note"] = "done"
    task.run()
    wf.do_engine_steps()
    serializer.serialize_json(wf)


def host_lifecycle(runtime, number: int) -> None:
    host = runtime.host
    with unit_of_work(host.session_factory) as session:
        instance = advance.start(host, session, process_key="job_ticket", business_key=f"B-{number}",
                                 data={"team_id": 1, "title": "bench"})
        instance_id = instance.id
    with unit_of_work(host.session_factory) as session:
        task_id = session.query(HumanTask.id).filter(HumanTask.instance_id == instance_id).scalar()
        advance.complete_task(host, session, task_id=task_id, actor=ACTOR, data={"note": "done"})


def measure(label: str, fn, seconds: float, runs: int) -> float:
    rates, latencies = [], []
    for _ in range(runs):
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            t0 = time.perf_counter()
            fn(count)
            latencies.append(time.perf_counter() - t0)
            count += 1
        rates.append(count / (time.perf_counter() - started))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    latencies.sort()
    rate = statistics.median(rates)
    p50 = latencies[len(latencies) // 2] * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(f"{label:<34} {rate:8.1f} lifecycles/s   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   "
          f"max {latencies[-1] * 1000:7.2f} ms   process max RSS {peak / 1e6:6.1f} MB   runs {[round(r) for r in rates]}")
    return rate


@contextmanager
def scratch_database(url: str):
    """PostgreSQL: a throw-away database next to the given one, so runs never meet old tables."""
    if not url.startswith("postgresql"):
        yield url
        return
    import psycopg

    base, _, _db = url.rpartition("/")
    name = f"houqin_bench_{os.getpid()}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_runtime(url: str, data_dir: Path):
    """The runtime on ``url`` as a school would run it: schema at head, the shipped diagrams, the demo school."""
    from webapp.migrate import upgrade_to_head
    from workflows.bootstrap import bootstrap
    from workflows.demo import seed

    runtime = bootstrap(database_url=url, data_dir=data_dir)
    upgrade_to_head(runtime.db_engine)
    with unit_of_work(runtime.host.session_factory) as session:
        deploy_path(session, ROOT / "bpmn", registry=runtime.host.registry)
        seed(session, runtime.host)
    return runtime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", action="append",
                        help="repeatable; default: a temporary SQLite file and postgresql+psycopg://postgres@127.0.0.1/test")
    args = parser.parse_args()
    urls = args.database_url or [f"sqlite:///{tempfile.mkdtemp()}/bench.db", "postgresql+psycopg://postgres@127.0.0.1:5432/test"]

    first = bootstrap(database_url=urls[0])
    upgrade_to_head(first.db_engine)
    with unit_of_work(first.host.session_factory) as session:
        deploy_path(session, BUNDLE, registry=first.host.registry)
        bundle = first.host.specs.get(advance.active_definition(session, "job_ticket"))
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    bare = measure("bare SpiffWorkflow + JSON saves", lambda n: bare_lifecycle(first, bundle, serializer), args.seconds, args.runs)
    for url in urls:
        try:
            with scratch_database(url) as scratch:
                runtime = bootstrap(database_url=scratch)
                upgrade_to_head(runtime.db_engine)
                with unit_of_work(runtime.host.session_factory) as session:
                    deploy_path(session, BUNDLE, registry=runtime.host.registry)
                rate = measure(f"advance routine ({runtime.db_engine.dialect.name})",
                               lambda n: host_lifecycle(runtime, n), args.seconds, args.runs)
                print(f"{'':<34} ratio to bare: {rate / bare:.0%}")
                runtime.db_engine.dispose()
        except Exception as err:  # a missing server is reported, not fatal, for a benchmark
            print(f"{url.split('://')[0]:<34} unavailable: {type(err).__name__}: {err}".splitlines()[0])


if __name__ == "__main__":
    main()
