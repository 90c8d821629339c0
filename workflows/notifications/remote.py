"""Calls to the messaging platforms (WeCom, WeChat, the SMS provider): JSON answers, time-limited, no redirects,
and errors worded here.

Some of these URLs carry a secret in their query (WeCom's ``gettoken`` takes ``corpsecret``; every send takes the
access token), and a platform's answer may echo what it was sent. So an error names the platform and an HTTP
status or numeric error code, never the URL or the body, and is raised ``from None`` so no chained exception
carries the URL into a log. An error is a catalog message with its values apart, the platform's name among them
(:class:`PlatformError`), so the outbox keeps it in words a page says in its reader's language.
"""
from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from workflows.errors import Refusal
from workflows.i18n import N_

TIMEOUT = 10.0
MAX_REPLY_BYTES = 256 * 1024
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


ANSWERED_HTTP = N_("%(platform)s answered HTTP %(code)s")
NOT_REACHED = N_("%(platform)s could not be reached (%(error)s)")
NOT_AN_OBJECT = N_("%(platform)s answered something that is not a JSON object")
NO_TOKEN = N_("%(platform)s gave no access token (error code %(code)s): check %(app_setting)s and %(secret_setting)s")
MESSAGE_REFUSED = N_("%(platform)s refused the message (error code %(code)s)")
SIGN_IN_REFUSED = N_("%(platform)s did not accept the sign-in code (error code %(code)s)")


class PlatformError(Refusal, RuntimeError):
    """What a platform answered, in words: ``message`` names the ``platform`` (its name as a catalog word, e.g.
    ``N_("WeCom")``), said in the same language as the rest. A RuntimeError as well as a refusal: a failure of the
    platform, never a bad value of the caller's, whatever a caller catches."""

    def __init__(self, message: str, platform: str, **params: Any):
        super().__init__(message, platform=Refusal(platform), **params)


class RemoteError(PlatformError):
    """The platform could not be reached, answered with an error or refused for a passing reason: try again later."""


class Unreachable(PlatformError):
    """The platform will never deliver to this address (an unknown WeCom user, an openid that does not follow the
    official account, an invalid phone number): the next channel should be tried instead."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # a redirect is an error answer: these APIs never redirect


_OPENER = urllib.request.build_opener(_NoRedirects())


def call(method: str, url: str, *, platform: str, json_body: dict[str, Any] | None = None,
         form: dict[str, str] | None = None, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Send the request and return the JSON object answered; :class:`RemoteError` for anything else."""
    data, headers = None, {"Accept": "application/json"}
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    elif form is not None:
        data = urllib.parse.urlencode(form, quote_via=urllib.parse.quote).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = response.read(MAX_REPLY_BYTES)
    except urllib.error.HTTPError as err:
        err.close()
        raise RemoteError(ANSWERED_HTTP, platform, code=err.code) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        reason = err.reason if isinstance(err, urllib.error.URLError) else err
        raise RemoteError(NOT_REACHED, platform, error=type(reason).__name__) from None
    try:
        reply = json.loads(raw or b"null")
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise RemoteError(NOT_AN_OBJECT, platform)
    return reply


def errcode(reply: dict[str, Any]) -> int:
    """WeCom's and WeChat's ``errcode`` (0, or absent, is success); a non-number counts as an unknown error (-1)."""
    code = reply.get("errcode", 0)
    return code if isinstance(code, int) and not isinstance(code, bool) else -1


def shown_code(code: Any) -> str:
    """A platform's error code fit for our own messages: short and plain, or ``?`` when it looks like anything else."""
    text = str(code)
    return text if _CODE.match(text) else "?"
