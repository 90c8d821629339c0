"""API lifecycles: whole repair orders through ``/api/v1`` over HTTP, beside the bare library in the same run.

    .venv/bin/python benchmarks/api.py [--seconds 10] [--runs 3] [--clients 4] [--split 30] [--profile DIR]
                                       [--database-url URL] [--redis-url URL]

Served as in production: gunicorn on loopback, PostgreSQL, after-commit work queued in Redis for a real Celery
worker. A client holds one bearer token per role (requester, auditor, worker) and drives whole repair orders:
the requester reports, the auditor reviews and dispatches, the worker takes and completes the job, the requester
rates it; every second order is rated one star and the auditor calls back (resolved on the call). The client
finds each task in the answer of the call before it (an order's creation and each completion name the order's
open tasks), so it makes no other call.

Figures: with 1 gunicorn process and 1 client, then with 2 processes and ``--clients`` clients: lifecycles/s
(median of runs), p50/p95 of the task completions, HTTP calls per lifecycle, the CPU per lifecycle of the web and
Celery workers and of PostgreSQL (when it runs on this machine), the load average; the ratio to the bare library
(the same diagram and answers on SpiffWorkflow alone, in memory, one JSON save per step, measured first in this
process) and the 2-process ratio. Then SQL statements per request, counted in-process with SQLAlchemy events on
the same database (deterministic: the before/after measure of the per-request work), and the time of a task
completion split into statements, commit, engine, after-commit work and the host's own
(:mod:`request_split`, ``--split`` lifecycles). ``--profile DIR`` samples
the 1-process gunicorn worker with py-spy and prints where its time goes. It prints figures and never fails on timing.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import request_split  # noqa: E402
from lifecycle import CALLBACK, ONE_STAR, STARS, BareRepair, RepairDriver, bad_path, celery_queue, measure  # noqa: E402
from runtime import children, cpu_seconds, cpu_seconds_of, demo_runtime, gunicorn, percentile, scratch_database, server_env  # noqa: E402

from engine import advance  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from workflows.catalogue.models import CatalogueItem  # noqa: E402
from workflows.people.models import Campus, User  # noqa: E402
from workflows.people.service import issue_token  # noqa: E402
from workflows.repair.enums import JobAnswer, ReviewDecision  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

ROLES = ("requester", "auditor", "worker")


@dataclass(frozen=True)
class School:
    """What a client knows before it starts: its tokens and the ids its forms name."""

    tokens: dict[str, str]
    campus_id: int
    item_id: int
    team_id: int
    worker_id: int

    def steps(self, bad: bool) -> list[tuple[str, str, dict[str, Any]]]:
        """(task, who, the JSON ``data`` they send) from review to rating, and the callback on the bad path."""
        rating = {**ONE_STAR} if bad else {"overall": "5", "comment": "师傅很专业", **STARS}
        return [("review", "auditor", {"decision": ReviewDecision.accept}),
                ("dispatch", "auditor", {"team_id": self.team_id, "worker_id": self.worker_id}),
                ("accept_job", "worker", {"decision": JobAnswer.accept}),
                ("complete_job", "worker", {"result": "换了阀门", "materials": "阀门 1 个"}),
                ("rate", "requester", rating),
                *([("callback", "auditor", dict(CALLBACK))] if bad else [])]


@dataclass
class Tally:
    """What one client saw: completions' latencies, HTTP calls, failed answers."""

    completions: list[float] = field(default_factory=list)
    calls: int = 0
    errors: list[str] = field(default_factory=list)


class Client:
    """One API client: a keep-alive connection, a bearer token per role."""

    def __init__(self, port: int, school: School) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.school = school
        self.tally = Tally()

    def call(self, method: str, path: str, who: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.school.tokens[who]}"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, f"/api/v1{path}", body=payload, headers=headers)
        response = self.conn.getresponse()
        data = json.loads(response.read() or b"null")
        self.tally.calls += 1
        return response.status, data

    def lifecycle(self, number: int) -> bool:
        """One repair order from report to close; False (and the reason kept) if an answer was wrong."""
        status, order = self.call("POST", "/orders", "requester", {
            "contact_name": "压测", "contact_phone": "13800000000", "campus_id": self.school.campus_id,
            "catalogue_item_id": self.school.item_id, "description": f"压测报修 {number}"})
        if status != 201:
            return self._failed(f"POST /orders: {status} {order}")
        answer = order
        for name, who, data in self.school.steps(bad_path(number, callbacks=True)):
            task = next((t for t in answer["open_tasks"] if t["name"] == name), None)
            if task is None:
                return self._failed(f"{order['number']}: no open {name} in {answer.get('open_tasks')}")
            started = time.perf_counter()
            status, answer = self.call("POST", f"/tasks/{task['id']}/complete", who, {"data": data})
            self.tally.completions.append(time.perf_counter() - started)
            if status != 200:
                return self._failed(f"{name} of {order['number']}: {status} {answer}")
        if answer["open_tasks"] or answer["instance"]["status"] != "completed":
            return self._failed(f"{order['number']} did not close: {answer}")
        return True

    def _failed(self, reason: str) -> bool:
        self.tally.errors.append(reason)
        return False


def _school(runtime: Runtime) -> School:
    """Tokens for the demo school's requester, auditor and worker, and the ids the order and dispatch name."""
    with unit_of_work(runtime.host.session_factory) as session:
        users = {name: session.scalar(select(User).where(User.username == name)) for name in ROLES}
        tokens = {name: issue_token(session, user=user, name="bench") for name, user in users.items()}
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W01"))
        campus = session.scalar(select(Campus.id).where(Campus.school_id == users["requester"].school_id))
        return School(tokens=tokens, campus_id=campus, item_id=item.id, team_id=item.default_team_id,
                      worker_id=users["worker"].id)


@dataclass(frozen=True)
class Run:
    lifecycles: int
    elapsed: float
    completions: list[float]
    calls: int
    errors: list[str]
    web_cpu: float
    celery_cpu: float
    database_cpu: float
    client_cpu: float
    wal_bytes: int
    load: float


def _run(port: int, school: School, clients: int, seconds: float, web: int, celery: int, wal: Callable[[], int]) -> Run:
    """``clients`` threads doing whole lifecycles for ``seconds``; the web and Celery workers' CPU meanwhile."""
    pool = [Client(port, school) for _ in range(clients)]
    done = [0] * clients
    deadline = time.perf_counter() + seconds
    workers = children(web)
    cpu_before = (sum(map(cpu_seconds, workers)), sum(map(cpu_seconds, [celery, *children(celery)])),
                  cpu_seconds_of("postgres"), wal(), time.process_time())
    load = os.getloadavg()[0]

    def drive(index: int) -> None:
        number = index
        while time.perf_counter() < deadline and len(pool[index].tally.errors) < 3:
            done[index] += pool[index].lifecycle(number)
            number += clients

    started = time.perf_counter()
    threads = [threading.Thread(target=drive, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    time.sleep(0.5)  # the Celery worker's share of the last lifecycles
    web_cpu = sum(map(cpu_seconds, workers)) - cpu_before[0]
    celery_cpu = sum(map(cpu_seconds, [celery, *children(celery)])) - cpu_before[1]
    database_cpu, wal_bytes = cpu_seconds_of("postgres") - cpu_before[2], wal() - cpu_before[3]
    client_cpu = time.process_time() - cpu_before[4]  # this process: the client threads
    return Run(sum(done), elapsed, [x for c in pool for x in c.tally.completions], sum(c.tally.calls for c in pool),
               [e for c in pool for e in c.tally.errors], web_cpu, celery_cpu, database_cpu, client_cpu, wal_bytes, load)


def _report(label: str, runs: list[Run]) -> float:
    rates = [r.lifecycles / r.elapsed for r in runs]
    latencies = sorted(x for r in runs for x in r.completions) or [float("nan")]
    lifecycles = sum(r.lifecycles for r in runs) or 1
    rate = statistics.median(rates)
    print(f"{label:<34} {rate:8.1f} lifecycles/s   task completion p50 {percentile(latencies, .5) * 1000:6.1f} ms   "
          f"p95 {percentile(latencies, .95) * 1000:6.1f} ms   "
          f"{sum(r.calls for r in runs) / lifecycles:.1f} HTTP calls per lifecycle   runs {[round(r, 1) for r in rates]}")
    print(f"{'':<34} CPU per lifecycle: web {sum(r.web_cpu for r in runs) / lifecycles * 1000:.0f} ms, "
          f"Celery {sum(r.celery_cpu for r in runs) / lifecycles * 1000:.0f} ms, "
          f"PostgreSQL {sum(r.database_cpu for r in runs) / lifecycles * 1000:.0f} ms, "
          f"client {sum(r.client_cpu for r in runs) / lifecycles * 1000:.0f} ms; "
          f"cores busy {_busy(runs):.2f} of {os.cpu_count()}; "
          f"WAL {sum(r.wal_bytes for r in runs) / lifecycles / 1024:.0f} KB;   "
          f"load average {', '.join(f'{r.load:.1f}' for r in runs)};   errors {sum(len(r.errors) for r in runs)}")
    for reason in [e for r in runs for e in r.errors][:3]:
        print(f"{'':<34} error: {reason[:300]}")
    return rate


def _busy(runs: list[Run]) -> float:
    """Cores the web, Celery, PostgreSQL and client processes kept busy together: near the machine's count, more web
    processes have no idle core to scale onto."""
    return sum(r.web_cpu + r.celery_cpu + r.database_cpu + r.client_cpu for r in runs) / sum(r.elapsed for r in runs)


@contextmanager
def celery_worker(url: str, data_dir: Path, redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """One Celery worker process sending what the steps queue (notifications), as in production."""
    proc = subprocess.Popen([str(Path(sys.executable).with_name("celery")), "-A", "webapp.worker", "worker",
                             "--loglevel=WARNING", "--concurrency=1"], cwd=ROOT, env=server_env(url, data_dir, redis_url),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(300):
            if children(proc.pid):
                break
            time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


AREAS = (("waiting on PostgreSQL", ("Connection.wait (psycopg", "_send_query_prepared", "_execute_send")),
         ("SpiffWorkflow", ("SpiffWorkflow/",)), ("SQLAlchemy", ("sqlalchemy/",)), ("psycopg", ("psycopg/",)),
         ("Flask, Werkzeug, gunicorn", ("flask", "werkzeug/", "gunicorn/")), ("JSON", ("json/",)),
         ("Celery, Redis", ("kombu/", "celery/", "redis/")))
OURS = ("engine/", "workflows/", "webapp/", "rules/", "forms/")


def summarise_profile(path: Path) -> None:
    """Where the sampled worker's requests spent their time: by library (the innermost frame's), and our functions."""
    total, areas, ours = 0, Counter[str](), Counter[str]()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        start = next((i for i, frame in enumerate(frames) if "handle_request" in frame), None)
        if start is None or any("configure_registries" in frame for frame in frames):  # start-up, first-use set-up
            continue
        samples, frames = int(count), frames[start:]
        total += samples
        areas[next((area for area, needles in AREAS if any(n in f for f in frames[-6:] for n in needles)), "other")] += samples
        for frame in {f.split(":")[0] + ")" for f in frames if f.rpartition(" (")[2].startswith(OURS)}:
            ours[frame] += samples
    print(f"py-spy, gunicorn worker: {total} samples in requests; by library: "
          + ", ".join(f"{area} {n / total:.0%}" for area, n in areas.most_common()))
    for frame, samples in ours.most_common(10):
        print(f"  {samples / total:6.1%}  {frame}")


def count_statements(url: str, data_dir: Path, redis_url: str, school: School) -> None:
    """SQL statements per request of one good and one callback lifecycle, through the app in this process."""
    from webapp import create_app
    from webapp.config import Settings

    app = create_app(settings=Settings(database_url=url, redis_url=redis_url, secret_key="bench", data_dir=data_dir))
    engine = app.extensions["houqin"].db_engine
    counts: dict[str, list[int]] = defaultdict(list)
    current = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        current[0] += 1

    client = app.test_client()

    def call(label: str, method: str, path: str, who: str, body: dict[str, Any] | None = None) -> Any:
        current[0] = 0
        response = client.open(f"/api/v1{path}", method=method, json=body,
                               headers={"Authorization": f"Bearer {school.tokens[who]}"})
        counts[label].append(current[0])
        assert response.status_code < 300, (label, response.get_json())
        return response.get_json()

    for number in (0, 1):
        answer = call("POST /orders", "POST", "/orders", "requester", {
            "contact_name": "压测", "contact_phone": "13800000000", "campus_id": school.campus_id,
            "catalogue_item_id": school.item_id, "description": "statements"})
        for name, who, data in school.steps(bad_path(number, callbacks=True)):
            task = next(t for t in answer["open_tasks"] if t["name"] == name)
            answer = call(f"complete {name}", "POST", f"/tasks/{task['id']}/complete", who, {"data": data})
    engine.dispose()
    per_lifecycle = sum(sum(v) for v in counts.values()) / 2
    print(f"SQL statements per request (one good and one callback lifecycle; {per_lifecycle:.0f} per lifecycle on average):")
    print("  " + ", ".join(f"{label} {'/'.join(map(str, values))}" for label, values in counts.items()))


STORED = ("audit_event", "process_instance", "work_order", "rating", "callback", "outbox", "notification")


def storage(runtime: Runtime) -> None:
    """Rows and bytes each lifecycle left behind, table by table (live rows as stored, TOAST-compressed, and their
    indexes; not the dead versions each update leaves until vacuum): what a year of orders needs."""
    with runtime.db_engine.connect() as conn:
        orders = conn.execute(text("SELECT count(*) FROM work_order")).scalar_one()
        sizes = {table: conn.execute(text(f"SELECT count(*), coalesce(sum(pg_column_size(t.*)), 0), "
                                          f"pg_indexes_size('{table}') FROM {table} t")).one() for table in STORED}
    print(f"stored per lifecycle ({orders} orders): " + ", ".join(
        f"{table} {rows / orders:.1f} rows {size / orders / 1024:.1f} + {indexes / orders / 1024:.1f} KB"
        for table, (rows, size, indexes) in sizes.items()) + " (rows + indexes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="clients against 2 web processes (1 against 1 first)")
    parser.add_argument("--profile", type=Path, help="a folder for py-spy's samples of the 1-process worker")
    parser.add_argument("--split", type=int, default=30, help="lifecycles whose task completions are timed in parts")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="a Redis database it may empty")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    with scratch_database(args.database_url) as url, celery_queue(args.redis_url) as queue:
        assert queue is not None
        runtime = demo_runtime(url, data_dir, redis_url=queue)
        school = _school(runtime)
        driver = RepairDriver(runtime)
        for number in (0, 1):  # validates both paths' answers (the bare run reuses them) and warms the database
            driver.lifecycle(number, callbacks=True)
        with unit_of_work(runtime.host.session_factory) as session:
            bundle = runtime.host.specs.get(advance.active_definition(session, "repair"))
        bare = measure("bare, in memory + JSON save", BareRepair(bundle, driver.answers, keep_in_memory=True,
                                                                  callbacks=True).lifecycle, args.seconds / 2, args.runs)
        runtime.db_engine.dispose()
        count_statements(url, data_dir, queue, school)
        if args.split:
            request_split.measure(url, data_dir, queue, school, args.split,
                                  lambda n: school.steps(bad_path(n, callbacks=True)))
        with (celery_worker(url, data_dir, queue) as celery,
              runtime.db_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as position):  # holds no snapshot
            def wal() -> int:  # the write-ahead log written so far (PostgreSQL's commits and page writes)
                return int(position.execute(text("SELECT pg_current_wal_lsn() - '0/0'")).scalar_one())

            rates = {}
            for processes, clients in ((1, 1), (2, args.clients)):
                profile = args.profile / "api-worker.txt" if args.profile and processes == 1 else None
                with gunicorn(url, data_dir, processes, redis_url=queue, profile=profile) as (web, port):
                    for number in range(processes * 2):  # each worker process's first requests load its caches
                        Client(port, school).lifecycle(number)
                    runs = [_run(port, school, clients, args.seconds, web, celery.pid, wal) for _ in range(args.runs)]
                    rates[processes] = _report(f"API, {processes} web process(es), {clients} client(s)", runs)
            print(f"{'':<34} ratio: 1 process {rates[1] / bare:.0%} of the bare library in memory (target ≥ 15 %); "
                  f"2 processes {rates[2] / rates[1]:.2f}x 1 process (target ≥ 1.7x)")
        storage(runtime)
        runtime.db_engine.dispose()
        if args.profile:
            summarise_profile(args.profile / "api-worker.txt")


if __name__ == "__main__":
    main()
