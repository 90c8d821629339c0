"""The service fixtures themselves: a missing PostgreSQL or Redis skips locally but fails under CI.

Each case runs a real pytest in a subprocess against a port nobody listens on.
"""
from __future__ import annotations

import os
import subprocess
import sys

from factories import REPO

PG_TEST = "tests/integration/test_postgres_engine.py::test_migrations_create_exactly_the_models_schema"
REDIS_TEST = "tests/integration/test_celery_timer.py"


def _run_all(cases: dict[str, tuple[str, dict[str, str]]]) -> dict[str, subprocess.CompletedProcess]:
    procs = {}
    for name, (target, overrides) in cases.items():
        env = {k: v for k, v in os.environ.items() if k not in ("CI", "PGUSER", "PGHOST", "PGPORT")}
        env.update(overrides)
        procs[name] = subprocess.Popen(
            [sys.executable, "-m", "pytest", target, "-q", "-rs", "-p", "no:cacheprovider", "-o", "addopts="],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    results = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out)
    return results


def test_missing_services_skip_locally_and_fail_loudly_in_ci():
    dead_pg = {"PGPORT": "1"}
    dead_redis = {"HOUQIN_TEST_REDIS_URL": "redis://127.0.0.1:1/11"}
    results = _run_all({
        "pg-local": (PG_TEST, dead_pg),
        "pg-ci": (PG_TEST, {**dead_pg, "CI": "true"}),
        "redis-local": (REDIS_TEST, dead_redis),
        "redis-ci": (REDIS_TEST, {**dead_redis, "CI": "true"}),
    })

    for name in ("pg-local", "redis-local"):
        result = results[name]
        assert result.returncode == 0 and "1 skipped" in result.stdout and "not reachable" in result.stdout, result.stdout
    for name, service in (("pg-ci", "PostgreSQL"), ("redis-ci", "Redis")):
        result = results[name]
        assert result.returncode == 1, result.stdout
        assert f"!!! CI=true but {service}" in result.stdout and "skipped" not in result.stdout, result.stdout
