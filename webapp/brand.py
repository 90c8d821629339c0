"""The product's look that every page shares: its name in the page's language (``product_name()`` in templates,
from :data:`workflows.brand.PRODUCT`) and its icon, also at ``/favicon.ico`` where browsers ask for it unprompted."""
from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from workflows.brand import PRODUCT

bp = Blueprint("brand", __name__)
ICON = "favicon.svg"


def product_name() -> str:
    return _(PRODUCT)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The same SVG icon the pages link to, for browsers (and bookmarks, tabs of PDFs) that ask for it here."""
    return send_from_directory(current_app.static_folder or "static", ICON, mimetype="image/svg+xml", max_age=86400)


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals["product_name"] = product_name
