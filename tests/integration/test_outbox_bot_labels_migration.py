"""Migration 0037 on SQLite and PostgreSQL: a group bot's refusal kept in words before names the bot by its label
afterwards, as the sender names it now, so old and new rows read alike; other words are left alone, and a downgrade
puts the codes back."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from engine.db import UtcDateTime, make_engine
from engine.models import OutboxMessage
from webapp.migrate import alembic_config
from workflows.hooks.delivery_errors import said

BEFORE = "0036"
_outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("created_at", UtcDateTime(timezone=True)),
                   sa.column("kind", sa.String), sa.column("channel", sa.String), sa.column("recipients", sa.JSON),
                   sa.column("payload", sa.JSON), sa.column("status", sa.String), sa.column("attempts", sa.Integer),
                   sa.column("last_error", sa.Text), sa.column("last_error_words", sa.JSON))
CODED = "%(kind)s refused the message (error code %(code)s)"
STORED = {  # English text: (the words kept then, said on a Chinese page after the migration)
    "WebhookError: wecom refused the message (error code 93000)":
        ({"message": CODED, "values": {"kind": "wecom", "code": 93000}}, "企业微信群机器人拒收了消息（错误码 93000）"),
    "WebhookError: dingtalk refused the message (error code 310000)":  # as 0036 read it back: the code as text
        ({"message": CODED, "values": {"kind": "dingtalk", "code": "310000"}}, "钉钉群机器人拒收了消息（错误码 310000）"),
    "WebhookError: feishu refused the message":
        ({"message": "%(kind)s refused the message", "values": {"kind": "feishu"}}, "飞书群机器人拒收了消息"),
}
LEFT_ALONE = {
    "WebhookError: pigeon refused the message": {"message": "%(kind)s refused the message", "values": {"kind": "pigeon"}},
    "WebhookError: unknown webhook kind 'wecom'": {"message": "unknown webhook kind %(kind)s", "values": {"kind": "'wecom'"}},
    "RemoteError: WeCom answered HTTP 503": {"message": "%(platform)s answered HTTP %(code)s",
                                             "values": {"platform": {"message": "WeCom", "values": {}}, "code": 503}},
    "ConnectionError: gateway unreachable": None,
}


def _rows(engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {row.last_error: row for row in session.scalars(sa.select(OutboxMessage))}


def test_a_bot_refusal_kept_before_names_the_bot_by_its_label_and_a_downgrade_names_it_by_its_code(database):
    engine = make_engine(database)
    config = alembic_config(engine)
    kept = {text: words for text, (words, _chinese) in STORED.items()} | LEFT_ALONE
    try:
        command.upgrade(config, BEFORE)
        with engine.begin() as connection:
            connection.execute(sa.insert(_outbox), [
                {"created_at": datetime(2026, 12, 1, tzinfo=UTC), "kind": "repair.dispatched", "channel": "webhook",
                 "recipients": {}, "payload": {}, "status": "failed", "attempts": 1, "last_error": text,
                 "last_error_words": words} for text, words in kept.items()])
        command.upgrade(config, "head")
        upgraded = _rows(engine)
        command.downgrade(config, BEFORE)
        downgraded = _rows(engine)
    finally:
        engine.dispose()

    assert {text: said(upgraded[text], "zh_CN") for text in STORED} == {text: zh for text, (_w, zh) in STORED.items()}
    assert said(upgraded["WebhookError: wecom refused the message (error code 93000)"], "en") == \
        "WeCom group bot refused the message (error code 93000)"
    assert {text: upgraded[text].last_error_words for text in LEFT_ALONE} == LEFT_ALONE
    assert {text: row.last_error_words for text, row in downgraded.items()} == kept
