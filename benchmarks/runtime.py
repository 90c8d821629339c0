"""What every benchmark needs first: a throw-away database and the runtime a school would run on it."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` by nearest rank (p95: the value 95 % of the samples do not exceed), the one
    way every benchmark reads its p50/p95."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def server_rss_mb(pid: int) -> float:
    """Resident memory of a server process and its direct children (gunicorn's or Celery's workers)."""
    total = 0
    for child in [pid, *children(pid)]:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(url: str, data_dir: Path, redis_url: str | None) -> dict[str, str]:
    """The environment a production process gets: the database, Redis (Celery) or none (embedded), a secret."""
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench", HOUQIN_DATA_DIR=str(data_dir))
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextmanager
def gunicorn(url: str, data_dir: Path, workers: int, redis_url: str | None = None,
             profile: Path | None = None) -> Iterator[tuple[int, int]]:
    """gunicorn serving the real app on a free loopback port, as deployed (with ``redis_url``: Celery queues after-commit
    work); yields its master's pid and the port; stopped on leaving. With ``profile`` it runs under py-spy, which writes
    the sampled stacks of the master and its workers there (collapsed, one stack a line) when gunicorn stops."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--log-level", "warning", "webapp:create_app()"]
    if profile is not None:
        command = [str(Path(sys.executable).with_name("py-spy")), "record", "--subprocesses", "--format", "raw", "--rate",
                   "250", "--nonblocking", "--output", str(profile), "--", *command]
    proc = subprocess.Popen(command, cwd=ROOT, env=server_env(url, data_dir, redis_url), start_new_session=True,
                            stdout=subprocess.DEVNULL if profile else None)
    master = proc.pid
    try:
        for _ in range(300):
            if profile is not None and master == proc.pid:
                master = next(iter(children(proc.pid)), proc.pid)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield master, port
    finally:
        os.kill(master, signal.SIGTERM)
        try:
            proc.wait(timeout=60)  # py-spy writes its samples once gunicorn has exited
        finally:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)


def children(pid: int) -> list[int]:
    """A server's worker processes (gunicorn's, Celery's pool)."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds_of(command: str) -> float:
    """CPU used so far by every process named ``command`` on this machine (PostgreSQL's backends and writers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        if text[text.index("(") + 1:text.rindex(")")] == command:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
