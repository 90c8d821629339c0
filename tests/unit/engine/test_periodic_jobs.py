"""Periodic jobs: a single pass runs the every-pass jobs only; a long-lived scheduler runs a job with an interval
once that interval has passed since it started, then at that pace."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from engine.registry import Registry
from engine.wakeups import run_job, run_jobs


def _host():
    registry = Registry()
    runs: list[str] = []

    @registry.periodic("every_pass", "runs in every pass")
    def every_pass(host, session, at) -> int:
        runs.append("every_pass")
        return 1

    @registry.periodic("hourly", "runs hourly", every=3600)
    def hourly(host, session, at) -> int:
        runs.append("hourly")
        return 2

    host = SimpleNamespace(registry=registry, session_factory=sessionmaker(create_engine("sqlite://")))
    return host, runs


def test_a_single_pass_leaves_interval_jobs_to_their_schedulers(clock):
    host, runs = _host()
    assert run_jobs(host) == {"every_pass": 1}
    assert run_job(host, "hourly") == 2 and runs == ["every_pass", "hourly"]


def test_the_embedded_scheduler_runs_an_interval_job_at_its_pace(clock):
    host, runs = _host()
    last_run: dict = {}
    start = clock.start
    assert run_jobs(host, at=start, last_run=last_run) == {"every_pass": 1}  # started: an hour to go
    assert run_jobs(host, at=start + timedelta(minutes=59), last_run=last_run) == {"every_pass": 1}
    assert run_jobs(host, at=start + timedelta(hours=1), last_run=last_run) == {"every_pass": 1, "hourly": 2}
    assert run_jobs(host, at=start + timedelta(hours=1, minutes=30), last_run=last_run) == {"every_pass": 1}
    assert runs.count("hourly") == 1
