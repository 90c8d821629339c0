"""Smoke test of the benchmark suite: ``benchmarks/run_all.py --quick`` runs every benchmark at tiny sizes against
PostgreSQL, Redis, Celery and gunicorn, and each prints its figures. Timing is never asserted: only that the
figures are there and that what must hold whatever the speed (no duplicate firings, no failed requests) holds."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from factories import REPO

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_every_benchmark_runs_and_prints_its_figures(pg_admin, redis_url):
    database = pg_admin.replace("postgresql://", "postgresql+psycopg://")
    result = subprocess.run([sys.executable, "benchmarks/run_all.py", "--quick", "--database-url", database,
                             "--redis-url", redis_url], cwd=REPO, capture_output=True,
                            text=True, timeout=420)
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-4000:]
    assert re.search(r"machine: .+, \d+ cores, \d+ GB RAM", out)
    for figure in (r"bare, in memory \+ JSON save\s+[\d.]+ lifecycles/s", r"bare, JSON save \+ reload\s+[\d.]+ lifecycles/s",
                   r"advance routine \(postgresql\)\s+[\d.]+", r"advance routine \(sqlite\)\s+[\d.]+",
                   r"ratio to bare: \d+% of the in-memory run, \d+% of the reloading run", r"review, 2-day order: median\s+[\d.]+ ms\s+state\s+[\d.]+ KB",
                   r"rectification round 3: median step\s+[\d.]+ ms\s+state\s+[\d.]+ KB\s+ratio [\d.]+x",
                   r"API, 1 web process\(es\), 1 client\(s\)\s+[\d.]+ lifecycles/s\s+task completion p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms\s+[67]\.\d HTTP calls per lifecycle",
                   r"API, 2 web process\(es\), 2 client\(s\)\s+[\d.]+ lifecycles/s", r"ratio: 1 process \d+% of the bare library in memory",
                   r"SQL statements per request .*:\n\s+POST /orders \d+/\d+, complete review \d+",
                   r"task completion in parts \(\d+ completions.*\n\s+statements p50 [\d.]+ / p95 [\d.]+ ms .*host p50", r"stored per lifecycle \(\d+ orders\): audit_event [\d.]+ rows",
                   r"empty sweep \(nothing due\): p50 [\d.]+ ms", r"1 worker process\(es\): 5 of 5 fired .* duplicates 0",
                   r"inbox page queries, worker\s+p50\s+[\d.]+ ms\s+p95", r"inbox page queries, auditor",
                   r"inbox page queries, leader", r"dashboard month figures\s+p50",
                   r"GET / \(inbox page, 2 clients\)\s+p50 .* req/s .* errors 0",
                   r"POST /tasks/<id> \(complete, 2 clients\)\s+p50 .* req/s .* errors 0", r"gunicorn \(2 workers\) RSS \d+ MB",
                   r"check-in of a 640x480 JPEG, one core \(2 runs\): wall p50 \d+ ms .* CPU p50 \d+ ms",
                   r"1:N match over 300 enrolled: p50 [\d.]+ ms", r"bulk enrolment of 3 people in the background: [\d.]+ s",
                   r"memory: RSS now \d+ MB, peak \d+ MB",
                   r"ingested 2000 readings in 4 batches of 500: [\d,]+ readings/s", r"detection lag .*: p50 \d+ ms",
                   r"posted again: 0 stored"):
        assert re.search(figure, out), f"missing {figure!r} in\n{out}"
    assert re.findall(r"CPU per lifecycle: web \d+ ms, Celery \d+ ms, PostgreSQL \d+ ms, client \d+ ms; cores busy [\d.]+ of \d+; "
                      r"WAL \d+ KB;.*errors (\d+)", out) == ["0", "0"], out  # every lifecycle closed
