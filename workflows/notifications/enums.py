"""The notification vocabulary as types: the channels a personal message can take and the binding audit actions."""
from __future__ import annotations

from enum import StrEnum


class PersonalChannel(StrEnum):
    """A way to reach one person outside the app; the deployment's order of them is its fallback order."""

    wecom = "wecom"  # WeCom (企业微信) application message to the person's bound userid
    wechat = "wechat"  # WeChat official-account (公众号) template message to the person's bound openid
    email = "email"
    sms = "sms"  # a text message to the person's phone number


BOUND_CHANNELS = (PersonalChannel.wecom, PersonalChannel.wechat)  # reached through a binding made by QR code


class BotKind(StrEnum):
    """The group bots a school's webhook target may post to (its ``kind``): each takes its own body and signature."""

    wecom = "wecom"  # 企业微信群机器人
    dingtalk = "dingtalk"  # 钉钉群机器人
    feishu = "feishu"  # 飞书群机器人


class BindingAction(StrEnum):
    """Audit actions of a person's WeCom / WeChat bindings."""

    BOUND = "binding.created"
    UNBOUND = "binding.removed"


class TicketProblem(StrEnum):
    """Why a binding QR code cannot be used."""

    FORGED = "forged"  # altered, made up, or for another channel
    EXPIRED = "expired"
    USED = "used"
