"""The ``houqin`` command: database, deployments, demo data, timers, the embedded server, Celery."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from engine.db import unit_of_work
from engine.deployments import deploy_path
from engine.errors import DeploymentError
from engine.wakeups import EmbeddedScheduler, run_job, run_once
from webapp import create_app
from webapp.migrate import upgrade_to_head
from workflows.people.models import School

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

REPO_ROOT = Path(__file__).resolve().parent.parent
BPMN_DIR = REPO_ROOT / "bpmn"


def _runtime() -> Runtime:
    return current_app.extensions["houqin"]


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_default_commands=True)
def cli() -> None:
    """Houqin: campus logistics service-quality BPM."""


@cli.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema to the latest migration."""
    upgrade_to_head(_runtime().db_engine)
    click.echo("database is at the latest schema")


def _deploy(paths: list[Path]) -> int:
    runtime = _runtime()
    failures = 0
    for path in paths:
        try:
            with unit_of_work(runtime.host.session_factory) as session:
                for definition, created in deploy_path(session, path, registry=runtime.host.registry, deployed_by="cli"):
                    state = "deployed" if created else "unchanged"
                    click.echo(f"{definition.process_key} v{definition.version}: {state}")
        except DeploymentError as err:
            failures += 1
            click.echo(f"{path}: refused", err=True)
            for problem in err.problems:
                click.echo(f"  {problem}", err=True)
    return failures


@cli.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def deploy(paths: tuple[Path, ...]) -> None:
    """Deploy diagram folders (default: bpmn/). Unchanged diagrams are left as they are."""
    if _deploy(list(paths) or [BPMN_DIR]):
        sys.exit(1)


def _seed_demo(runtime: Runtime) -> bool:
    """The demo school, its users and two months of repair history (the orders still open replayed through the
    engine), then each process module's own part (:attr:`ProcessModule.demo`: plans, complaints, standards and
    surveys, inspections, the staff register, attendance, duty, assessments) in the deployment's order, each doing
    its tasks through their forms; False if already there."""
    from workflows.acting import demo_setting
    from workflows.demo import seed
    from workflows.demo_history import seed_history
    from workflows.demo_replay import replay

    with unit_of_work(runtime.host.session_factory) as session:
        created = seed(session, runtime.host)
    if created:
        with unit_of_work(runtime.host.session_factory) as session:
            school_id = session.scalar(select(School.id).where(School.code == "demo"))
            assert school_id is not None  # seed() has just created the demo school
            history = seed_history(session, runtime.rules.book(session, school_id), school_id=school_id)
        replayed = replay(runtime, history.open, until=history.until)
        if replayed.left:
            click.echo(f"demo replay: {len(replayed.left)} of {replayed.done + len(replayed.left)} steps had no task "
                       f"waiting for their person and were left undone: {', '.join(replayed.left)}", err=True)
        setting = demo_setting(runtime, school_id)
        for module in runtime.modules.modules:
            if module.demo is not None:
                with unit_of_work(runtime.host.session_factory) as session:
                    module.demo(session, setting)
    return created


@cli.command("demo-data")
@with_appcontext
def demo_data() -> None:
    """Create the demo school, one user per role and two months of history (idempotent)."""
    click.echo("demo data created" if _seed_demo(_runtime()) else "demo data already present")


@cli.command("generate")
@click.option("--schools", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--orders", default=10_000, show_default=True, type=click.IntRange(min=0), help="in all, shared by the schools")
@click.option("--days", default=365, show_default=True, type=click.IntRange(min=1), help="history received over")
@click.option("--open-share", default=0.03, show_default=True, type=click.FloatRange(0, 1), help="orders still open")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--timeline/--no-timeline", default=True, show_default=True, help="audit timeline of closed orders")
@with_appcontext
def generate(schools: int, orders: int, days: int, open_share: float, seed: int, timeline: bool) -> None:
    """Add generated schools with orders, ratings and rectifications in bulk (benchmarks, large demos)."""
    from workflows.generator import PASSWORD, Volume
    from workflows.generator import generate as run

    runtime = _runtime()
    if _deploy([BPMN_DIR]):
        sys.exit(1)
    done = run(runtime, volume=Volume(schools=schools, orders=orders, days=days, open_share=open_share, seed=seed,
                                      timeline=timeline),
               progress=click.echo)
    click.echo(f"{done.orders} orders ({done.open_orders} open) in {len(done.schools)} schools, "
               f"{', '.join(f'{n} {k}' for k, n in done.rows.items())} in {done.seconds:.1f} s; "
               f"logins <school>-auditor, <school>-leader, password {PASSWORD}")


@cli.command("tick")
@with_appcontext
def tick() -> None:
    """Advance every instance whose timers are due, once, and send due outbox messages."""
    result = run_once(_runtime().host)
    jobs = "".join(f"; {name}: {count}" for name, count in result.jobs.items())
    click.echo(f"woke {sum(o.status == 'advanced' for o in result.woken)} of {len(result.woken)} due instances; "
               f"sent {result.sent} messages{jobs}")


@cli.command("refresh-figures")
@with_appcontext
def refresh_figures() -> None:
    """Bring the dashboard's daily figures up to yesterday (what the scheduler runs every 10 minutes)."""
    click.echo(f"refreshed {run_job(_runtime().host, 'daily_figures')} school-days")


@cli.command("make-reports")
@with_appcontext
def make_reports() -> None:
    """Make last month's and last quarter's reports that are missing (what the scheduler runs hourly)."""
    click.echo(f"made {run_job(_runtime().host, 'service_reports')} reports")


@cli.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Embedded mode: upgrade the schema, deploy bpmn/, seed the demo, run timers in-process and serve."""
    from werkzeug.serving import run_simple

    from workflows.demo import DEMO_PASSWORD, DEMO_USERS, PLATFORM_USER
    from workflows.demo_plans import PLAN_STAFF

    runtime = _runtime()
    upgrade_to_head(runtime.db_engine)
    if _deploy([BPMN_DIR]):
        sys.exit(1)
    _seed_demo(runtime)
    settings = current_app.config["HOUQIN_SETTINGS"]
    scheduler = None
    if runtime.celery is None:
        scheduler = EmbeddedScheduler(runtime.host, interval=settings.embedded_scheduler_seconds)
        scheduler.start()
    click.echo(f"\nHouqin is running at http://{host}:{port}/")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, _name, role in DEMO_USERS:
        click.echo(f"  {username:<12} {role}")
    for username, _name, _team in PLAN_STAFF:
        click.echo(f"  {username:<12} worker (work plans)")
    click.echo(f"  {PLATFORM_USER[0]:<12} platform administrator and process owner (all schools)")
    run_simple(host, port, current_app._get_current_object(),  # type: ignore[attr-defined]  # the app behind the proxy
               threaded=True, use_reloader=False)
    if scheduler is not None:
        scheduler.stop()


def _celery_argv(kind: str, extra: tuple[str, ...]) -> list[str]:
    return [kind, "--loglevel=INFO", *extra]


@cli.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker(extra: tuple[str, ...]) -> None:
    """Run a Celery worker (needs REDIS_URL); extra arguments go to Celery."""
    celery = _runtime().celery or sys.exit("REDIS_URL is not set: the embedded mode runs timers in-process")
    celery.worker_main(_celery_argv("worker", extra))


@cli.command("beat", context_settings={"ignore_unknown_options": True})
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def beat(extra: tuple[str, ...]) -> None:
    """Run Celery beat, which enqueues due timers and outbox retries (needs REDIS_URL)."""
    celery = _runtime().celery or sys.exit("REDIS_URL is not set: the embedded mode runs timers in-process")
    celery.start(_celery_argv("beat", extra))


@cli.command("issue-token")
@click.argument("username")
@click.option("--name", default="api")
@with_appcontext
def issue_token(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it once."""
    from sqlalchemy import select

    from workflows.people.models import User
    from workflows.people.service import issue_token as make_token

    with unit_of_work(_runtime().host.session_factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            sys.exit(f"no user {username!r}")
        click.echo(make_token(session, user=user, name=name))
