"""The e-mail (SMTP) and group-bot webhook channels (WeCom, DingTalk, Feishu), and the rows that follow an in-app one.

The diagrams' ``notify`` writes one outbox row on the ``inapp`` channel. Its sender, after creating the
notifications, queues one outbox row per further delivery: a personal message per recipient
(:mod:`workflows.notifications.personal`: WeCom, WeChat, e-mail or SMS) and ``webhook`` per active target of the
school that takes the kind. Each row has its own retries and back-off, and a dedup key derived from the source row
and the recipient or target, so a re-run of the in-app send never queues them twice.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import smtplib
import ssl
import time as _time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import outbox
from engine.clock import now
from engine.models import OutboxMessage
from workflows.brand import product_name
from workflows.errors import Refusal
from workflows.i18n import N_, normalise, translate
from workflows.notifications import pinned_http, titles
from workflows.notifications.enums import BotKind
from workflows.notifications.models import WebhookTarget
from workflows.notifications.preferences import channel_enabled
from workflows.notifications.targets import TargetRefused, check_target
from workflows.people.models import User
from workflows.people.timezone import school_zone

BOT_LABELS: dict[BotKind, str] = {  # what the pages call each group bot
    BotKind.wecom: N_("WeCom group bot"), BotKind.dingtalk: N_("DingTalk group bot"), BotKind.feishu: N_("Feishu group bot")}
WEBHOOK_TIMEOUT = 10.0
WEBHOOK_LOCALE = "zh_CN"  # group bots speak the school's language
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "houqin@localhost"
    starttls: bool = False
    timeout: float = 20.0


# --- fan-out ---------------------------------------------------------------------------------

def queue_after(session: Session, source: OutboxMessage, *, channel: str, key: str, recipients: dict,
                due: datetime) -> OutboxMessage | None:
    """Queue a delivery that follows from ``source`` (a copy of its kind, reference and payload) under the dedup key
    ``outbox:<source id>:<key>``; None when that key was queued before (a re-run of ``source``'s send)."""
    dedup = f"outbox:{source.id}:{key}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup)):
        return None
    row = OutboxMessage(instance_id=source.instance_id, business_key=source.business_key, school_id=source.school_id,
                        kind=source.kind, channel=channel, recipients=recipients, payload=dict(source.payload or {}),
                        dedup_key=dedup, created_at=now(), next_attempt_at=due)
    session.add(row)
    return row


def fan_out_webhooks(session: Session, source: OutboxMessage) -> list[OutboxMessage]:
    """One ``webhook`` row per active target of the source's school that takes its kind."""
    if source.school_id is None:
        return []
    rows, at = [], now()
    targets = session.scalars(select(WebhookTarget).where(WebhookTarget.school_id == source.school_id,
                                                          WebhookTarget.active.is_(True)).order_by(WebhookTarget.id))
    for target in targets:
        if target.kinds and source.kind not in target.kinds:
            continue
        rows.append(queue_after(session, source, channel="webhook", key=f"webhook:{target.id}", due=at,
                                recipients={"roles": [], "users": [], "org_unit_id": None, "target_id": target.id}))
    return [r for r in rows if r is not None]


# --- e-mail ----------------------------------------------------------------------------------

SUBJECT = N_("[%(product)s] %(title)s")
GREETING = N_("Hello %(name)s,")
ORDER_LINE = N_("Order: %(order)s")
TIME_LINE = N_("Time: %(when)s")
FOOTER = N_("This e-mail was sent automatically by %(product)s; please do not reply. To stop e-mails or set quiet hours, "
            "open Notifications → Notification settings.")
NO_ADDRESS = N_("skipped: the recipient has no e-mail address or switched e-mail off")


def _when(message: OutboxMessage, zone: ZoneInfo) -> str:
    return (message.created_at or now()).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def render_email(message: OutboxMessage, user: User, zone: ZoneInfo) -> tuple[str, str]:
    """(subject, plain-text body) in the user's language, times in ``zone`` (the school's)."""
    loc = normalise(user.locale)
    title = titles.title(message.kind, message.payload, message.business_key, loc)
    lines = [translate(GREETING, loc) % {"name": user.display_name}, "", title, ""]
    order = (message.payload or {}).get("order") or message.business_key
    if order:
        lines.append(translate(ORDER_LINE, loc) % {"order": order})
    product = product_name(loc)
    lines += [translate(TIME_LINE, loc) % {"when": _when(message, zone)}, "", "--",
              translate(FOOTER, loc) % {"product": product}, ""]
    return translate(SUBJECT, loc) % {"product": product, "title": title}, "\n".join(lines)


class EmailSender:
    """Outbox sender of the ``email`` channel: one message to the single recipient user of the row, with the
    files the payload names under ``attachments`` (a ready report's PDF) when they exist and are not too big."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def __call__(self, session: Session, message: OutboxMessage) -> None:
        [user_id] = (message.recipients or {}).get("users") or [None]
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or not user.active or not user.email or not channel_enabled(session, user, "email"):
            outbox.keep_error(message, Refusal(NO_ADDRESS))
            return
        subject, body = render_email(message, user, school_zone(session, message.school_id))
        mail = EmailMessage()
        mail["Subject"] = subject
        mail["From"] = self.settings.sender
        mail["To"] = formataddr((user.display_name, user.email))
        mail["Message-ID"] = make_msgid(idstring=f"houqin-outbox-{message.id}")
        mail["Content-Language"] = "en" if normalise(user.locale) == "en" else "zh-CN"
        mail.set_content(body)
        for path in map(Path, (message.payload or {}).get("attachments") or []):
            if path.is_file() and path.stat().st_size <= MAX_ATTACHMENT_BYTES:
                kind = "pdf" if path.suffix == ".pdf" else "octet-stream"
                mail.add_attachment(path.read_bytes(), maintype="application", subtype=kind, filename=path.name)
        self.deliver(mail)

    def deliver(self, mail: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
            smtp.send_message(mail)


# --- webhooks --------------------------------------------------------------------------------

class WebhookError(Refusal):
    """A webhook post that failed. The outbox keeps its English text and its words (``engine.outbox.keep_error``);
    :mod:`workflows.hooks.delivery_errors` says the words in the reader's language."""


REFUSED_TARGET = N_("refused target: %(reason)s")
REFUSED_REDIRECT = N_("refused target (redirect): %(reason)s")
RECEIVER_ERROR = N_("HTTP %(code)s: the receiver answered with an error")
UNREACHABLE = N_("the receiver could not be reached (%(error)s)")
TOO_MANY_REDIRECTS = N_("more than %(count)s redirects")
BOT_REFUSED_CODE = N_("%(kind)s refused the message (error code %(code)s)")
BOT_REFUSED = N_("%(kind)s refused the message")
UNKNOWN_KIND = N_("unknown webhook kind %(kind)s")
TARGET_GONE = N_("skipped: the webhook target was removed or deactivated")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret"))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu: base64(HMAC-SHA256(key="timestamp\\nsecret", msg=""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_request(target: WebhookTarget, message: OutboxMessage, *, zone: ZoneInfo,
                    at: float | None = None) -> tuple[str, dict]:
    """The URL and JSON body posting ``message`` to ``target`` in its bot's format (signed when it has a secret),
    times in ``zone`` (the school's)."""
    loc = WEBHOOK_LOCALE
    title = titles.title(message.kind, message.payload, message.business_key, loc)
    order = (message.payload or {}).get("order") or message.business_key
    details = [translate(ORDER_LINE, loc) % {"order": order}] if order else []
    details.append(translate(TIME_LINE, loc) % {"when": _when(message, zone)})
    markdown = f"**{title}**\n\n" + "\n".join(f"> {line}" for line in details)
    at = _time.time() if at is None else at
    url = target.url
    if target.kind == BotKind.wecom:
        return url, {"msgtype": "markdown", "markdown": {"content": markdown}}
    if target.kind == BotKind.dingtalk:
        if target.secret:
            ts = int(at * 1000)
            query = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(target.secret, ts)})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
    if target.kind == BotKind.feishu:
        body: dict[str, Any] = {"msg_type": "text", "content": {"text": "\n".join([title, *details])}}
        if target.secret:
            ts = int(at)
            body = {"timestamp": str(ts), "sign": feishu_sign(target.secret, ts), **body}
        return url, body
    raise WebhookError(UNKNOWN_KIND, kind=repr(target.kind))


MAX_REDIRECTS = 3
MAX_REPLY_BYTES = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to :func:`post_json`, which checks where it leads before following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def post_json(url: str, body: dict | bytes, *, timeout: float = WEBHOOK_TIMEOUT, allowed: frozenset[str] = frozenset(),
              headers: dict[str, str] | None = None) -> dict:
    """POST ``body`` as JSON to ``url`` and return the JSON reply (``{}`` when it is none).

    ``body`` is a dict, or the JSON already encoded when ``headers`` sign its exact bytes; the extra ``headers`` go
    with the POST (a redirect turned into a GET drops them with the body).
    The URL and every redirect (at most :data:`MAX_REDIRECTS`, followed by hand) must pass :func:`check_target`.
    Errors are worded here, with the status code only: nothing the receiver answered ever ends up in a message."""
    data: bytes | None = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    method = "POST"
    for hop in range(MAX_REDIRECTS + 1):
        try:
            address = check_target(url, allowed=allowed)
        except TargetRefused as err:
            raise WebhookError(REFUSED_REDIRECT if hop else REFUSED_TARGET, reason=err) from None
        sent = {"Content-Type": "application/json; charset=utf-8", **(headers or {})} if data is not None else {}
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with pinned_http.opener(address, _NoRedirects()).open(request, timeout=timeout) as response:
                raw = response.read(MAX_REPLY_BYTES)
        except urllib.error.HTTPError as err:
            with err:
                location = err.headers.get("Location") if err.code in REDIRECTS else None
            if location is None:
                raise WebhookError(RECEIVER_ERROR, code=err.code) from None
            url = urllib.parse.urljoin(url, location)
            if err.code in (301, 302, 303) and method == "POST":
                data, method = None, "GET"  # as browsers do; 307 and 308 repeat the POST
            continue
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            raise WebhookError(UNREACHABLE, error=type(reason).__name__) from None
        try:
            reply = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return reply if isinstance(reply, dict) else {}
    raise WebhookError(TOO_MANY_REDIRECTS, count=MAX_REDIRECTS)


class WebhookSender:
    """Outbox sender of the ``webhook`` channel; a bot's refusal (non-zero error code) counts as a failure.

    ``allowed`` are the hosts (``host`` or ``host:port``) of ``HOUQIN_WEBHOOK_ALLOW`` that may be private
    addresses; every other target must be public (:mod:`workflows.notifications.targets`)."""

    def __init__(self, allowed: frozenset[str] = frozenset()):
        self.allowed = allowed

    def __call__(self, session: Session, message: OutboxMessage) -> None:
        send_webhook(session, message, allowed=self.allowed)


def send_webhook(session: Session, message: OutboxMessage, *, allowed: frozenset[str] = frozenset()) -> None:
    """Send one ``webhook`` row (see :class:`WebhookSender`); only public targets unless ``allowed``."""
    target_id = (message.recipients or {}).get("target_id")
    target = session.get(WebhookTarget, target_id) if target_id is not None else None
    if target is None or not target.active:
        outbox.keep_error(message, Refusal(TARGET_GONE))
        return
    url, body = webhook_request(target, message, zone=school_zone(session, message.school_id))
    reply = post_json(url, body, allowed=allowed)
    code = next((reply[k] for k in ("errcode", "code", "StatusCode") if k in reply), 0)
    if code not in (0, "0", None):
        # the bot's own text (errmsg) is never recorded; a numeric error code is, to look up in the bot's docs
        bot = Refusal(BOT_LABELS[BotKind(target.kind)])  # a known kind: webhook_request refused any other
        if isinstance(code, int) and not isinstance(code, bool):
            raise WebhookError(BOT_REFUSED_CODE, kind=bot, code=code)
        raise WebhookError(BOT_REFUSED, kind=bot)
