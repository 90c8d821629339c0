"""Shared fixtures: databases (SQLite file, fresh PostgreSQL database), Redis, runtimes, the web app.

Services that are missing make their tests skip locally, but fail loudly when ``CI=true``: CI must
never pass green by skipping the integration suite.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# The project is installed editable, and setuptools' editable finder runs *after* the path finder:
# with tests/ on sys.path, a test folder such as tests/webapp/ would be imported as a namespace
# package in place of the real ``webapp``. The repository root on sys.path keeps the real one first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
import pytest  # noqa: E402
import redis  # noqa: E402
import time_machine  # noqa: E402
from factories import Clock, Harness  # noqa: E402
from psycopg import sql  # noqa: E402
from unavailable import unavailable  # noqa: E402

PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PGPORT", "5432"))
PG_MAINTENANCE_DB = "test"
# Under pytest-xdist every worker ("gw0", "gw1", ...) gets its own Redis database, since tests flush theirs.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = os.environ.get("HOUQIN_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{11 + _XDIST_WORKER}")
FROZEN_START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


# --- clock ----------------------------------------------------------------------------------

@pytest.fixture
def clock():
    """Freeze time at :data:`FROZEN_START`; tests move it with ``clock.advance(hours=12)``."""
    with time_machine.travel(FROZEN_START, tick=False) as traveller:
        yield Clock(traveller, FROZEN_START)


# --- databases ------------------------------------------------------------------------------
#
# ``sqlite_url`` and ``pg_url`` are empty databases. Most tests want the schema, so
# ``migrated_sqlite_url`` and ``migrated_pg_url`` clone a database that ``upgrade_to_head`` built
# once per session (Alembic runs for real; cloning is what keeps 150 tests fast). The ``runtime``
# factory still calls ``upgrade_to_head`` on every database it is given, which is a no-op at head.

def _migrate(url: str) -> None:
    from engine.db import make_engine
    from webapp.migrate import upgrade_to_head
    from workflows.bootstrap import import_models

    import_models()
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'houqin.db'}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "houqin.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def migrated_sqlite_url(tmp_path, _sqlite_template) -> str:
    path = tmp_path / "migrated.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def pg_admin() -> str:
    """Connection URL (psycopg form) of a role that may create databases."""
    users = [u for u in (os.environ.get("PGUSER"), "postgres", "root") if u]
    errors = []
    for user in dict.fromkeys(users):
        url = f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{PG_MAINTENANCE_DB}"
        try:
            with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
                can_create = conn.execute(
                    "select rolcreatedb or rolsuper from pg_roles where rolname = current_user").fetchone()[0]
        except psycopg.Error as err:
            errors.append(f"{user}: {str(err).strip()}")
            continue
        if can_create:
            return url
        errors.append(f"{user}: may not create databases")
    unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT} is not reachable ({'; '.join(errors)})")


@contextmanager
def _pg_database(admin_url: str, *, template: str | None = None) -> Iterator[str]:
    """Create a uniquely named database (optionally cloned), yield its SQLAlchemy URL, drop it."""
    name = f"houqin_test_{uuid.uuid4().hex[:12]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(create)
    base = admin_url.rsplit("/", 1)[0].removeprefix("postgresql://")
    try:
        yield f"postgresql+psycopg://{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url(pg_admin) -> str:
    """A fresh, empty, uniquely named database (SQLAlchemy URL), dropped at teardown."""
    with _pg_database(pg_admin) as url:
        yield url


@pytest.fixture(scope="session")
def _pg_template(pg_admin) -> str:
    with _pg_database(pg_admin) as url:
        _migrate(url)
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def migrated_pg_url(pg_admin, _pg_template) -> str:
    """A fresh database cloned from the session's migrated template, dropped at teardown."""
    with _pg_database(pg_admin, template=_pg_template) as url:
        yield url


@pytest.fixture(scope="session")
def _pg_seeded_template(pg_admin, _pg_template, tmp_path_factory) -> str:
    from seeded import seed_site

    with _pg_database(pg_admin, template=_pg_template) as url:
        seed_site(url, tmp_path_factory.mktemp("seeded"))
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def seeded_pg_url(pg_admin, _pg_seeded_template) -> str:
    """A fresh database holding the shipped site (:mod:`seeded`), cloned from the session's seeded template."""
    with _pg_database(pg_admin, template=_pg_seeded_template) as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """A dedicated Redis database index, emptied before and after the test."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as err:
        client.close()
        unavailable(f"Redis at {REDIS_TEST_URL} is not reachable ({err})")
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


# --- runtimes -------------------------------------------------------------------------------

@pytest.fixture
def runtime(request, tmp_path):
    """Factory: ``runtime(url=None)`` bootstraps the real runtime (inline dispatcher) on ``url``
    (default: a migrated SQLite file), upgrades it to head with Alembic and returns a :class:`Harness`."""
    from webapp.migrate import upgrade_to_head
    from workflows.bootstrap import bootstrap

    built: list[Harness] = []

    def build(database_url: str | None = None, *, migrate: bool = True) -> Harness:
        url = database_url or request.getfixturevalue("migrated_sqlite_url")
        rt = bootstrap(database_url=url, redis_url=None, data_dir=tmp_path / "data")
        if migrate:
            upgrade_to_head(rt.db_engine)
        harness = Harness(rt)
        built.append(harness)
        return harness

    yield build
    for harness in built:
        harness.runtime.db_engine.dispose()


@pytest.fixture
def rt(runtime) -> Harness:
    """The default runtime: SQLite file database, migrated."""
    return runtime()


@pytest.fixture
def people(rt):
    """A school with one team and a worker, a clerk and a supervisor in it (in ``rt``)."""
    return rt.people()


# --- web ------------------------------------------------------------------------------------

@pytest.fixture
def app(tmp_path, migrated_sqlite_url):
    from webapp import create_app
    from webapp.config import Settings

    settings = Settings(database_url=migrated_sqlite_url, redis_url=None, secret_key="test-secret-key",
                        data_dir=tmp_path / "data")
    flask_app = create_app(config={"TESTING": True}, settings=settings)
    yield flask_app
    flask_app.extensions["houqin"].db_engine.dispose()


@pytest.fixture
def app_harness(app) -> Harness:
    return Harness(app.extensions["houqin"])


@pytest.fixture
def client(app):
    return app.test_client()


class WebLogin:
    """Log in through the real form: fetch /login, scrape the CSRF token, post the credentials."""

    _CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.status_code
        match = self._CSRF.search(page.get_data(as_text=True))
        assert match, f"no csrf_token on {path}"
        return match.group(1) or match.group(2)

    def __call__(self, username: str, password: str):
        token = self.csrf_token()
        return self.client.post("/login", data={"csrf_token": token, "username": username, "password": password})


@pytest.fixture
def login(client) -> WebLogin:
    return WebLogin(client)
