"""A delivery's error is kept in English and in words (a catalog message and its values apart, a refusal named in it
nested the same way), and said again in the reader's language from the words; an error without words is shown as
stored."""
from __future__ import annotations

import json

import pytest

from engine.models import OutboxMessage
from engine.outbox import keep_error, words
from workflows.errors import Refusal
from workflows.hooks.delivery_errors import said
from workflows.hooks.sender import SKIPPED
from workflows.notifications import channels, personal, remote, sms, targets, wechat, wecom


def _refused_target(url: str) -> targets.TargetRefused:
    with pytest.raises(targets.TargetRefused) as refused:
        targets.check_target(url)
    return refused.value


def _kept(error: BaseException, text: str | None = None) -> OutboxMessage:
    message = OutboxMessage()
    keep_error(message, error, text)
    return message


def _handed_over() -> Refusal:
    reason = remote.Unreachable(wecom.NO_MEMBER, wecom.PLATFORM, code=81013)
    return Refusal(personal.HANDED_OVER, reason=reason, channel=Refusal("WeChat"), id=12)


@pytest.mark.parametrize("error, chinese", [
    (lambda: channels.WebhookError(channels.REFUSED_REDIRECT, reason=_refused_target("http://[::ffff:10.0.0.1]/")),
     "跳转后的接收地址被拒绝：::ffff:10.0.0.1 (::ffff:a00:1) 是内网地址（嵌入在 ::ffff:a00:1 中）；Webhook 只能发往公网地址"),
    (lambda: channels.WebhookError(channels.REFUSED_TARGET, reason=_refused_target("http://127.0.0.1:6379/")),
     "接收地址被拒绝：127.0.0.1 是回环地址；Webhook 只能发往公网地址"),
    (lambda: channels.WebhookError(channels.UNREACHABLE, error="TimeoutError"), "无法连接接收方（TimeoutError）"),
    (lambda: channels.WebhookError(channels.TOO_MANY_REDIRECTS, count=3), "跳转超过 3 次"),
    (lambda: channels.WebhookError(channels.BOT_REFUSED_CODE, kind=Refusal(channels.BOT_LABELS["wecom"]), code=93000),
     "企业微信群机器人拒收了消息（错误码 93000）"),
    (lambda: channels.WebhookError(channels.BOT_REFUSED, kind=Refusal(channels.BOT_LABELS["feishu"])), "飞书群机器人拒收了消息"),
    (lambda: Refusal(SKIPPED), "已跳过：该订阅方已删除"),
    (lambda: Refusal(channels.NO_ADDRESS), "已跳过：收件人没有邮箱地址或已关闭邮件提醒"),
    (lambda: Refusal(channels.TARGET_GONE), "已跳过：该群机器人已删除或停用"),
    (lambda: Refusal(personal.ACCOUNT_GONE), "已跳过：收件人的账号已删除或停用"),
    (_handed_over, "企业微信中没有与绑定的 userid 对应的成员（错误码 81013）；已转交下一个渠道：微信（消息 12）"),
    (lambda: Refusal(personal.NO_OTHER_CHANNEL, reason=Refusal(personal.CHANNEL_GONE, channel=Refusal("Text message"))),
     "短信：收件人已解除绑定或关闭了该渠道；没有其他渠道能联系到此人"),
    (lambda: remote.Unreachable(wechat.NOT_FOLLOWING, wechat.PLATFORM, code=43004), "微信无法送达绑定的 openid"),
    (lambda: remote.Unreachable(sms.NUMBER_UNREACHABLE, sms.PLATFORM, code="isv.MOBILE_NUMBER_ILLEGAL"),
     "阿里云短信表示该手机号无法接收短信（代码 isv.MOBILE_NUMBER_ILLEGAL）"),
    (lambda: remote.RemoteError(remote.ANSWERED_HTTP, wecom.PLATFORM, code=503), "企业微信返回 HTTP 503"),
])
def test_each_kind_of_error_is_said_in_chinese_from_its_words(error, chinese):
    refusal = error()
    message = _kept(refusal, f"{type(refusal).__name__}: {refusal}")
    assert message.last_error == f"{type(refusal).__name__}: {refusal}"  # the English text stays, for operators
    assert json.loads(json.dumps(message.last_error_words)) == message.last_error_words  # what a JSON column holds
    assert said(message, "zh_CN").startswith(chinese)
    assert said(message, "en") == str(refusal)


def test_a_sender_s_note_is_kept_as_its_english_text_and_its_words():
    message = _kept(_handed_over())
    assert message.last_error == ("WeCom knows no member with the bound userid (error code 81013); handed to the next "
                                  "channel, WeChat (message 12)")
    assert message.last_error_words == {
        "message": personal.HANDED_OVER,
        "values": {"reason": {"message": wecom.NO_MEMBER, "values": {"platform": {"message": "WeCom", "values": {}},
                                                                      "code": 81013}},
                   "channel": {"message": "WeChat", "values": {}}, "id": 12}}


def test_an_error_without_words_keeps_none_and_is_shown_as_stored():
    message = _kept(ConnectionError("gateway unreachable"), "ConnectionError: gateway unreachable")
    assert message.last_error_words is None
    assert said(message, "zh_CN") == "ConnectionError: gateway unreachable"
    assert said(OutboxMessage(), "zh_CN") == ""


def test_a_value_json_cannot_hold_is_kept_as_its_text():
    class Place:
        def __str__(self) -> str:
            return "room 305"

    assert words(Refusal("%(where)s", where=Place())) == {"message": "%(where)s", "values": {"where": "room 305"}}
    assert words(ValueError("no words")) is None


def test_a_hand_over_names_the_next_channel_by_its_name_and_one_it_has_no_name_for_by_its_code():
    """A row queued by a later release may name a channel this one has no name for: it is still handed over."""
    def handed_to(channel: str) -> str:
        return said(_kept(Refusal(personal.HANDED_OVER_BEFORE, reason=Refusal(personal.ACCOUNT_GONE),
                                  channel=personal._channel_word(channel))), "zh_CN")

    assert handed_to("wechat").endswith("已转交下一个渠道：微信")
    assert handed_to("pigeon").endswith("已转交下一个渠道：pigeon")
