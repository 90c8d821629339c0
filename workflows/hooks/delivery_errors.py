"""A delivery's last error in the reader's language.

The outbox keeps why a delivery failed or was skipped twice (:func:`engine.outbox.keep_error`): as English text for
operators and logs (``last_error``), and, when the error offers them, as its words (``last_error_words``): a catalog
message and its values apart, a value that is itself a message (why a target was refused, the platform's reason
nested in a hand-over, a channel's name) in the same form. Every refusal of a delivery and every sender's note of why
it skipped a row offers them. Rows stored before the outbox kept words got them from migration 0036, wherever their
text read as one of those messages. Any other error (a lost connection, a bug) is shown as stored.
"""
from __future__ import annotations

from typing import Any

from engine.models import OutboxMessage
from workflows.errors import Refusal


def said(message: OutboxMessage, locale: str) -> str:
    """``message``'s last error in ``locale`` when the outbox kept its words, else as stored."""
    if message.last_error_words is None:
        return message.last_error or ""
    return _refusal(message.last_error_words).said(locale)


def _refusal(words: dict[str, Any]) -> Refusal:
    """The refusal the stored ``words`` are, each value stored as words a refusal too, so it is said alike."""
    return Refusal(words["message"], **{name: _refusal(value) if isinstance(value, dict) else value
                                        for name, value in words["values"].items()})
