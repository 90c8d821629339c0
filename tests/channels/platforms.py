"""A local stand-in for the messaging platforms, as their documents describe them, served on loopback by the tests.

* WeCom: ``GET /cgi-bin/gettoken``, ``POST /cgi-bin/message/send``, ``GET /cgi-bin/auth/getuserinfo``;
* WeChat: ``POST /cgi-bin/stable_token``, ``POST /cgi-bin/message/template/send``, ``GET /sns/oauth2/access_token``;
* the OAuth page both open on a phone: ``GET /connect/oauth2/authorize`` answers 302 to ``redirect_uri`` with a
  one-time ``code`` and the ``state`` it was given, for whoever :meth:`Platforms.phone` says holds the phone — the
  binding flow and WeCom's web login (网页授权) alike; a request lacking ``redirect_uri``, ``response_type=code``,
  a known scope, or (for WeCom) the app's ``agentid``, or whose state is not letters and digits, gets the error
  page (HTTP 400) the platforms show instead of a redirect;
* Alibaba Cloud SMS: ``POST /`` (``Action=SendSms``), whose signature is checked here from the documented
  algorithm, written out independently of the application's code.

Error codes are the documented ones: 40001 / 40014 / 42001 for bad or expired tokens, 81013 for an unknown WeCom
member, 43004 for an openid that does not follow the account, 40029 for a bad OAuth code, ``SignatureDoesNotMatch``
(HTTP 400) and ``isv.MOBILE_NUMBER_ILLEGAL`` for SMS. Every error message carries :data:`LEAK`, which must never
reach the database, an outbox error or a page.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from workflows.notifications.apps import AliyunSmsAccount, Messaging, WechatAccount, WecomApp

LEAK = "PLATFORM-ECHO-5c1d"  # in every error message the platforms answer
WECOM_SECRET = "wecom-app-secret-9e7a"
WECHAT_SECRET = "wechat-app-secret-4b2f"
SMS_SECRET = "aliyun-key-secret-71c0"
CORP_ID, AGENT_ID, APP_ID, TEMPLATE_ID, KEY_ID = "ww-school", 1000002, "wx-school", "tpl-reminder", "LTAI-test"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: dict


@dataclass
class Platforms:
    base_url: str
    calls: list[Call] = field(default_factory=list)
    members: set[str] = field(default_factory=set)  # WeCom userids of the corp
    followers: set[str] = field(default_factory=set)  # openids following the official account
    bad_numbers: set[str] = field(default_factory=set)
    token_answer: int | None = None  # force this errcode on every WeCom / WeChat send (42001: expired)
    down: bool = False  # answer HTTP 503 to everything
    tokens: dict[str, float] = field(default_factory=dict)  # token → expiry (epoch seconds)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # OAuth code → (channel, userid / openid)
    holder: dict[str, str] = field(default_factory=dict)  # channel → who the phone is signed in as
    nonces: set[str] = field(default_factory=set)
    counter: itertools.count = field(default_factory=itertools.count)

    def on(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    def expire_tokens(self) -> None:
        """Invalidate every token early, as the platforms may "for operational reasons"."""
        for token in self.tokens:
            self.tokens[token] = 0.0

    def phone(self, channel: str, identity: str) -> None:
        """The phone that scans the next binding code is signed in to ``channel`` as ``identity``."""
        self.holder[channel] = identity

    def messaging(self, **changes) -> Messaging:
        """Settings pointing every account at this server."""
        values = dict(
            wecom=WecomApp(corp_id=CORP_ID, agent_id=AGENT_ID, secret=WECOM_SECRET, api_base=self.base_url),
            wechat=WechatAccount(app_id=APP_ID, secret=WECHAT_SECRET, template_id=TEMPLATE_ID, api_base=self.base_url),
            sms=AliyunSmsAccount(access_key_id=KEY_ID, access_key_secret=SMS_SECRET, sign_name="后勤服务",
                                 template_code="SMS_100001", endpoint=self.base_url),
            open_base=self.base_url, public_url="https://houqin.school.test")
        values.update(changes)
        return Messaging(**values)

    # --- the platforms' behaviour -----------------------------------------------------------

    def _error(self, code: int, text: str) -> tuple[int, dict]:
        return 200, {"errcode": code, "errmsg": f"{text}, hint: [{LEAK}]"}

    def _new_token(self, prefix: str) -> dict:
        token = f"{prefix}-token-{next(self.counter)}"
        self.tokens[token] = time.time() + 7200
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _token_problem(self, token: str, invalid: int) -> tuple[int, dict] | None:
        if self.token_answer is not None:
            return self._error(self.token_answer, "access_token expired")
        if token not in self.tokens:
            return self._error(invalid, "invalid access_token")
        if time.time() >= self.tokens[token]:
            return self._error(42001, "access_token expired")
        return None

    def handle(self, method: str, path: str, query: dict[str, str], body: dict) -> tuple[int, dict | None, str | None]:
        """(status, JSON answer, Location) for one request."""
        self.calls.append(Call(method, path, query, body))
        if self.down:
            return 503, {"errcode": -1, "errmsg": LEAK}, None
        if path == "/connect/oauth2/authorize":
            if not self._authorize_ok(query):
                return 400, {"errcode": 40029, "errmsg": f"invalid authorize request, hint: [{LEAK}]"}, None
            code = f"code-{next(self.counter)}"
            channel = "wecom" if query.get("appid") == CORP_ID else "wechat"
            self.codes[code] = (channel, self.holder[channel])
            return 302, None, f"{query['redirect_uri']}{'&' if '?' in query['redirect_uri'] else '?'}" + \
                urlencode({"code": code, "state": query.get("state", "")})
        route = {
            ("GET", "/cgi-bin/gettoken"): self._wecom_token,
            ("POST", "/cgi-bin/message/send"): self._wecom_send,
            ("GET", "/cgi-bin/auth/getuserinfo"): self._wecom_user,
            ("POST", "/cgi-bin/stable_token"): self._wechat_token,
            ("POST", "/cgi-bin/message/template/send"): self._wechat_send,
            ("GET", "/sns/oauth2/access_token"): self._wechat_oauth,
            ("POST", "/"): self._sms,
        }.get((method, path))
        if route is None:
            return 404, {"errcode": 404, "errmsg": LEAK}, None
        status, answer = route(query, body)
        return status, answer, None

    @staticmethod
    def _authorize_ok(query: dict[str, str]) -> bool:
        state = query.get("state", "")
        if query.get("appid") not in (CORP_ID, APP_ID) or not query.get("redirect_uri"):
            return False
        if query.get("response_type") != "code" or query.get("scope") not in ("snsapi_base", "snsapi_privateinfo", "snsapi_userinfo"):
            return False
        if query["appid"] == CORP_ID and query.get("agentid") != str(AGENT_ID):
            return False
        return len(state) <= 128 and state.isalnum()

    def _wecom_token(self, query: dict, body: dict) -> tuple[int, dict]:
        if query.get("corpid") != CORP_ID or query.get("corpsecret") != WECOM_SECRET:
            return self._error(40001, "invalid credential")
        return 200, self._new_token("wecom")

    def _wecom_send(self, query: dict, body: dict) -> tuple[int, dict]:
        problem = self._token_problem(query.get("access_token", ""), 40014)
        if problem:
            return problem
        if body.get("agentid") != AGENT_ID or body.get("msgtype") not in ("text", "textcard"):
            return self._error(40056, "invalid agentid or msgtype")
        if body.get("touser") not in self.members:
            return self._error(81013, "user & party & tag all invalid")
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": f"m{next(self.counter)}"}

    def _spend(self, code: str, channel: str) -> str | None:
        held = self.codes.pop(code, None)
        return held[1] if held and held[0] == channel else None

    def _wecom_user(self, query: dict, body: dict) -> tuple[int, dict]:
        problem = self._token_problem(query.get("access_token", ""), 40014)
        if problem:
            return problem
        who = self._spend(query.get("code", ""), "wecom")
        if who is None:
            return self._error(40029, "invalid code")
        if who not in self.members:
            return 200, {"errcode": 0, "errmsg": "ok", "openid": f"o-{who}", "external_userid": ""}
        return 200, {"errcode": 0, "errmsg": "ok", "userid": who, "user_ticket": "t"}

    def _wechat_token(self, query: dict, body: dict) -> tuple[int, dict]:
        if body.get("grant_type") != "client_credential" or body.get("appid") != APP_ID or body.get("secret") != WECHAT_SECRET:
            return self._error(40125, "invalid appsecret")
        current = [t for t, until in self.tokens.items() if t.startswith("wechat") and until > time.time()]
        if current and not body.get("force_refresh"):
            return 200, {"access_token": current[-1], "expires_in": int(self.tokens[current[-1]] - time.time())}
        return 200, self._new_token("wechat")

    def _wechat_send(self, query: dict, body: dict) -> tuple[int, dict]:
        problem = self._token_problem(query.get("access_token", ""), 40001)
        if problem:
            return problem
        if body.get("template_id") != TEMPLATE_ID:
            return self._error(40037, "invalid template_id")
        if body.get("touser") not in self.followers:
            return self._error(43004, "require subscribe")
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": next(self.counter)}

    def _wechat_oauth(self, query: dict, body: dict) -> tuple[int, dict]:
        if query.get("appid") != APP_ID or query.get("secret") != WECHAT_SECRET:
            return self._error(40125, "invalid appsecret")
        if query.get("grant_type") != "authorization_code":
            return self._error(40002, "invalid grant_type")
        who = self._spend(query.get("code", ""), "wechat")
        if who is None:
            return self._error(40029, "invalid code")
        return 200, {"access_token": "web-token", "expires_in": 7200, "refresh_token": "r", "openid": who,
                     "scope": "snsapi_base"}

    def _sms(self, query: dict, form: dict) -> tuple[int, dict]:
        def enc(value: str) -> str:  # RFC 3986 as the signature document spells it out
            return quote(value, safe="~-._", encoding="utf-8")

        given = form.get("Signature", "")
        canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(form.items()) if k != "Signature")
        expected = base64.b64encode(hmac.new((SMS_SECRET + "&").encode(), f"POST&%2F&{enc(canonical)}".encode(),
                                             hashlib.sha1).digest()).decode()
        if form.get("AccessKeyId") != KEY_ID:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": LEAK}
        if not hmac.compare_digest(given, expected):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": LEAK}
        if form.get("SignatureNonce") in self.nonces:
            return 400, {"Code": "SignatureNonceUsed", "Message": LEAK}
        self.nonces.add(form["SignatureNonce"])
        if (form.get("Action"), form.get("Version"), form.get("SignatureMethod")) != ("SendSms", "2017-05-25", "HMAC-SHA1"):
            return 400, {"Code": "InvalidParameter", "Message": LEAK}
        if form.get("PhoneNumbers") in self.bad_numbers:
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": LEAK, "RequestId": "r"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"b{next(self.counter)}", "RequestId": "r"}


def serve() -> tuple[Platforms, ThreadingHTTPServer, threading.Thread]:
    platforms_box: list[Platforms] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type") or ""
            body = dict(parse_qsl(raw.decode(), keep_blank_values=True)) if "urlencoded" in kind else \
                (json.loads(raw) if raw else {})
            status, answer, location = platforms_box[0].handle(method, url.path, dict(parse_qsl(url.query)), body)
            payload = json.dumps(answer, ensure_ascii=False).encode() if answer is not None else b""
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):  # noqa: N802
            self._answer("GET")

        def do_POST(self):  # noqa: N802
            self._answer("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    platforms_box.append(Platforms(f"http://127.0.0.1:{server.server_address[1]}"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return platforms_box[0], server, thread
