"""One SQLAlchemy session per request, closed (and rolled back if uncommitted) at teardown."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


def runtime() -> Runtime:
    return current_app.extensions["houqin"]


def session() -> Session:
    if "db" not in g:
        g.db = runtime().host.session_factory()
    return g.db


def _close(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
