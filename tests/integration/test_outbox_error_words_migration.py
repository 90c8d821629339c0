"""Migration 0036 on SQLite and PostgreSQL: outbox rows stored before the outbox kept an error's words get the words
their English text reads as, once, so the pages say them in the reader's language; other text keeps no words."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from engine.db import UtcDateTime, make_engine
from engine.models import OutboxMessage
from webapp.migrate import alembic_config
from workflows.hooks.delivery_errors import said

BEFORE = "0035"
_outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("created_at", UtcDateTime(timezone=True)),
                   sa.column("kind", sa.String), sa.column("channel", sa.String), sa.column("recipients", sa.JSON),
                   sa.column("payload", sa.JSON), sa.column("status", sa.String), sa.column("attempts", sa.Integer),
                   sa.column("last_error", sa.Text))
STORED = {  # as the outbox and its senders wrote them before: English text only
    "WebhookError: refused target (redirect): ::ffff:10.0.0.1 is a private address (embedded in ::ffff:10.0.0.1); "
    "webhooks may only go to public internet addresses unless the host is listed in HOUQIN_WEBHOOK_ALLOW":
        "跳转后的接收地址被拒绝：::ffff:10.0.0.1 是内网地址（嵌入在 ::ffff:10.0.0.1 中）；Webhook 只能发往公网地址，除非该主机已列入 "
        "HOUQIN_WEBHOOK_ALLOW",
    "WebhookError: refused target: the host nowhere.test cannot be resolved": "接收地址被拒绝：无法解析主机 nowhere.test",
    "WebhookError: the receiver could not be reached (TimeoutError)": "无法连接接收方（TimeoutError）",
    "WebhookError: more than 3 redirects": "跳转超过 3 次",
    "skipped: the subscriber was removed, deactivated or no longer takes this event": "已跳过：该订阅方已删除、停用或不再接收此事件",
    "skipped: the recipient has no e-mail address or switched e-mail off": "已跳过：收件人没有邮箱地址或已关闭邮件提醒",
    "skipped: the webhook target was removed or deactivated": "已跳过：该群机器人已删除或停用",
    "skipped: the recipient's account was removed or deactivated": "已跳过：收件人的账号已删除或停用",
    "WeCom knows no member with the bound userid (error code 81013); handed to the next channel, wechat (message 12)":
        "企业微信中没有与绑定的 userid 对应的成员（错误码 81013）；已转交下一个渠道：微信（消息 12）",
    "WeChat cannot reach the bound openid: it does not follow the official account or refuses its messages (error code "
    "43004); handed to the next channel, email": "微信无法送达绑定的 openid：此人未关注公众号或拒收其消息（错误码 43004）；已转交下一个渠道：邮箱",
    "sms: the recipient unbound it or switched it off; no other channel reaches this person":
        "短信：收件人已解除绑定或关闭了该渠道；没有其他渠道能联系到此人",
    "RemoteError: WeCom answered HTTP 503": "企业微信返回 HTTP 503",
    "RemoteError: Alibaba Cloud SMS refused the message (code ?)": "阿里云短信拒收了消息（代码 ?）",
}
AS_STORED = ["ConnectionError: gateway unreachable", "WebhookError: something new", "LookupError: no sender for channel 'pigeon'"]


def test_rows_stored_before_get_the_words_their_text_reads_as(database):
    engine = make_engine(database)
    config = alembic_config(engine)
    try:
        command.upgrade(config, BEFORE)
        texts = [*STORED, *AS_STORED, None]
        with engine.begin() as connection:
            connection.execute(sa.insert(_outbox), [
                {"created_at": datetime(2026, 12, 1, tzinfo=UTC), "kind": "repair.dispatched", "channel": "wecom",
                 "recipients": {}, "payload": {}, "status": "failed", "attempts": 1, "last_error": text} for text in texts])
        command.upgrade(config, "head")
        with Session(engine) as session:
            rows = {row.last_error: row for row in session.scalars(sa.select(OutboxMessage))}
    finally:
        engine.dispose()

    assert {text: said(rows[text], "zh_CN") for text in STORED} == STORED
    assert said(rows["RemoteError: WeCom answered HTTP 503"], "en") == "WeCom answered HTTP 503"
    handed = "WeCom knows no member with the bound userid (error code 81013); handed to the next channel, wechat (message 12)"
    assert said(rows[handed], "en") == handed.replace("wechat", "WeChat")  # a channel named by its name now
    assert [(rows[text].last_error_words, said(rows[text], "zh_CN")) for text in AS_STORED] == [(None, text) for text in AS_STORED]
    assert rows[None].last_error_words is None
