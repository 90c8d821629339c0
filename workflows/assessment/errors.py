"""Refusals of assessment input, in words a page can show in the reader's language.

The message is a catalog msgid with ``%(name)s`` placeholders and its values apart (``str()`` of the error is the
English text, for logs and the API); :meth:`Refusal.said` translates it.
"""
from __future__ import annotations

from typing import Any

from workflows.errors import FieldError
from workflows.i18n import translate


class Refusal(FieldError):
    def __init__(self, field: str, message: str, **params: Any):
        super().__init__(field, message % params if params else message)
        self.message, self.params = message, params

    def said(self, locale: str) -> str:
        text = translate(self.message, locale)
        return text % self.params if self.params else text
