"""Text messages (SMS) to a person's phone: the provider interface and its Alibaba Cloud implementation.

Alibaba Cloud SMS (``dysmsapi``, API version 2017-05-25) takes an RPC-style request, ``Action=SendSms`` with
``PhoneNumbers``, ``SignName`` (the approved signature), ``TemplateCode`` and ``TemplateParam`` (JSON for the
template's variables, here ``title`` and ``order``), signed as its signature-mechanism document says:

1. every parameter but ``Signature``, sorted by name, each name and value percent-encoded (RFC 3986: only
   ``A-Z a-z 0-9 - _ . ~`` stay, a space is ``%20``) and joined as ``name=value`` with ``&``;
2. ``StringToSign = METHOD & percent("/") & percent(that query)``;
3. ``Signature = Base64(HMAC-SHA1(key=AccessKeySecret + "&", StringToSign))``.

The answer's ``Code`` is ``OK`` on success; ``isv.MOBILE_NUMBER_ILLEGAL`` means the number can never be reached.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from engine.clock import now
from workflows.i18n import N_
from workflows.notifications.apps import AliyunSmsAccount
from workflows.notifications.personal_text import PersonalText
from workflows.notifications.remote import RemoteError, Unreachable, call, shown_code

PLATFORM = N_("Alibaba Cloud SMS")
NUMBER_UNREACHABLE = N_("%(platform)s says the phone number cannot receive messages (code %(code)s)")
SMS_REFUSED = N_("%(platform)s refused the message (code %(code)s)")
API_VERSION = "2017-05-25"
UNREACHABLE_CODES = frozenset({"isv.MOBILE_NUMBER_ILLEGAL"})
VARIABLE_LIMIT = 35  # characters a template variable may hold


class SmsProvider(Protocol):
    """Sends one text message; raises :class:`~workflows.notifications.remote.Unreachable` for a number that can
    never receive it and :class:`~workflows.notifications.remote.RemoteError` for anything worth retrying."""

    def send(self, phone: str, text: PersonalText) -> None: ...


def percent(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    query = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()) if k != "Signature")
    return f"{method}&{percent('/')}&{percent(query)}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _cut(value: str) -> str:
    return value if len(value) <= VARIABLE_LIMIT else value[: VARIABLE_LIMIT - 1] + "…"


class AliyunSms:
    """:class:`SmsProvider` through Alibaba Cloud SMS."""

    METHOD = "POST"

    def __init__(self, account: AliyunSmsAccount, *, nonce: Callable[[], str] = lambda: str(uuid.uuid4())):
        self.account = account
        self.nonce = nonce

    def signed_params(self, phone: str, text: PersonalText, at: datetime | None = None) -> dict[str, str]:
        a = self.account
        params = {
            "AccessKeyId": a.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": a.region,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self.nonce(), "SignatureVersion": "1.0",
            "Timestamp": (at or now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION,
            "PhoneNumbers": phone, "SignName": a.sign_name, "TemplateCode": a.template_code,
            "TemplateParam": json.dumps({"title": _cut(text.title), "order": _cut(text.order or "-")}, ensure_ascii=False),
        }
        params["Signature"] = signature(a.access_key_secret, self.METHOD, params)
        return params

    def send(self, phone: str, text: PersonalText) -> None:
        reply = call(self.METHOD, f"{self.account.endpoint}/", platform=PLATFORM, form=self.signed_params(phone, text))
        code = reply.get("Code")
        if code == "OK":
            return
        if code in UNREACHABLE_CODES:
            raise Unreachable(NUMBER_UNREACHABLE, PLATFORM, code=code)
        raise RemoteError(SMS_REFUSED, PLATFORM, code=shown_code(code))
