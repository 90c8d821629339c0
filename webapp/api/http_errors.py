"""The API's answer to an HTTP error (an unknown path, a wrong method, a body too large …): JSON in the caller's
language, the same wherever it was raised."""
from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from webapp import error_pages


def status_message(status: int) -> str:
    """An HTTP error of the API that no view worded (an unknown path, a body too large …), in the caller's
    language: Werkzeug's own texts are English, and the error pages' speak of pages."""
    messages = {400: _("the request cannot be understood"), 403: _("you may not do this"),
                404: _("there is no such resource"), 405: _("this resource does not take this method"),
                410: _("this no longer exists"), 413: _("the body is too large"),
                422: _("the submitted data is invalid"), 429: _("too many requests; try again in a little while"),
                503: _("the service is briefly unavailable; try again in a minute")}
    return messages.get(status, _("something went wrong on our side; it has been recorded"))


def http_error(err: HTTPException) -> tuple[Response, int]:
    """An HTTP error under the API, wherever it was raised (a view, a before-request hook, routing): named after its
    status text (``request_entity_too_large``) and worded in the caller's language, by the text our own code gave
    (never on a 500) else by the status; a wrong method names the ones the resource takes."""
    status = err.code or 500
    message = (error_pages.our_description(err) if status != 500 else "") or status_message(status)
    response = jsonify({"error": {"code": (err.name or "error").lower().replace(" ", "_"), "message": message}})
    if isinstance(err, MethodNotAllowed) and err.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(err.valid_methods))
    return response, status
