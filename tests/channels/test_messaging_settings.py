"""Personal-messaging settings come from the environment only: real hosts by default, every account complete or
refused at start-up with the variable named, the fallback order checked, and no secret in a settings object's repr."""
from __future__ import annotations

import pytest

from webapp.config import Settings
from workflows.notifications.apps import Messaging, SettingsError
from workflows.notifications.enums import PersonalChannel

FULL = {
    "WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s-wecom",
    "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s-wechat", "WECHAT_TEMPLATE_ID": "tpl",
    "SMS_PROVIDER": "aliyun", "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI", "ALIYUN_SMS_ACCESS_KEY_SECRET": "s-sms",
    "ALIYUN_SMS_SIGN_NAME": "后勤", "ALIYUN_SMS_TEMPLATE_CODE": "SMS_1",
}


def test_nothing_set_means_no_personal_channel_but_e_mail():
    messaging = Settings.from_env({"SECRET_KEY": "k"}).messaging
    assert (messaging.wecom, messaging.wechat, messaging.sms, messaging.public_url) == (None, None, None, None)
    assert messaging.order == (PersonalChannel.wecom, PersonalChannel.wechat, PersonalChannel.email, PersonalChannel.sms)


def test_full_settings_point_at_the_real_hosts_and_hide_their_secrets():
    messaging = Messaging.from_env({**FULL, "HOUQIN_PUBLIC_URL": "https://houqin.example.edu.cn/",
                                    "HOUQIN_MESSAGE_ORDER": "wechat, email"})
    assert messaging.wecom.api_base == "https://qyapi.weixin.qq.com" and messaging.wecom.agent_id == 1000002
    assert messaging.wechat.api_base == "https://api.weixin.qq.com"
    assert messaging.wechat.template_fields == (("thing1", "title"), ("character_string2", "order"), ("time3", "time"))
    assert messaging.sms.endpoint == "https://dysmsapi.aliyuncs.com" and messaging.sms.region == "cn-hangzhou"
    assert messaging.open_base == "https://open.weixin.qq.com"
    assert messaging.public_url == "https://houqin.example.edu.cn"
    assert messaging.order == (PersonalChannel.wechat, PersonalChannel.email)
    shown = repr(messaging)
    assert "ww1" in shown and not any(secret in shown for secret in ("s-wecom", "s-wechat", "s-sms"))
    assert messaging.wecom.token_key != Messaging.from_env({**FULL, "WECOM_SECRET": "rotated"}).wecom.token_key


@pytest.mark.parametrize(("env", "says"), [
    ({"WECOM_CORP_ID": "ww1"}, "WECOM_AGENT_ID, WECOM_SECRET must be set too"),
    ({**FULL, "WECOM_AGENT_ID": "app"}, "WECOM_AGENT_ID must be the app's numeric AgentId"),
    ({"WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s"}, "WECHAT_TEMPLATE_ID must be set too"),
    ({"SMS_PROVIDER": "twilio"}, "SMS_PROVIDER 'twilio' is not supported"),
    ({"SMS_PROVIDER": "aliyun"}, "ALIYUN_SMS_ACCESS_KEY_ID"),
    ({"HOUQIN_MESSAGE_ORDER": "wecom,fax"}, "HOUQIN_MESSAGE_ORDER lists each of"),
    ({"HOUQIN_MESSAGE_ORDER": "email,email"}, "HOUQIN_MESSAGE_ORDER lists each of"),
    ({**FULL, "WECHAT_TEMPLATE_FIELDS": "thing1=colour"}, "WECHAT_TEMPLATE_FIELDS"),
    ({**FULL, "WECOM_API_BASE": "qyapi.weixin.qq.com"}, "WECOM_API_BASE must be an http(s) address"),
])
def test_incomplete_or_unknown_settings_are_refused_by_name(env, says):
    with pytest.raises(SettingsError, match=says.replace("(", r"\(").replace(")", r"\)")):
        Messaging.from_env(env)
