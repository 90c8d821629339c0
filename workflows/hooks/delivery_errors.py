"""A delivery's last error in the reader's language.

The outbox keeps a failed attempt's error as English text, "<exception name>: <its message>" (``engine.outbox``),
and the sender writes its own English sentence when it skips a row. A delivery's refusals are catalog messages
with their values apart (:class:`~workflows.notifications.channels.WebhookError`, whose reason is a refused
target, which may name why an address is not public), so the stored text is matched back to its message and values
and said again in the reader's language; rows stored before these were catalog messages read the same. Any other
text is shown as stored."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from workflows.errors import Refusal
from workflows.hooks.sender import SKIPPED
from workflows.notifications import channels, targets

ERROR_NAME = "WebhookError: "  # how the outbox prefixes a WebhookError's text
OWN = (SKIPPED,)  # written by the sender as they are
KNOWN = (*channels.WEBHOOK_MESSAGES, *targets.MESSAGES)  # a WebhookError's messages and the values they may name


def said(stored: str | None, locale: str) -> str:
    """``stored`` (a delivery's ``last_error``) in ``locale`` when it is a known message, else as stored."""
    if not stored:
        return ""
    refusal = _read(stored, OWN)
    if refusal is None and stored.startswith(ERROR_NAME):
        refusal = _read(stored.removeprefix(ERROR_NAME), channels.WEBHOOK_MESSAGES)
    return refusal.said(locale) if refusal is not None else stored


def _read(text: str, messages: Iterable[str]) -> Refusal | None:
    """The refusal whose English is ``text``, one of ``messages``; each value that reads as one of the known messages
    (why an address is refused) becomes that refusal, so it is said in the same language."""
    for message in messages:
        found = _pattern(message).fullmatch(text)
        if found is not None:
            return Refusal(message, **{name: _read(value, KNOWN) or value for name, value in found.groupdict().items()})
    return None


@cache
def _pattern(message: str) -> re.Pattern[str]:
    """``message`` as a pattern: its words as they are, each ``%(name)s`` any text."""
    parts = re.split(r"%\((\w+)\)s", message)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)), re.DOTALL)
