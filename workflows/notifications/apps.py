"""The accounts personal messages go out through — a WeCom app, a WeChat official account, an SMS account — as
settings read from the environment, never from the database.

Secrets (the WeCom app secret, the official account's AppSecret, the SMS AccessKey secret) stay out of every
``repr`` so that a logged settings object shows none of them. The API base addresses default to the real hosts;
tests point them at a local server.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from workflows.notifications.enums import PersonalChannel

WECOM_API = "https://qyapi.weixin.qq.com"
WECHAT_API = "https://api.weixin.qq.com"
WEIXIN_OPEN = "https://open.weixin.qq.com"  # the OAuth page WeCom and WeChat open on the phone
ALIYUN_SMS_API = "https://dysmsapi.aliyuncs.com"
DEFAULT_ORDER = (PersonalChannel.wecom, PersonalChannel.wechat, PersonalChannel.email, PersonalChannel.sms)
# the official account's template keywords and what fills them (title, order, time): ``thing1=title,…``
DEFAULT_TEMPLATE_FIELDS = (("thing1", "title"), ("character_string2", "order"), ("time3", "time"))
TEMPLATE_VALUES = ("title", "order", "time")


class SettingsError(ValueError):
    """A personal-messaging setting is missing or malformed; the message names the variable."""


def _fingerprint(secret: str) -> str:
    """A short digest that changes with the secret: a rotated secret gets a fresh cached token."""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class WecomApp:
    """A self-built WeCom app (自建应用): the corp, the app's AgentId and Secret."""

    corp_id: str
    agent_id: int
    secret: str = field(repr=False)
    api_base: str = WECOM_API

    @property
    def token_key(self) -> str:
        return f"wecom:{self.corp_id}:{self.agent_id}:{_fingerprint(self.secret)}"


@dataclass(frozen=True)
class WechatAccount:
    """A WeChat official account (服务号) with one template for reminders."""

    app_id: str
    secret: str = field(repr=False)
    template_id: str
    template_fields: tuple[tuple[str, str], ...] = DEFAULT_TEMPLATE_FIELDS
    api_base: str = WECHAT_API

    @property
    def token_key(self) -> str:
        return f"wechat:{self.app_id}:{_fingerprint(self.secret)}"


@dataclass(frozen=True)
class AliyunSmsAccount:
    """Alibaba Cloud SMS (短信服务): an AccessKey pair, an approved signature and template."""

    access_key_id: str
    access_key_secret: str = field(repr=False)
    sign_name: str
    template_code: str
    endpoint: str = ALIYUN_SMS_API
    region: str = "cn-hangzhou"


@dataclass(frozen=True)
class Messaging:
    """Which personal channels this deployment has, in its fallback order, and where message links lead."""

    wecom: WecomApp | None = None
    wechat: WechatAccount | None = None
    sms: AliyunSmsAccount | None = None
    order: tuple[PersonalChannel, ...] = DEFAULT_ORDER
    open_base: str = WEIXIN_OPEN
    public_url: str | None = None  # https://houqin.example.edu.cn: links in messages; none without it

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Messaging:
        return cls(wecom=_wecom(env), wechat=_wechat(env), sms=_sms(env), order=_order(env.get("HOUQIN_MESSAGE_ORDER")),
                   open_base=_base(env, "WEIXIN_OPEN_BASE", WEIXIN_OPEN),
                   public_url=(env.get("HOUQIN_PUBLIC_URL") or "").rstrip("/") or None)


def _base(env: Mapping[str, str], name: str, default: str) -> str:
    value = (env.get(name) or default).rstrip("/")
    if not value.startswith(("https://", "http://")):
        raise SettingsError(f"{name} must be an http(s) address")
    return value


def _needed(env: Mapping[str, str], names: tuple[str, ...], switch: str) -> dict[str, str]:
    missing = [n for n in names if not (env.get(n) or "").strip()]
    if missing:
        raise SettingsError(f"{switch} is set, so {', '.join(missing)} must be set too")
    return {n: env[n].strip() for n in names}


def _wecom(env: Mapping[str, str]) -> WecomApp | None:
    if not env.get("WECOM_CORP_ID"):
        return None
    values = _needed(env, ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET"), "WECOM_CORP_ID")
    if not values["WECOM_AGENT_ID"].isdigit():
        raise SettingsError("WECOM_AGENT_ID must be the app's numeric AgentId")
    return WecomApp(corp_id=values["WECOM_CORP_ID"], agent_id=int(values["WECOM_AGENT_ID"]),
                    secret=values["WECOM_SECRET"], api_base=_base(env, "WECOM_API_BASE", WECOM_API))


def _wechat(env: Mapping[str, str]) -> WechatAccount | None:
    if not env.get("WECHAT_APP_ID"):
        return None
    values = _needed(env, ("WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_TEMPLATE_ID"), "WECHAT_APP_ID")
    return WechatAccount(app_id=values["WECHAT_APP_ID"], secret=values["WECHAT_APP_SECRET"],
                         template_id=values["WECHAT_TEMPLATE_ID"],
                         template_fields=parse_template_fields(env.get("WECHAT_TEMPLATE_FIELDS")),
                         api_base=_base(env, "WECHAT_API_BASE", WECHAT_API))


def parse_template_fields(value: str | None) -> tuple[tuple[str, str], ...]:
    """``thing1=title,character_string2=order,time3=time`` as pairs (keyword, value name)."""
    if not (value or "").strip():
        return DEFAULT_TEMPLATE_FIELDS
    pairs = []
    for item in (value or "").split(","):
        keyword, _, name = item.strip().partition("=")
        if not keyword.strip() or name.strip() not in TEMPLATE_VALUES:
            raise SettingsError(f"WECHAT_TEMPLATE_FIELDS: {item.strip()!r} is not keyword=one of {', '.join(TEMPLATE_VALUES)}")
        pairs.append((keyword.strip(), name.strip()))
    return tuple(pairs)


def _sms(env: Mapping[str, str]) -> AliyunSmsAccount | None:
    provider = (env.get("SMS_PROVIDER") or "").strip().lower()
    if not provider:
        return None
    if provider != "aliyun":
        raise SettingsError(f"SMS_PROVIDER {provider!r} is not supported (supported: aliyun)")
    values = _needed(env, ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME",
                           "ALIYUN_SMS_TEMPLATE_CODE"), "SMS_PROVIDER")
    return AliyunSmsAccount(access_key_id=values["ALIYUN_SMS_ACCESS_KEY_ID"],
                            access_key_secret=values["ALIYUN_SMS_ACCESS_KEY_SECRET"],
                            sign_name=values["ALIYUN_SMS_SIGN_NAME"], template_code=values["ALIYUN_SMS_TEMPLATE_CODE"],
                            endpoint=_base(env, "ALIYUN_SMS_ENDPOINT", ALIYUN_SMS_API),
                            region=(env.get("ALIYUN_SMS_REGION") or "cn-hangzhou").strip())


def _order(value: str | None) -> tuple[PersonalChannel, ...]:
    if not (value or "").strip():
        return DEFAULT_ORDER
    names = [item.strip().lower() for item in (value or "").split(",") if item.strip()]
    unknown = [n for n in names if n not in set(PersonalChannel)]
    if unknown or len(set(names)) != len(names):
        raise SettingsError("HOUQIN_MESSAGE_ORDER lists each of wecom, wechat, email, sms at most once "
                            f"(got {value!r})")
    return tuple(PersonalChannel(n) for n in names)
