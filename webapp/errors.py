"""Errors as people and programs should see them: pages in the app's look and the user's language
(:mod:`webapp.error_pages`), JSON under ``/api/v1``, 503 when the database cannot be reached, and bad input stopped
at the edge (NUL bytes, numbers no column can hold) as 400/404 instead of failing deep in the database as a 500."""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.routing import IntegerConverter

from webapp import error_pages
from webapp.api import is_api_request
from webapp.api.http_errors import http_error

INT_MAX = 2**31 - 1  # the largest id or number a column holds; a bigger one names nothing
log = logging.getLogger(__name__)


class BoundedInt(IntegerConverter):
    """``<int:…>`` in routes, matching only numbers a column can hold: a bigger one is simply not found (404)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]  # werkzeug passes its own types through


def _http(err: HTTPException) -> ResponseReturnValue:
    """Every failure a request meets, said once: JSON under the API (:func:`http_error`), the app's error page
    elsewhere."""
    if is_api_request():
        return http_error(err)
    return error_pages.render(err.code or 500, error_pages.our_description(err))


def _unexpected(err: Exception) -> ResponseReturnValue:
    """Anything no view handled: the database out of reach answers 503; a value no column can hold 400."""
    if isinstance(err, HTTPException):
        return _http(err)
    if isinstance(err, OperationalError) or (isinstance(err, DBAPIError) and err.connection_invalidated):
        log.warning("database unreachable: %s", err)
        return _http(ServiceUnavailable())
    if isinstance(err, DataError):
        return _http(BadRequest(_("A value is out of range.")))
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _http(InternalServerError())


def _refuse_nul() -> ResponseReturnValue | None:
    """No text the app stores may hold a NUL character; refuse it in the path, the query and the form at once."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        return _http(BadRequest(_("The request contains a character that is not allowed.")))
    return None


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
    app.before_request(_refuse_nul)
    handler: Callable[[Exception], ResponseReturnValue] = _unexpected
    app.register_error_handler(Exception, handler)
    for code in (400, 403, 404, 405, 410, 413, 422, 429, 500, 503):
        app.register_error_handler(code, _http)
