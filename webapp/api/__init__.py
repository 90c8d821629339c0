"""The JSON API under /api/v1 (and its admin part), described by openapi.yaml."""
from __future__ import annotations

from flask import request

API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    """Whether the request is the API's, a path no route matches included: it is answered in JSON, in the language
    the API's own rule picks (:func:`webapp.i18n.api_locale`)."""
    return request.path == API_PREFIX or request.path.startswith(f"{API_PREFIX}/")
