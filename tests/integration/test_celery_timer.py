"""The production timer path end to end: a real Celery worker and beat on Redis and PostgreSQL.

The instance is started with the clock 13 hours in the past, so its 12-hour reminder is already
due in real time when the worker and beat come up. Beat's sweep (every second here) claims it, the
worker wakes the instance, the reminder's outbox row is sent by the worker too; later sweeps must
not fire it again. Nothing in the test process sleeps waiting for a timer: it polls the database.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from factories import REPO
from sqlalchemy import func, select

from engine.models import AuditEvent, OutboxMessage, ProcessInstance
from workflows.notifications.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

POLL_SECONDS = 60
CELERY = Path(sys.executable).with_name("celery")


class Services:
    """Worker and beat subprocesses with their logs; stopped (and logs kept) at teardown."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp_path = tmp_path
        self.env = env
        self.procs: dict[str, tuple[subprocess.Popen, Path]] = {}

    def start(self, name: str, *args: str) -> None:
        log = self.tmp_path / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([str(CELERY), "-A", "webapp.worker", *args], cwd=REPO, env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = (proc, log)

    def log(self, name: str) -> str:
        return self.procs[name][1].read_text(errors="replace")

    def logs(self) -> str:
        parts = []
        for name, (proc, log) in self.procs.items():
            parts.append(f"----- {name} (exit code {proc.poll()}) -----\n{log.read_text(errors='replace')[-6000:]}")
        return "\n".join(parts)

    def check_alive(self) -> None:
        for name, (proc, _log) in self.procs.items():
            if proc.poll() is not None:
                pytest.fail(f"celery {name} exited early with code {proc.returncode}\n{self.logs()}", pytrace=False)

    def stop(self) -> None:
        for proc, _log in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, _log in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@pytest.fixture
def services(tmp_path, pg_url, redis_url):
    env = dict(os.environ)
    env.update(DATABASE_URL=pg_url, REDIS_URL=redis_url, HOUQIN_TIMER_SWEEP_SECONDS="1",
               HOUQIN_DATA_DIR=str(tmp_path / "data"), SECRET_KEY="celery-test", PYTHONUNBUFFERED="1")
    running = Services(tmp_path, env)
    yield running
    running.stop()


def _poll(services: Services, what: str, check, timeout: float = POLL_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services.check_alive()
        result = check()
        if result:
            return result
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{services.logs()}", pytrace=False)


def test_worker_and_beat_fire_an_overdue_reminder_exactly_once(runtime, pg_url, services, tmp_path):
    rt = runtime(pg_url)
    real_now = datetime.now(UTC)
    with time_machine.travel(real_now - timedelta(hours=13), tick=False):
        rt.deploy_scenario("timer_task")
        people = rt.people()
        iid = rt.start("timer_task", business_key="WO-CELERY", school_id=people.school_id,
                       data={"worker_id": people.worker_id, "job_due": "PT12H"})
    due_wake = rt.instance(iid).next_wake_at
    assert real_now - timedelta(hours=1) < due_wake < real_now, "the timer must already be due in real time"
    assert rt.outbox() == []

    def counts() -> dict[str, int]:
        with rt.session() as session:
            def count(stmt):
                return session.scalar(stmt) or 0
            return {
                "reminder_steps": count(select(func.count(AuditEvent.id)).where(
                    AuditEvent.instance_id == iid, AuditEvent.action == "step.completed", AuditEvent.task_name == "Send reminder")),
                "timer_steps": count(select(func.count(AuditEvent.id)).where(
                    AuditEvent.instance_id == iid, AuditEvent.action == "step.completed", AuditEvent.task_name == "Job overdue")),
                "outbox": count(select(func.count(OutboxMessage.id)).where(OutboxMessage.instance_id == iid)),
                "sent": count(select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.instance_id == iid, OutboxMessage.status == "sent")),
                "notifications": count(select(func.count(Notification.id)).where(Notification.user_id == people.worker_id)),
            }

    node = f"houqin-test-{uuid.uuid4().hex[:8]}@%h"
    services.start("worker", "worker", "--pool=solo", "--loglevel=INFO", "-n", node,
                   "--without-gossip", "--without-mingle", "--without-heartbeat")
    services.start("beat", "beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule"),
                   "--pidfile", str(tmp_path / "beat.pid"))

    _poll(services, "the reminder to be sent", lambda: counts()["sent"] >= 1)

    # keep watching while beat sweeps at least three more times: nothing may fire again
    def sweeps_done() -> int:
        return services.log("worker").count("houqin.sweep_timers[") // 2  # "received" + "succeeded" lines
    seen = sweeps_done()
    _poll(services, "three more timer sweeps", lambda: sweeps_done() >= seen + 3, timeout=30)

    try:
        assert counts() == {"reminder_steps": 1, "timer_steps": 1, "outbox": 1, "sent": 1, "notifications": 1}
        with rt.session() as session:
            inst = session.get(ProcessInstance, iid)
            message = session.scalar(select(OutboxMessage).where(OutboxMessage.instance_id == iid))
            assert (message.kind, message.attempts, message.dedup_key) == ("job.overdue", 1, f"{iid}:job.overdue:overdue-1")
            assert inst.status == "running" and inst.next_wake_at is None
            assert inst.wake_enqueued_for == due_wake, "beat claimed exactly the due wake instant"
        assert [t.task_name for t in rt.tasks(iid)] == ["do_job"], "the reminder must not cancel the job"
        assert "houqin.advance[" in services.log("worker")
        assert "houqin.send_outbox[" in services.log("worker")
    except AssertionError as err:
        raise AssertionError(f"{err}\n{services.logs()}") from err
