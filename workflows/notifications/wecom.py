"""WeCom (企业微信) application messages to one member, and the OAuth code exchange that tells who a member is.

Endpoints (``api_base`` is https://qyapi.weixin.qq.com):

* ``GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET`` → ``access_token``, ``expires_in``;
* ``POST /cgi-bin/message/send?access_token=…`` with ``touser``, ``msgtype`` (``textcard`` with a link, else
  ``text``) and ``agentid``; 81013 (or the user listed in ``invaliduser``) means WeCom knows no such member;
* ``GET /cgi-bin/auth/getuserinfo?access_token=…&code=CODE`` → the member's ``userid`` (a visitor who is not a
  member gets an ``openid`` instead).

40014 / 42001 (invalid / expired access token) renew the token once (:mod:`workflows.notifications.tokens`).
"""
from __future__ import annotations

import html
import urllib.parse

from workflows.i18n import N_
from workflows.notifications.apps import WecomApp
from workflows.notifications.personal_text import PersonalText
from workflows.notifications.remote import MESSAGE_REFUSED, NO_TOKEN, SIGN_IN_REFUSED, RemoteError, Unreachable, call, errcode
from workflows.notifications.tokens import AccessTokens

PLATFORM = N_("WeCom")
NO_MEMBER = N_("%(platform)s knows no member with the bound userid (error code %(code)s)")
UNKNOWN_MEMBER = frozenset({81013, 60111, 46004})  # no valid recipient / userid not found / user does not exist
DUPLICATE_WINDOW = 1800  # seconds in which WeCom drops a repeated identical message (a retry after a lost answer)


class NotAMember(ValueError):
    """The person who opened the binding link is not a member of the school's WeCom."""


class WecomClient:
    def __init__(self, app: WecomApp, tokens: AccessTokens):
        self.app = app
        self.tokens = tokens

    def _fetch_token(self) -> tuple[str, int]:
        query = urllib.parse.urlencode({"corpid": self.app.corp_id, "corpsecret": self.app.secret})
        reply = call("GET", f"{self.app.api_base}/cgi-bin/gettoken?{query}", platform=PLATFORM)
        token, expires_in = reply.get("access_token"), reply.get("expires_in")
        if errcode(reply) or not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise RemoteError(NO_TOKEN, PLATFORM, code=errcode(reply), app_setting="WECOM_CORP_ID",
                              secret_setting="WECOM_SECRET")
        return token, expires_in

    def _call(self, method: str, path: str, *, query: dict[str, str] | None = None, body: dict | None = None) -> dict:
        def request(token: str) -> dict:
            params = urllib.parse.urlencode({"access_token": token, **(query or {})})
            return call(method, f"{self.app.api_base}{path}?{params}", platform=PLATFORM, json_body=body)

        return self.tokens.call(self.app.token_key, self._fetch_token, request, platform=PLATFORM)

    def body(self, userid: str, text: PersonalText) -> dict:
        """The ``message/send`` body: a text card that opens the person's notifications, or plain text without a link."""
        common = {"touser": userid, "agentid": self.app.agent_id, "enable_duplicate_check": 1,
                  "duplicate_check_interval": DUPLICATE_WINDOW}
        if text.link:
            description = f'<div class="gray">{html.escape(text.when)}</div>' + (
                f'<div class="normal">{html.escape(text.order)}</div>' if text.order else "")
            return {**common, "msgtype": "textcard", "textcard": {"title": text.title, "description": description,
                                                                  "url": text.link, "btntxt": text.button}}
        return {**common, "msgtype": "text", "text": {"content": "\n".join([text.title, *text.lines()])}}

    def send(self, userid: str, text: PersonalText) -> None:
        reply = self._call("POST", "/cgi-bin/message/send", body=self.body(userid, text))
        code = errcode(reply)
        invalid = str(reply.get("invaliduser") or "").lower().split("|")
        if code in UNKNOWN_MEMBER or userid.lower() in invalid:
            raise Unreachable(NO_MEMBER, PLATFORM, code=code)
        if code:
            raise RemoteError(MESSAGE_REFUSED, PLATFORM, code=code)

    def member_of(self, code: str) -> str:
        """The userid of the member whose phone was given OAuth ``code``."""
        reply = self._call("GET", "/cgi-bin/auth/getuserinfo", query={"code": code})
        if errcode(reply):
            raise RemoteError(SIGN_IN_REFUSED, PLATFORM, code=errcode(reply))
        userid = reply.get("userid") or reply.get("UserId")
        if not isinstance(userid, str) or not userid:
            raise NotAMember("not a member of the school's WeCom")
        return userid
