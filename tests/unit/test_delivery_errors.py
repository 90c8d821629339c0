"""A delivery's stored English error is said again in the reader's language, each value kept and a refusal named in
it said too; text that is no known message is shown as stored."""
from __future__ import annotations

import pytest

from workflows.hooks.delivery_errors import said


@pytest.mark.parametrize("stored, chinese", [
    ("WebhookError: refused target (redirect): ::ffff:10.0.0.1 is a private address (embedded in ::ffff:10.0.0.1); "
     "webhooks may only go to public internet addresses unless the host is listed in HOUQIN_WEBHOOK_ALLOW",
     "跳转后的接收地址被拒绝：::ffff:10.0.0.1 是内网地址（嵌入在 ::ffff:10.0.0.1 中）；Webhook 只能发往公网地址"),
    ("WebhookError: refused target: the host nowhere.test cannot be resolved", "接收地址被拒绝：无法解析主机 nowhere.test"),
    ("WebhookError: the receiver could not be reached (TimeoutError)", "无法连接接收方（TimeoutError）"),
    ("WebhookError: more than 3 redirects", "跳转超过 3 次"),
    ("skipped: the subscriber was removed, deactivated or no longer takes this event", "已跳过：该订阅方已删除"),
])
def test_a_known_error_is_said_in_chinese(stored, chinese):
    assert said(stored, "zh_CN").startswith(chinese)
    assert said(stored, "en") == stored.removeprefix("WebhookError: ")


@pytest.mark.parametrize("stored", ["ConnectionError: gateway unreachable", "WebhookError: something new", "", None])
def test_other_text_is_shown_as_stored(stored):
    assert said(stored, "zh_CN") == (stored or "")
