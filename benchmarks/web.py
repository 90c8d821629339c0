"""Web: the inbox page and the task-complete POST under load, served by gunicorn on loopback.

    .venv/bin/python benchmarks/web.py [--seconds 10] [--clients 8] [--gunicorn-workers 2] [--runs 3]

A throw-away PostgreSQL database gets the demo school and a stock of quick jobs for its worker. gunicorn
serves the real app; the load generator here is threads of keep-alive HTTP clients, each logged in as the
worker with its own session and CSRF token, for a bounded time per run. Prints requests/s, p50/p95/max, errors
and the server's memory; never fails on timing.
"""
from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from queue import Empty, Queue
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from runtime import demo_runtime, gunicorn, scratch_database, server_rss_mb  # noqa: E402
from scale import percentiles  # noqa: E402

from engine import advance  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.models import HumanTask  # noqa: E402
from workflows.demo import DEMO_PASSWORD  # noqa: E402
from workflows.people.models import RoleAssignment, User  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One logged-in browser: a keep-alive connection, its session cookie and CSRF token."""

    def __init__(self, port: int, username: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/login")[1]
        self.token = CSRF.search(page).group(1)
        status, _body = self.request("POST", "/login", {"csrf_token": self.token, "username": username,
                                                        "password": DEMO_PASSWORD})
        if status != 302:
            raise RuntimeError(f"login of {username} failed with {status}")

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:  # each cookie set, or emptied to remove it
            name, _eq, value = header.split(";", 1)[0].partition("=")
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, text


def load(port: int, *, clients: int, seconds: float, step: Callable[[Client], bool | None]) -> tuple[list[float], int, float]:
    """Run ``step(client)`` (returns True when the response was right) from ``clients`` threads for
    ``seconds``; return latencies, errors and the elapsed time."""
    logged_in = [Client(port, "worker") for _ in range(clients)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(client: Client) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = step(client)
            if ok is None:
                return
            with lock:
                latencies.append(time.perf_counter() - started)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(client,)) for client in logged_in]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


def _jobs(runtime: Runtime, count: int) -> Queue[str]:
    """Quick jobs for the demo worker's team; their task ids."""
    with unit_of_work(runtime.host.session_factory) as session:
        team = session.scalar(select(RoleAssignment.org_unit_id).join(User).where(User.username == "worker"))
        school = session.scalar(select(User.school_id).where(User.username == "worker"))  # tasks are seen within their school
        for number in range(count):
            advance.start(runtime.host, session, process_key="job_ticket", business_key=f"WEB-{number}", school_id=school,
                          data={"team_id": team, "title": f"压测任务 {number}"})
    with unit_of_work(runtime.host.session_factory) as session:
        ids = session.scalars(select(HumanTask.id).where(HumanTask.business_key.like("WEB-%")))
        queue: Queue[str] = Queue()
        for task_id in ids:
            queue.put(task_id)
        return queue


def report(label: str, runs: list[tuple[list[float], int, float]]) -> None:
    rates = [len(lat) / elapsed for lat, _err, elapsed in runs]
    every = [x for lat, _err, _elapsed in runs for x in lat]
    errors = sum(err for _lat, err, _elapsed in runs)
    print(percentiles(label, every) + f"   {statistics.median(rates):6.1f} req/s (median of {[round(r) for r in rates]})"
          f"   errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=3000, help="quick jobs stocked for the task-complete POSTs")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    with scratch_database(args.database_url) as url:
        runtime = demo_runtime(url, data_dir)
        tasks = _jobs(runtime, args.jobs)
        runtime.db_engine.dispose()
        with gunicorn(url, data_dir, args.gunicorn_workers) as (server, port):
            inbox = [load(port, clients=args.clients, seconds=args.seconds,
                          step=lambda c: c.request("GET", "/")[0] == 200) for _ in range(args.runs)]
            report(f"GET / (inbox page, {args.clients} clients)", inbox)

            def complete(client: Client) -> bool | None:
                try:
                    task_id = tasks.get_nowait()
                except Empty:
                    return None
                status, _body = client.request("POST", f"/tasks/{task_id}", {"csrf_token": client.token, "note": "已处理"})
                return status == 302

            posts = [load(port, clients=args.clients, seconds=args.seconds, step=complete) for _ in range(args.runs)]
            report(f"POST /tasks/<id> (complete, {args.clients} clients)", posts)
            print(f"{'':<34} gunicorn ({args.gunicorn_workers} workers) RSS {server_rss_mb(server):.0f} MB; "
                  f"{tasks.qsize()} stocked jobs left")


if __name__ == "__main__":
    main()
