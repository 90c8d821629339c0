"""outbox error words: a delivery's last error as a catalog message and its values apart, beside its English text

The outbox keeps the words of an error that offers them (``engine.outbox.keep_error``), so the pages say it in their
reader's language. Rows stored before kept only the English text: where that text reads as one of the messages the
senders wrote then, it is read back here, once, into the same words (a refused target's reason, a hand-over's
platform reason and the channels named in it included). The messages are copied as they were at this revision, so
later changes to the catalog cannot change what this step reads. Any other text (a lost connection, a bug) gets no
words and is shown as stored.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-08 12:00:00
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None

_outbox = sa.table('outbox', sa.column('id', sa.Integer), sa.column('last_error', sa.Text),
                   sa.column('last_error_words', sa.JSON))
BATCH = 1000

# what a refused webhook target said (workflows/notifications/targets.py), and why an address is not public
ADDRESS_PHRASES = ("an unspecified address", "a loopback address", "a link-local address", "a multicast address",
                   "a private address", "a reserved address", "%(inner)s (embedded in %(ip)s)",
                   "the cloud metadata service", "not a public address")
TARGET_REFUSALS = ("the host %(host)s cannot be resolved", "not a valid web address",
                   "only http:// and https:// addresses can receive webhooks", "the address has no host",
                   "%(host)s is %(reason)s; webhooks may only go to public internet addresses unless the host is listed "
                   "in HOUQIN_WEBHOOK_ALLOW")
# a personal message's reason to hand over (workflows/notifications/personal.py and the platforms' Unreachable)
HANDOVER_REASONS = ("%(channel)s: the recipient unbound it or switched it off",
                    "%(platform)s knows no member with the bound userid (error code %(code)s)",
                    "%(platform)s cannot reach the bound openid: it does not follow the official account or refuses "
                    "its messages (error code %(code)s)",
                    "%(platform)s says the phone number cannot receive messages (code %(code)s)")
PLATFORMS = ("WeCom", "WeChat", "Alibaba Cloud SMS")
CHANNELS = {"wecom": "WeCom", "wechat": "WeChat", "email": "E-mail", "sms": "Text message"}  # named by their codes then
VALUES = {"reason": (*TARGET_REFUSALS, *ADDRESS_PHRASES, *HANDOVER_REASONS), "inner": ADDRESS_PHRASES,
          "platform": PLATFORMS}
"""What a value of each name may say; values of other names are kept as their text."""

STORED = (  # (how the outbox prefixed the text, the messages it may be), hand-overs before the shorter one they start as
    ("", ("skipped: the subscriber was removed, deactivated or no longer takes this event",
          "skipped: the recipient has no e-mail address or switched e-mail off",
          "skipped: the webhook target was removed or deactivated",
          "skipped: the recipient's account was removed or deactivated",
          "%(reason)s; no other channel reaches this person",
          "%(reason)s; handed to the next channel, %(channel)s (message %(id)s)",
          "%(reason)s; handed to the next channel, %(channel)s")),
    ("WebhookError: ", ("refused target: %(reason)s", "refused target (redirect): %(reason)s",
                        "HTTP %(code)s: the receiver answered with an error",
                        "the receiver could not be reached (%(error)s)", "more than %(count)s redirects",
                        "%(kind)s refused the message (error code %(code)s)", "%(kind)s refused the message",
                        "unknown webhook kind %(kind)s")),
    ("RemoteError: ", ("%(platform)s answered HTTP %(code)s", "%(platform)s could not be reached (%(error)s)",
                       "%(platform)s answered something that is not a JSON object",
                       "%(platform)s gave no access token (error code %(code)s): check %(app_setting)s and "
                       "%(secret_setting)s",
                       "%(platform)s refused the message (error code %(code)s)",
                       "%(platform)s did not accept the sign-in code (error code %(code)s)",
                       "%(platform)s refused the message (code %(code)s)",
                       "%(platform)s refused a freshly fetched access token too (error code %(code)s)")),
)


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('last_error_words', sa.JSON(), nullable=True))
    connection = op.get_bind()
    keep = (sa.update(_outbox).where(_outbox.c.id == sa.bindparam('row_id'))
            .values(last_error_words=sa.bindparam('words', type_=sa.JSON)))
    after = 0
    while rows := connection.execute(sa.select(_outbox.c.id, _outbox.c.last_error)
                                     .where(_outbox.c.id > after, _outbox.c.last_error.is_not(None))
                                     .order_by(_outbox.c.id).limit(BATCH)).all():
        found = [{'row_id': row_id, 'words': words} for row_id, text in rows if (words := words_of(text)) is not None]
        if found:
            connection.execute(keep, found)
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('last_error_words')


def words_of(text: str) -> dict[str, Any] | None:
    """The words of a stored ``last_error``, or None when it reads as none of the messages."""
    for prefix, messages in STORED:
        if text.startswith(prefix):
            words = _read(text.removeprefix(prefix), messages)
            if words is not None:
                return words
    return None


def _read(text: str, messages: Iterable[str]) -> dict[str, Any] | None:
    """The words of ``text`` as the first of ``messages`` it reads as, each value read as what its name may say."""
    for message in messages:
        found = _pattern(message).fullmatch(text)
        if found is not None:
            return {'message': message, 'values': {name: _value(name, value) for name, value in found.groupdict().items()}}
    return None


def _value(name: str, text: str) -> Any:
    if name == 'channel' and text in CHANNELS:
        return {'message': CHANNELS[text], 'values': {}}
    return _read(text, VALUES.get(name, ())) or text


@cache
def _pattern(message: str) -> re.Pattern[str]:
    """``message`` as a pattern: its words as they are, each ``%(name)s`` any text."""
    parts = re.split(r"%\((\w+)\)s", message)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)),
                      re.DOTALL)
