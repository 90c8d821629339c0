"""One SQLAlchemy session per request, closed (and rolled back if uncommitted) at teardown.

A request's session keeps every row it has loaded until the request ends. SQLAlchemy's identity map holds rows
weakly: a school, a catalogue item or a campus read at the start of a request and not held by the view was
dropped and read again by the next helper that asked for it (three times for one new order). A request is short
and reads a handful of rows, so holding them costs nothing and each is read once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

_HELD = "rows held for the request"


def runtime() -> Runtime:
    return current_app.extensions["houqin"]


def session() -> Session:
    if "db" not in g:
        g.db = runtime().host.session_factory(info={_HELD: []})
    return g.db


def _hold(session: Session, instance: Any) -> None:
    held = session.info.get(_HELD)
    if held is not None:
        held.append(instance)


def _close(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
        db.info.pop(_HELD, None)


def init_app(app: Flask) -> None:
    factory = app.extensions["houqin"].host.session_factory
    # only request sessions carry the list: the worker's and the CLI's sessions from this factory keep weak references
    event.listen(factory, "loaded_as_persistent", _hold)
    event.listen(factory, "pending_to_persistent", _hold)
    app.teardown_appcontext(_close)
