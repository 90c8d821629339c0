"""Error pages in the app's look and the reader's language: what happened, what to do about it, and a way back.

The explanation is ours for every status; a description passed with ``abort(code, description=_("…"))`` by one
of our views replaces it, but never one of Werkzeug's or Flask-WTF's English texts. When the page's own header
cannot be drawn (it reads the signed-in user, their menus and the bell from the database, which may be what
failed), the same card is drawn under a header with the product's name only."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.i18n import LOCALES

log = logging.getLogger(__name__)


def title_of(code: int) -> str:
    titles = {400: _("Bad request"), 403: _("You may not see this page"), 404: _("Not found"),
              405: _("This page does not take that request"), 410: _("This link has expired"),
              413: _("What you sent is too large"), 422: _("The submitted data is invalid"),
              429: _("Too many requests; try again in a little while"), 500: _("Something went wrong"),
              503: _("The service is briefly unavailable; try again in a minute")}
    return titles.get(code, _("Something went wrong"))


def _explanation(code: int) -> str:
    if code == 413:
        limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return _("One submission may carry at most %(mb)d MB. Make the photos or files smaller, or send fewer at a "
                 "time, then try again.", mb=max(1, round(limit / 1024 / 1024)))
    texts = {
        400: _("The request could not be understood. Go back, check what you entered and try again."),
        403: _("Your account has no access to this page. If you need it for your work, ask your school's system "
               "administrator."),
        404: _("There is no such page. The link may be mistyped, or what it pointed to was removed."),
        405: _("This page cannot be used that way. Go back and use the buttons on the page."),
        410: _("This link no longer works. If you still need it, ask for a new one."),
        422: _("Some of what you sent could not be used. Go back, check the form and send it again."),
        429: _("There were too many attempts in a short time. Wait a minute and try again."),
        503: _("The service cannot reach its database just now. Try again in a minute; if this goes on, tell your "
               "system administrator."),
    }
    return texts.get(code, _("The page could not be shown because of a fault on our side; it has been recorded. "
                             "Try again in a moment."))


def our_description(err: HTTPException) -> str:
    """What to tell the reader about ``err`` besides its status: a text our own view gave, else nothing (the
    frameworks' default texts are English and say nothing the page's explanation does not)."""
    if isinstance(err, CSRFError):
        return _("This form has expired or was opened before you logged in again. Reload the page and send it again.")
    default = type(err).description
    return err.description if isinstance(err.description, str) and err.description != default else ""


def _back_link() -> str | None:
    """The page the reader came from on this site (the form behind a refused upload), if any."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if not referrer or parts.netloc != request.host or (request.method == "GET" and referrer == request.url):
        return None
    return referrer


def render(code: int, description: str = "") -> ResponseReturnValue:
    words = {"code": code, "back": _back_link()}
    try:
        return render_template("error.html", title=title_of(code), description=description or _explanation(code),
                               **words), code
    except Exception:  # noqa: BLE001 - the header needs the database; draw the card without it
        log.warning("error page %s drawn without the header", code, exc_info=True)
    chosen = session.get("lang")
    with force_locale(chosen if chosen in LOCALES else "zh_CN"):
        page = current_app.jinja_env.get_template("error_plain.html")
        return page.render(title=title_of(code), description=description or _explanation(code), **words), code
