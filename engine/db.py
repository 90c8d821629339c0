"""SQLAlchemy base, engine construction and the unit of work used by every entry point.

One declarative ``Base`` serves the engine, the rules and the domain, so Alembic sees a single
metadata. Sessions are always passed explicitly; the only place that commits is the entry point
(a web request, a Celery task, a CLI command) through :func:`unit_of_work`.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.selectable import GenerativeSelect

from engine.clock import as_utc

SelectT = TypeVar("SelectT", bound=GenerativeSelect)  # any SELECT, whatever its row type
ModelT = TypeVar("ModelT")

NAMING = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys for the embedded mode."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # let SQLAlchemy emit BEGIN itself so that writers take the lock at the first statement
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def locking(session: Session, stmt: SelectT, *, skip_locked: bool = False, of: Any = None) -> SelectT:
    """``stmt`` taking row locks (``FOR UPDATE``, optionally ``SKIP LOCKED``) where the database has them.

    SQLite has no row locks and needs none: every transaction there starts with ``BEGIN IMMEDIATE`` (see
    :func:`make_engine`), so writers are serialised anyway. The one place that decides this."""
    if is_sqlite(session):
        return stmt
    return stmt.with_for_update(skip_locked=skip_locked, of=of)


def get_locked(session: Session, model: type[ModelT], ident: Any) -> ModelT | None:
    """``session.get`` that locks the row until the transaction ends (see :func:`locking`) and answers it as it is
    now: a copy the session loaded earlier, unchanged since, is read again (another transaction may have changed the
    row before the lock was granted); one with changes not yet flushed is kept as it is."""
    loaded = session.identity_map.get(session.identity_key(model, ident))
    stale = loaded is not None and not session.is_modified(loaded)
    return session.get(model, ident, with_for_update=not is_sqlite(session), populate_existing=stale)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
