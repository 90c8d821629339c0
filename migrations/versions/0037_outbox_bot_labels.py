"""outbox bot labels: a group bot's refusal kept in words names the bot by its label, not its code

From this revision a group bot that refuses a message is named in the refusal's words by its label ("WeCom group
bot", a catalog word, "企业微信群机器人" on a Chinese page) where it was named by its code ("wecom"). The words of
refusals kept before (by the outbox, or read back from their text by 0036) get the label in place of the code, so
old and new rows read alike; their English text stays as stored. The messages and labels are copied as they are at
this revision, so later changes to the catalog cannot change what this step reads.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-09 09:00:00
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

_outbox = sa.table('outbox', sa.column('id', sa.Integer), sa.column('last_error_words', sa.JSON))
BATCH = 1000

BOT_REFUSALS = ("%(kind)s refused the message (error code %(code)s)", "%(kind)s refused the message")
LABELS = {'wecom': "WeCom group bot", 'dingtalk': "DingTalk group bot", 'feishu': "Feishu group bot"}
CODES = {label: code for code, label in LABELS.items()}


def upgrade() -> None:
    _rename(lambda kind: {'message': LABELS[kind], 'values': {}} if isinstance(kind, str) and kind in LABELS else None)


def downgrade() -> None:
    _rename(lambda kind: CODES.get(kind['message']) if isinstance(kind, dict) and kind.get('values') == {} else None)


def _rename(renamed: Callable[[Any], Any]) -> None:
    """Put ``renamed(kind)`` in place of the bot named in every kept bot refusal's words, where it is not None."""
    connection = op.get_bind()
    keep = (sa.update(_outbox).where(_outbox.c.id == sa.bindparam('row_id'))
            .values(last_error_words=sa.bindparam('words', type_=sa.JSON)))
    after = 0
    while rows := connection.execute(sa.select(_outbox.c.id, _outbox.c.last_error_words)
                                     .where(_outbox.c.id > after, _outbox.c.last_error_words.is_not(None))
                                     .order_by(_outbox.c.id).limit(BATCH)).all():
        found = [{'row_id': row_id, 'words': {**words, 'values': {**words['values'], 'kind': kind}}}
                 for row_id, words in rows
                 if isinstance(words, dict) and words.get('message') in BOT_REFUSALS
                 and (kind := renamed(words['values'].get('kind'))) is not None]
        if found:
            connection.execute(keep, found)
        after = rows[-1][0]
