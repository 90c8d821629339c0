"""What every benchmark needs first: a throw-away database and the runtime a school would run on it."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.db import unit_of_work  # noqa: E402
from engine.deployments import deploy_path  # noqa: E402

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
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


def demo_runtime(url: str, data_dir: Path, redis_url: str | None = None) -> Runtime:
    """The runtime on ``url`` as a school would run it: schema at head, the shipped diagrams, the demo school;
    with ``redis_url`` after-commit work is queued for Celery, as in production."""
    from webapp.migrate import upgrade_to_head
    from workflows.bootstrap import bootstrap
    from workflows.demo import seed

    runtime = bootstrap(database_url=url, data_dir=data_dir, redis_url=redis_url)
    upgrade_to_head(runtime.db_engine)
    with unit_of_work(runtime.host.session_factory) as session:
        deploy_path(session, ROOT / "bpmn", registry=runtime.host.registry)
        seed(session, runtime.host)
    return runtime


def server_rss_mb(pid: int) -> float:
    """Resident memory of a server process and its direct children (gunicorn's or Celery's workers)."""
    total = 0
    for child in [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024
