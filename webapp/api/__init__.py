"""The JSON API under /api/v1 (and its admin part), described by openapi.yaml."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    """Whether the request is the API's, a path no route matches included: it is answered in JSON, in the language
    the API's own rule picks (:func:`webapp.i18n.api_locale`)."""
    return request.path == API_PREFIX or request.path.startswith(f"{API_PREFIX}/")


def status_message(status: int) -> str:
    """An HTTP error of the API that no view worded (an unknown path, a body too large …), in the caller's
    language: Werkzeug's own texts are English, and the error pages' speak of pages."""
    messages = {400: _("the request cannot be understood"), 403: _("you may not do this"),
                404: _("there is no such resource"), 405: _("this resource does not take this method"),
                410: _("this no longer exists"), 413: _("the body is too large"),
                422: _("the submitted data is invalid"), 429: _("too many requests; try again in a little while"),
                503: _("the service is briefly unavailable; try again in a minute")}
    return messages.get(status, _("something went wrong on our side; it has been recorded"))
