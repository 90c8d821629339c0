"""Text written outside a request (notification titles, e-mails, group-bot messages, reports), translated with
the same catalog the web pages use.

A background job has no request and no Flask app, so Flask-Babel cannot pick the language there; these helpers
read the compiled catalogs in ``webapp/translations`` with Babel itself, for the locale the caller names.
Messages are marked with :func:`N_`, or with :func:`NC_` and a context where the same English word means
something else on a page ("Default" is a default *value* on the rules page and a default-good *rating* in a
report), so that ``pybabel extract`` finds them (see ``babel.cfg``).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).resolve().parent.parent / "webapp" / "translations"
_CATALOG_FOLDERS = {"zh_CN": "zh_Hans_CN", "en": "en"}  # Babel's name for zh_CN, as Flask-Babel uses it

Message = str | tuple[str, str]  # a msgid, or (context, msgid)


def N_(text: str) -> str:
    """Mark ``text`` for extraction; it is translated where it is shown, with :func:`translate`."""
    return text


def NC_(context: str, text: str) -> tuple[str, str]:
    """Mark ``text`` for extraction under ``context``."""
    return context, text


def normalise(locale: str | None) -> str:
    """``"en"`` for anything English, else the default ``"zh_CN"``."""
    return "en" if (locale or "").lower().startswith("en") else "zh_CN"


def translate(message: Message, locale: str | None, **params: Any) -> str:
    """``message`` in ``locale``, its ``%(name)s`` placeholders (if any ``params`` are given) filled in."""
    catalog = _catalog(normalise(locale))
    if isinstance(message, tuple):
        text: str = catalog.pgettext(*message)  # type: ignore[assignment]  # Babel annotates pgettext `str | object`; it returns a str
    else:
        text = catalog.gettext(message)
    return text % params if params else text


@cache
def _catalog(locale: str) -> NullTranslations:
    return Translations.load(str(CATALOGS), [_CATALOG_FOLDERS[locale]])
