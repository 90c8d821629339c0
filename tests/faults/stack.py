"""The fault suite's moving parts: real Celery workers, beats and gunicorn as subprocesses, a burst of timers in
PostgreSQL, and the count of what fired.

Timers come due in real time the way ``tests/integration/test_celery_timer.py`` does it: each instance of
``fault_job.bpmn`` is started with the clock moved into the past (time_machine), so that its 12-hour reminder
falls due a few seconds after the services come up. Nothing sleeps for a timer: the tests poll the database.
"""
from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from factories import REPO
from sqlalchemy import func, select

from engine.models import AuditEvent, OutboxMessage, ProcessInstance
from engine.timers import WAKE_MARGIN
from workflows.notifications.models import Notification
from workflows.people.models import User
from workflows.people.service import issue_token

BIN = Path(sys.executable).parent
CELERY = BIN / "celery"
GUNICORN = BIN / "gunicorn"
DIAGRAM = Path(__file__).with_name("fault_job.bpmn")
SUMMARY = REPO / "test-artifacts" / "faults" / "summary.txt"
TIMER_STEP = "Job overdue"  # the boundary timer's step.completed row: one per firing
REMINDER_STEP = "Send reminder"
REMINDER_KIND = "job.overdue"
LATENESS_LIMIT = 60.0  # seconds; the admin guide promises about 35 s through worker crashes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- processes ----------------------------------------------------------------------------------

class Stack:
    """Named subprocesses (each in its own process group) with their logs; all stopped at teardown.

    A name may be started again after :meth:`kill`; each start gets its own log file (``worker.2.log``)."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *, restart: tuple[str, ...] = ()):
        """``restart``: names started again whenever they exit, as docker compose's ``restart: unless-stopped`` does."""
        self.tmp_path = tmp_path
        self.env = env
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.starters: dict[str, Any] = {}
        self.log_files: dict[str, list[Path]] = {}
        self.killed: list[str] = []
        self.restart = restart
        self.exits: list[tuple[str, int]] = []  # (name, exit code) of every exit ``restart`` covered

    def _start(self, name: str, argv: list[str], env: dict[str, str] | None) -> subprocess.Popen[bytes]:
        if name in self.procs and self.procs[name].poll() is None:
            raise RuntimeError(f"{name} is running already")
        logs = self.log_files.setdefault(name, [])
        log = self.tmp_path / f"{name}.{len(logs) + 1}.log"
        logs.append(log)
        with log.open("wb") as out:
            proc = subprocess.Popen(argv, cwd=REPO, env={**self.env, **(env or {})}, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def worker(self, name: str = "worker", *, concurrency: int = 2, env: dict[str, str] | None = None) -> None:
        """A Celery worker as production runs it (prefork, ``--concurrency=2``), on the shipped app."""
        node = f"faults-{name}-{uuid.uuid4().hex[:6]}@%h"
        self.starters[name] = lambda: self.worker(name, concurrency=concurrency, env=env)
        self._start(name, [str(CELERY), "-A", "webapp.worker", "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
                           "-n", node, "--without-gossip", "--without-mingle", "--without-heartbeat"], env)

    def beat(self, name: str = "beat", *, env: dict[str, str] | None = None) -> None:
        self._start(name, [str(CELERY), "-A", "tests.faults.fastbeat", "beat", "--loglevel=INFO",
                           "-s", str(self.tmp_path / f"{name}-schedule"), "--pidfile", str(self.tmp_path / f"{name}.pid")], env)

    def web(self, name: str = "web", *, env: dict[str, str] | None = None, timeout: float = 30) -> str:
        """gunicorn serving ``webapp:create_app()`` with one sync worker, as production does (with more); its base URL."""
        port = free_port()
        self._start(name, [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
                           "--log-level", "info", "webapp:create_app()"], env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(base + "/login", timeout=5) as answer:
                    if answer.status == 200:
                        return base
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer within {timeout:.0f}s\n{self.logs()}", pytrace=False)

    def kill9(self, name: str) -> None:
        """``kill -9`` the whole process group (a prefork worker's parent and children at once)."""
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        self.killed.append(name)

    def log(self, name: str, *, every: bool = True) -> str:
        files = self.log_files.get(name, [])
        return "".join(path.read_text(errors="replace") for path in (files if every else files[-1:]))

    def ready(self, name: str) -> bool:
        """The newest start of Celery worker ``name`` has logged that it is consuming."""
        return " ready." in self.log(name, every=False)

    def logs(self, tail: int = 5000) -> str:
        parts = []
        for files in self.log_files.values():
            for path in files:
                parts.append(f"----- {path.name} -----\n{path.read_text(errors='replace')[-tail:]}")
        return "\n".join(parts)

    def check_alive(self) -> None:
        for name, proc in list(self.procs.items()):
            if proc.poll() is None or (name in self.killed and proc.returncode == -signal.SIGKILL):
                continue
            if name in self.restart and name in self.starters:
                self.exits.append((name, proc.returncode))
                self.starters[name]()
                continue
            pytest.fail(f"{name} exited early with code {proc.returncode}\n{self.logs()}", pytrace=False)

    def idle(self, seconds: float) -> None:
        """Wait, restarting what ``restart`` names as soon as it exits."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def poll(stack: Stack, what: str, check, timeout: float = 90, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_alive()
        result = check()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{stack.logs()}", pytrace=False)


def service_env(tmp_path: Path, *, database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, HOUQIN_TIMER_SWEEP_SECONDS="1",
               HOUQIN_TEST_OUTBOX_SWEEP_SECONDS="2", HOUQIN_DATA_DIR=str(tmp_path / "data"), SECRET_KEY="faults",
               PYTHONUNBUFFERED="1")
    return env


# --- the burst ----------------------------------------------------------------------------------

def deploy(rt) -> None:
    rt.deploy({DIAGRAM.name: DIAGRAM.read_text(encoding="utf-8")})


def start_burst(rt, people, count: int, *, first_in: float, spread: float, prefix: str = "F") -> dict[int, datetime]:
    """``count`` instances whose reminders fall due ``first_in`` … ``first_in + spread`` seconds from now, evenly.

    Returns each instance's due instant (the timer's, one second before the wake-up beat schedules)."""
    real_now = datetime.now(UTC)
    due: dict[int, datetime] = {}
    for n in range(count):
        offset = timedelta(seconds=first_in + spread * n / max(count - 1, 1))
        with time_machine.travel(real_now + offset - timedelta(hours=12), tick=False):
            iid = rt.start("fault_job", business_key=f"{prefix}-{n}", school_id=people.school_id,
                           data={"worker_id": people.worker_id, "job_due": "PT12H"})
        due[iid] = rt.instance(iid).next_wake_at - WAKE_MARGIN
    return due


def api_token(rt, user_id: int) -> str:
    with rt.session() as session:
        return issue_token(session, user=session.get(User, user_id), name="faults")


@dataclass
class Firing:
    """What the reminders of a burst left in the database."""

    due: dict[int, datetime]
    timer_steps: Counter[int] = field(default_factory=Counter)  # instance → step.completed rows of the timer
    reminder_steps: Counter[int] = field(default_factory=Counter)
    outbox: Counter[int] = field(default_factory=Counter)  # instance → job.overdue outbox rows
    unsent: int = 0
    notifications: Counter[int] = field(default_factory=Counter)  # outbox row → in-app notifications
    lateness: list[float] = field(default_factory=list)  # seconds from due instant to the timer's audit row

    @property
    def fired(self) -> int:
        return sum(1 for iid in self.due if self.timer_steps[iid])

    @property
    def lost(self) -> list[int]:
        return [iid for iid in self.due if not self.timer_steps[iid] or not self.reminder_steps[iid] or not self.outbox[iid]]

    @property
    def duplicates(self) -> int:
        """Every transition or message beyond the first: must be 0."""
        return sum(max(0, c - 1) for counter in (self.timer_steps, self.reminder_steps, self.outbox, self.notifications)
                   for c in counter.values())

    def complete(self) -> bool:
        """Every reminder fired, its message written and sent, its notification delivered."""
        return not self.lost and self.unsent == 0 and len(self.notifications) == len(self.due)

    def lateness_figures(self) -> str:
        if not self.lateness:
            return "lateness n/a"
        ordered = sorted(self.lateness)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f"lateness p50 {statistics.median(ordered):.1f} s, p95 {p95:.1f} s, max {ordered[-1]:.1f} s"

    def check(self) -> None:
        assert not self.lost, f"reminders lost (no timer step, reminder step or outbox row): instances {self.lost}"
        assert self.duplicates == 0, (f"duplicated transitions or messages: timer {_dups(self.timer_steps)}, "
                                      f"reminder {_dups(self.reminder_steps)}, outbox {_dups(self.outbox)}, "
                                      f"notifications {_dups(self.notifications)}")
        assert self.unsent == 0 and len(self.notifications) == len(self.due), \
            f"{self.unsent} reminder messages unsent, {len(self.notifications)} of {len(self.due)} notifications delivered"
        assert max(self.lateness) <= LATENESS_LIMIT, f"a reminder fired {max(self.lateness):.1f} s late (limit {LATENESS_LIMIT:.0f} s)"


def _dups(counter: Counter[int]) -> dict[int, int]:
    return {key: count for key, count in counter.items() if count > 1}


def firing(rt, due: dict[int, datetime]) -> Firing:
    ids = list(due)
    result = Firing(due)
    with rt.session() as session:
        steps = session.execute(select(AuditEvent.instance_id, AuditEvent.task_name, AuditEvent.at).where(
            AuditEvent.instance_id.in_(ids), AuditEvent.action == "step.completed",
            AuditEvent.task_name.in_((TIMER_STEP, REMINDER_STEP))))
        for iid, name, at in steps:
            if name == TIMER_STEP:
                result.timer_steps[iid] += 1
                result.lateness.append((at - due[iid]).total_seconds())
            else:
                result.reminder_steps[iid] += 1
        messages = list(session.execute(select(OutboxMessage.id, OutboxMessage.instance_id, OutboxMessage.status).where(
            OutboxMessage.instance_id.in_(ids), OutboxMessage.kind == REMINDER_KIND)))
        for _mid, iid, status in messages:
            result.outbox[iid] += 1
            result.unsent += status != "sent"
        if messages:
            for outbox_id, count in session.execute(
                    select(Notification.outbox_id, func.count(Notification.id))
                    .where(Notification.outbox_id.in_([m[0] for m in messages])).group_by(Notification.outbox_id)):
                result.notifications[outbox_id] = count
    return result


def instance_versions(rt, ids) -> dict[int, int]:
    with rt.session() as session:
        return dict(session.execute(select(ProcessInstance.id, ProcessInstance.version).where(ProcessInstance.id.in_(list(ids)))))


def advance_runs(log: str) -> Counter[str]:
    """Outcomes of the ``houqin.advance`` tasks a worker log reports (advanced / idle / locked …)."""
    outcomes: Counter[str] = Counter()
    for line in log.splitlines():
        if "houqin.advance[" in line and " succeeded in " in line:
            outcomes[line.rsplit(":", 1)[-1].strip().strip("'")] += 1
        elif "houqin.advance[" in line and " raised unexpected: " in line:
            outcomes["failed: " + line.split(" raised unexpected: ", 1)[1].split("(", 1)[0]] += 1
        elif "houqin.advance[" in line and " retry: " in line.lower():
            outcomes["retried"] += 1
    return outcomes


# --- figures ------------------------------------------------------------------------------------

def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}"


def report(test: str, line: str) -> None:
    """Print the figure line (``pytest -s`` shows it) and keep it, one line per test, in ``test-artifacts/faults/summary.txt``."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    entry = f"{test}: {line}"
    print(f"\n[faults] {entry}", flush=True)
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    with open(SUMMARY, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # two pytest processes may finish fault tests at once
        handle.seek(0)
        kept = [row for row in handle.read().splitlines() if row and not row.startswith(("#", f"{test}: "))]
        handle.seek(0)
        handle.truncate()
        handle.write(f"# fault suite, last updated {stamp}; {machine_line()}\n")
        handle.write("".join(f"{row}\n" for row in sorted([*kept, entry])))


def http(method: str, url: str, *, token: str | None = None, body: dict[str, Any] | None = None,
         timeout: float = 30) -> tuple[int | None, Any, float]:
    """One HTTP call; (status, parsed JSON body or text, seconds). Status None: no answer within ``timeout``."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, raw, ctype = answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        status, raw, ctype = err.code, err.read(), err.headers.get("Content-Type", "")
    except (TimeoutError, urllib.error.URLError, ConnectionError) as err:
        return None, f"{type(err).__name__}: {err}", time.monotonic() - started
    elapsed = time.monotonic() - started
    payload: Any = raw.decode(errors="replace")
    if "json" in ctype:
        payload = json.loads(raw)
    return status, payload, elapsed
