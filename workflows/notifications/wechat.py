"""WeChat official-account (公众号) template messages to one follower, and the web OAuth code exchange that gives
a follower's openid.

Endpoints (``api_base`` is https://api.weixin.qq.com):

* ``POST /cgi-bin/stable_token`` with ``grant_type=client_credential``, ``appid``, ``secret`` (normal mode: the
  same token while it is valid, so several processes never invalidate each other's) → ``access_token``,
  ``expires_in``;
* ``POST /cgi-bin/message/template/send?access_token=…`` with ``touser`` (openid), ``template_id``, ``url`` and
  ``data`` (``{keyword: {"value": …}}``); 40003 (invalid openid), 43004 (does not follow the account) and 43101
  (refuses the account's messages) mean this person cannot be reached here;
* ``GET /sns/oauth2/access_token?appid=…&secret=…&code=CODE&grant_type=authorization_code`` → ``openid``.

40001 / 40014 / 42001 (invalid / expired access token) renew the token once.
"""
from __future__ import annotations

import urllib.parse

from workflows.i18n import N_
from workflows.notifications.apps import WechatAccount
from workflows.notifications.personal_text import PersonalText
from workflows.notifications.remote import MESSAGE_REFUSED, NO_TOKEN, SIGN_IN_REFUSED, RemoteError, Unreachable, call, errcode
from workflows.notifications.tokens import AccessTokens

PLATFORM = N_("WeChat")
NOT_FOLLOWING = N_("%(platform)s cannot reach the bound openid: it does not follow the official account or refuses "
                   "its messages (error code %(code)s)")
NOT_REACHABLE = frozenset({40003, 43004, 43101})
# the template keyword types' length limits (characters); a longer value is refused by WeChat, so it is cut
LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "number": 32, "letter": 32, "symbol": 5}


def fit(keyword: str, value: str) -> str:
    """``value`` cut to what a template keyword of that type takes; never empty (WeChat refuses empty values)."""
    kind = keyword.rstrip("0123456789")
    limit = LIMITS.get(kind)
    value = value or "-"
    return value if limit is None or len(value) <= limit else value[: limit - 1] + "…"


class WechatClient:
    def __init__(self, account: WechatAccount, tokens: AccessTokens):
        self.account = account
        self.tokens = tokens

    def _fetch_token(self) -> tuple[str, int]:
        reply = call("POST", f"{self.account.api_base}/cgi-bin/stable_token", platform=PLATFORM,
                     json_body={"grant_type": "client_credential", "appid": self.account.app_id,
                                "secret": self.account.secret, "force_refresh": False})
        token, expires_in = reply.get("access_token"), reply.get("expires_in")
        if errcode(reply) or not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise RemoteError(NO_TOKEN, PLATFORM, code=errcode(reply), app_setting="WECHAT_APP_ID",
                              secret_setting="WECHAT_APP_SECRET")
        return token, expires_in

    def body(self, openid: str, text: PersonalText) -> dict:
        values = {"title": text.title, "order": text.order, "time": text.when}
        body: dict = {"touser": openid, "template_id": self.account.template_id,
                      "data": {keyword: {"value": fit(keyword, values[name])}
                               for keyword, name in self.account.template_fields}}
        if text.link:
            body["url"] = text.link
        return body

    def send(self, openid: str, text: PersonalText) -> None:
        def request(token: str) -> dict:
            return call("POST", f"{self.account.api_base}/cgi-bin/message/template/send?"
                        f"{urllib.parse.urlencode({'access_token': token})}", platform=PLATFORM,
                        json_body=self.body(openid, text))

        reply = self.tokens.call(self.account.token_key, self._fetch_token, request, platform=PLATFORM)
        code = errcode(reply)
        if code in NOT_REACHABLE:
            raise Unreachable(NOT_FOLLOWING, PLATFORM, code=code)
        if code:
            raise RemoteError(MESSAGE_REFUSED, PLATFORM, code=code)

    def follower_of(self, code: str) -> str:
        """The openid of the person whose phone was given OAuth ``code`` (a web-authorisation code, snsapi_base)."""
        query = urllib.parse.urlencode({"appid": self.account.app_id, "secret": self.account.secret, "code": code,
                                        "grant_type": "authorization_code"})
        reply = call("GET", f"{self.account.api_base}/sns/oauth2/access_token?{query}", platform=PLATFORM)
        openid = reply.get("openid")
        if errcode(reply) or not isinstance(openid, str) or not openid:
            raise RemoteError(SIGN_IN_REFUSED, PLATFORM, code=errcode(reply))
        return openid
