"""Lifecycle throughput: whole repair orders (intake → review → dispatch → accept → complete → rate → close)
through the advance routine, against the bare SpiffWorkflow library running the same diagram in memory with
one JSON save per step.

    .venv/bin/python benchmarks/lifecycle.py [--seconds 3] [--runs 3] [--database-url URL ...]

The advance routine does what the web pages do, one transaction per step: the intake creates the work order
and starts its instance; the auditor reviews and dispatches, the worker takes and completes the job, the
requester rates it five stars and the order closes. Each step locks the instance, loads its state, runs the
diagram's scripts (the domain's ``order_step`` writes the work order, ``rule_*`` read the school's rules),
projects the inbox rows, writes the audit trail and saves the state.

The bare figures run the same repair diagram with SpiffWorkflow's own script engine (its helpers are stubs
that return what the real ones would) and the library's stock serializer, twice: with the workflow object kept
in memory between steps and serialised once after each, and with it rebuilt from that save before every step,
as a host that serves each step in a new request must. Prints lifecycles/s (median of runs), p50/p95 per
lifecycle, peak memory and the ratio to both bare figures. It never fails on timing; it only measures.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import redis  # noqa: E402
from runtime import demo_runtime, percentile, scratch_database  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine import advance  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.models import HumanTask  # noqa: E402
from forms.builder import validate_mapping  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.people.models import Campus, User  # noqa: E402
from workflows.people.service import actor_for  # noqa: E402
from workflows.repair.enums import Channel, JobAnswer, RealProblem, ReviewDecision  # noqa: E402
from workflows.repair.service import Intake, create_order  # noqa: E402

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engine.deployments import ParsedBundle
    from workflows.bootstrap import Runtime

STARS = {"quality": "5", "efficiency": "5", "attitude": "5"}
ONE_STAR = {"overall": "1", "quality": "1", "efficiency": "1", "attitude": "1", "comment": "还是漏水"}
CALLBACK = {"requester_said": "阀门还在滴水，师傅已约好明天再看", "real_problem": RealProblem.no}


def bad_path(number: int, callbacks: bool) -> bool:
    """With ``callbacks``, every second lifecycle is rated one star and called back (resolved on the call)."""
    return callbacks and number % 2 == 1


class RepairDriver:
    """One school's people and the form answers of a good-path repair, validated once by the real forms."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        with unit_of_work(runtime.host.session_factory) as session:
            users = {name: session.scalar(select(User).where(User.username == name))
                     for name in ("requester", "auditor", "worker")}
            self.actors = {name: actor_for(session, user) for name, user in users.items()}
            self.requester, self.worker_id = users["requester"], users["worker"].id
            self.item_id = session.scalar(select(CatalogueItem.id).where(CatalogueItem.code == "W01"))
            self.campus_id = session.scalar(select(Campus.id).where(Campus.school_id == self.requester.school_id))
        self.answers: dict[str, dict] = {}

    def steps(self, team_id: int, *, bad: bool = False) -> list[tuple[str, str, dict]]:
        """(task, who, what they submit) from review to rating; ``bad``: one star, then the auditor's callback."""
        rating = ONE_STAR if bad else {"overall": "5", "comment": "师傅很专业", **STARS}
        return [("review", "auditor", {"decision": ReviewDecision.accept}),
                ("dispatch", "auditor", {"team_id": str(team_id), "worker_id": str(self.worker_id)}),
                ("accept_job", "worker", {"decision": JobAnswer.accept}),
                ("complete_job", "worker", {"result": "换了阀门", "materials": "阀门 1 个"}),
                ("rate", "requester", rating),
                *([("callback", "auditor", CALLBACK)] if bad else [])]

    def lifecycle(self, number: int, *, callbacks: bool = False) -> None:
        host = self.runtime.host
        with unit_of_work(host.session_factory) as session:
            order = create_order(session, host, school_id=self.requester.school_id, uploads_dir=self.runtime.uploads_dir,
                                 intake=Intake(channel=Channel.portal, requester_id=self.requester.id,
                                               contact_name="bench", contact_phone="13800000000", campus_id=self.campus_id,
                                               catalogue_item_id=self.item_id, description=f"bench {number}"))
            key, team_id = order.number, order.team_id
        bad = bad_path(number, callbacks)
        for name, who, raw in self.steps(team_id, bad=bad):
            with unit_of_work(host.session_factory) as session:
                task = session.scalar(select(HumanTask).where(HumanTask.business_key == key, HumanTask.task_name == name))
                advance.complete_task(host, session, task_id=task.id, actor=self.actors[who],
                                      data=self._cleaned(session, task, raw, bad))

    def _cleaned(self, session: Session, task: HumanTask, raw: dict, bad: bool) -> dict:
        """What the task's form makes of ``raw`` (validated on first use, as the page would)."""
        key = answer_key(task.task_name, bad)
        if key not in self.answers:
            source = lambda name: self.runtime.form_sources[name](  # noqa: E731
                session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
            valid, errors, cleaned = validate_mapping(self.runtime.forms[task.form_key], raw, source=source)
            assert valid, errors
            self.answers[key] = cleaned
        return self.answers[key]


def answer_key(task_name: str, bad: bool) -> str:
    """The rating differs on the callback path; every other answer is the same on both."""
    return f"{task_name} (bad)" if bad and task_name == "rate" else task_name


class BareRepair:
    """The repair diagram on SpiffWorkflow alone: stub helpers, state in memory, one JSON save per step."""

    STEP_RESULTS = {"reviewed": {"entered_by": None}, "dispatched": {"worker_id": 3, "team_id": 1},
                    "job_accepted": {"worker_id": 3}}

    def __init__(self, bundle: ParsedBundle, answers: dict[str, dict], *, keep_in_memory: bool = False,
                 callbacks: bool = False) -> None:
        self.bundle, self.answers, self.keep_in_memory, self.callbacks = bundle, answers, keep_in_memory, callbacks
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        later = lambda: (datetime.now(UTC) + timedelta(days=1)).isoformat()  # noqa: E731
        self.engine = PythonScriptEngine(environment=TaskDataEnvironment({
            "order_step": self._step,
            "notify": lambda *args, **kwargs: None,
            "rule_cycle": lambda first, repeat: f"R/{later()}/PT1H",
            "rule_duration": lambda key: "P3D",
            "rule_value": lambda key: 3,
        }))

    def _step(self, name: str, *args: object) -> dict:
        if name == "rated":
            overall = int(args[1]["overall"])  # type: ignore[index]
            return {"overall": overall, "bad": overall < 3, "default": False, "round": 0}
        return dict(self.STEP_RESULTS.get(name, {}))

    def lifecycle(self, number: int) -> None:
        wf = BpmnWorkflow(self.bundle.spec, self.bundle.subprocess_specs, script_engine=self.engine)
        wf.task_tree.set_data(order_id=number, order_number=f"B{number}", requester_id=1, unit_id=1, team_id=1,
                              urgency="normal", rect_round=0, rule_category="W")
        saved = self._run(wf)
        bad = bad_path(number, self.callbacks)
        for name in ("review", "dispatch", "accept_job", "complete_job", "rate", *(["callback"] if bad else [])):
            wf = self._reload(saved)
            [task] = [t for t in wf.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == name]
            task.task_spec.add_data_from_form(task, self.answers[answer_key(name, bad)])
            task.run()
            saved = self._run(wf)
        assert self._reload(saved).is_completed() or self.keep_in_memory, "the bare repair did not close"

    def _run(self, wf: BpmnWorkflow) -> BpmnWorkflow | str:
        wf.refresh_timers()
        wf.do_engine_steps()
        state = self.serializer.serialize_json(wf)
        return wf if self.keep_in_memory else state

    def _reload(self, saved: BpmnWorkflow | str) -> BpmnWorkflow:
        if self.keep_in_memory:
            return saved
        wf = self.serializer.deserialize_json(saved)
        wf.script_engine = self.engine
        return wf


def measure(label: str, fn: Callable[[int], None], seconds: float, runs: int) -> float:
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
    p50 = percentile(latencies, .5) * 1000
    p95 = percentile(latencies, .95) * 1000
    print(f"{label:<34} {rate:8.1f} lifecycles/s   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   "
          f"max {latencies[-1] * 1000:7.2f} ms   process max RSS {peak / 1e6:6.1f} MB   runs {[round(r, 1) for r in rates]}")
    return rate


@contextmanager
def celery_queue(url: str | None) -> Iterator[str | None]:
    """An emptied Redis database for the Celery messages the run queues (no worker takes them), emptied after."""
    if url is None:
        yield None
        return
    queue = redis.Redis.from_url(url)
    queue.flushdb()
    try:
        yield url
    finally:
        queue.flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", action="append",
                        help="repeatable; default: a temporary SQLite file and postgresql+psycopg://postgres@127.0.0.1/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14",
                        help="a Redis database it may empty; PostgreSQL runs queue after-commit work there for Celery, "
                             "as production does (SQLite runs it inline, as the embedded mode does)")
    args = parser.parse_args()
    urls = args.database_url or [f"sqlite:///{tempfile.mkdtemp()}/bench.db", "postgresql+psycopg://postgres@127.0.0.1:5432/test"]
    bare: dict[str, float] = {}
    for url in urls:
        try:
            with scratch_database(url) as scratch, celery_queue(args.redis_url if url.startswith("postgresql") else None) as queue:
                runtime = demo_runtime(scratch, Path(tempfile.mkdtemp()), redis_url=queue)
                driver = RepairDriver(runtime)
                driver.lifecycle(-1)  # validates the answers the bare runs reuse, and warms the caches
                if not bare:
                    bare = measure_bare(runtime, driver.answers, args.seconds, args.runs)
                rate = measure(f"advance routine ({runtime.db_engine.dialect.name})", driver.lifecycle, args.seconds, args.runs)
                print(f"{'':<34} ratio to bare: {rate / bare['memory']:.0%} of the in-memory run, "
                      f"{rate / bare['reload']:.0%} of the reloading run (target ≥ 30 %)")
                runtime.db_engine.dispose()
        except Exception as err:  # a missing server is reported, not fatal, for a benchmark
            print(f"{url.split('://')[0]:<34} unavailable: {type(err).__name__}: {err}".splitlines()[0])


def measure_bare(runtime: Runtime, answers: dict[str, dict], seconds: float, runs: int) -> dict[str, float]:
    """Both bare figures: the workflow kept in memory, and reloaded from its save before every step."""
    with unit_of_work(runtime.host.session_factory) as session:
        bundle = runtime.host.specs.get(advance.active_definition(session, "repair"))
    return {"memory": measure("bare, in memory + JSON save", BareRepair(bundle, answers, keep_in_memory=True).lifecycle,
                              seconds, runs),
            "reload": measure("bare, JSON save + reload", BareRepair(bundle, answers).lifecycle, seconds, runs)}


if __name__ == "__main__":
    main()
