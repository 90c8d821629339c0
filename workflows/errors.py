"""Errors of the domain services that the pages and the API show to people, in the reader's language."""
from __future__ import annotations

from typing import Any

from workflows.i18n import translate


class Refusal(ValueError):
    """A refused input (or a delivery a receiver refused), in words: ``message`` is a catalog msgid (marked with
    :func:`workflows.i18n.N_`) with ``%(name)s`` placeholders and their values apart, so that :meth:`said` can word
    it in any language; ``str()`` is the English text, for logs. A value that is itself a refusal is said in the same
    language ("photo 2" and why it was refused). The outbox keeps a delivery's refusal in these words
    (:class:`engine.outbox.Worded`)."""

    def __init__(self, message: str, **params: Any):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def said(self, locale: str) -> str:
        return translate(self.message, locale, **{name: value.said(locale) if isinstance(value, Refusal) else value
                                                  for name, value in self.params.items()})


class FieldError(Refusal):
    """A refused input; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str, **params: Any):
        super().__init__(message, **params)
        self.field = field
