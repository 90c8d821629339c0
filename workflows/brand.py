"""The product's name, defined once: one name per language wherever a person reads it (the page header and
titles, the login page, e-mails, report files). Pages translate :data:`PRODUCT` with Flask-Babel; text written
outside a request uses :func:`product_name` with the reader's locale."""
from __future__ import annotations

from workflows.i18n import N_, translate

PRODUCT = N_("Houqin Campus Services")


def product_name(locale: str | None) -> str:
    """The product's name in ``locale`` (zh_CN unless English is asked for)."""
    return translate(PRODUCT, locale)
