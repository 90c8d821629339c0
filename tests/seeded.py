"""The shipped site's database: schema at head, bpmn/ deployed and the demo school seeded at :data:`START`.

Most page, API and scenario tests start from exactly this database. Migrating, deploying the diagrams and seeding
the demo school take a second or more each time, so each test process builds it once (a SQLite file here; the
PostgreSQL template in ``conftest.py``) and every test gets its own copy: what a restart of that site would read.
"""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import time_machine
from sqlalchemy import select

from engine.db import unit_of_work
from engine.deployments import deploy_path
from webapp.migrate import upgrade_to_head
from workflows.bootstrap import bootstrap
from workflows.demo import seed
from workflows.people.models import User

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing: the seeded site's "now"

_BUILT: list[Path] = []  # this test process's seeded SQLite file, built on first use


def seed_site(database_url: str, data_dir: Path, diagrams: tuple[Path, ...] = (), modules: tuple | None = None) -> None:
    """Bring the database at ``database_url`` to the shipped site at :data:`START`; ``diagrams`` are deployed too,
    parsed with the helpers of ``modules`` when they replace the shipped process modules."""
    with time_machine.travel(START, tick=False):
        runtime = bootstrap(database_url=database_url, redis_url=None, data_dir=data_dir,
                            **({} if modules is None else {"modules": modules}))
        try:
            upgrade_to_head(runtime.db_engine)
            with unit_of_work(runtime.host.session_factory) as session:
                for folder in (ROOT / "bpmn", *diagrams):
                    deploy_path(session, folder, registry=runtime.host.registry)
                seed(session, runtime.host)
        finally:
            runtime.db_engine.dispose()


def seeded_sqlite(target: Path) -> str:
    """A copy of the shipped site's SQLite database at ``target``; its URL."""
    if not _BUILT:
        folder = Path(tempfile.mkdtemp(prefix="houqin-seeded-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        seed_site(f"sqlite:///{folder}/site.db", folder)
        _BUILT.append(folder / "site.db")
    with closing(sqlite3.connect(_BUILT[0])) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)  # the write-ahead log's pages included
    return f"sqlite:///{target}"


def demo_school_id(session) -> int:
    """The seeded demo school (the one its requester belongs to)."""
    return session.scalar(select(User.school_id).where(User.username == "requester"))
