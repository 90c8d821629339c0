"""Fixtures of the notification-channel tests: a real SMTP server (aiosmtpd) and an HTTP receiver on loopback,
a runtime and a web app wired to that SMTP server, and a diagram that notifies with a chosen kind."""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from factories import Harness, scenario

from workflows.notifications.channels import SmtpSettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.settings = SmtpSettings(host="127.0.0.1", port=controller.port, sender="houqin@school.test", timeout=5)
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict
    method: str = "POST"


SECRET_REPLY = "INTERNAL-SECRET-7f3a"  # in the replies of /secret*: must never reach the outbox or a page


@dataclass
class Receiver:
    """A local webhook endpoint: records every request; paths starting with /fail answer HTTP 500, /secret-fail
    HTTP 500 and /secret-refuse a bot refusal, both with :data:`SECRET_REPLY` in the body; /redirect answers
    307 (POST again) to the ``to`` query parameter, /loop 302 to itself.

    It listens on loopback, so the sending side must list :attr:`allow` in ``HOUQIN_WEBHOOK_ALLOW``."""

    base_url: str
    requests: list[Received] = field(default_factory=list)

    @property
    def allow(self) -> frozenset[str]:
        """The allow-list entry (``127.0.0.1:PORT``) that lets webhooks reach this receiver and nothing else."""
        return frozenset({urlsplit(self.base_url).netloc})

    def on(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def receiver():
    got: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            got.append(Received(url.path, query, body, self.command))
            if url.path.startswith("/redirect") or url.path.startswith("/loop"):
                status, reply = (307, b"") if url.path.startswith("/redirect") else (302, b"")
                self.send_response(status)
                self.send_header("Location", query.get("to", "") if status == 307 else self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if url.path.startswith("/secret"):
                status, reply = ((500, f'{{"error": "{SECRET_REPLY}"}}'.encode()) if url.path == "/secret-fail" else
                                 (200, f'{{"errcode": 93000, "errmsg": "{SECRET_REPLY}"}}'.encode()))
            else:
                status, reply = (500, b'{"error": "down"}') if url.path.startswith("/fail") else (200, b'{"errcode": 0, "errmsg": "ok"}')
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", got)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


NOTIFY = scenario("notify_channel", **{
    'notify("test.notice", users=user_ids, roles=role_names, channel=channel, subject=subject)':
        'notify(kind, users=user_ids, roles=role_names, channel=channel, order=order, colour=colour)'})


@pytest.fixture
def mail_rt(request, tmp_path, smtp_server, receiver, clock):
    """A runtime (inline dispatcher, migrated SQLite) that e-mails through the loopback SMTP server and may post
    webhooks to the loopback receiver (allow-listed by its port)."""
    from workflows.bootstrap import bootstrap

    rt = bootstrap(database_url=request.getfixturevalue("migrated_sqlite_url"), data_dir=tmp_path / "data",
                   smtp=smtp_server.settings, webhook_allow=receiver.allow)
    harness = Harness(rt)
    harness.deploy(NOTIFY)
    yield harness
    rt.db_engine.dispose()


def _notifying_app(tmp_path, migrated_sqlite_url, smtp_server, **extra):
    """The web app on ``migrated_sqlite_url`` with SMTP at the loopback server, the notifying diagram deployed, and
    ``extra`` settings; yields it and disposes of its engine."""
    from webapp import create_app
    from webapp.config import Settings

    settings = Settings(database_url=migrated_sqlite_url, redis_url=None, secret_key="test-secret-key", data_dir=tmp_path / "data",
                        smtp_host="127.0.0.1", smtp_port=smtp_server.settings.port, smtp_from="houqin@school.test",
                        **extra)
    flask_app = create_app(config={"TESTING": True}, settings=settings)
    harness = Harness(flask_app.extensions["houqin"])
    harness.deploy(NOTIFY)
    flask_app.harness = harness
    yield flask_app
    flask_app.extensions["houqin"].db_engine.dispose()


@pytest.fixture
def mail_app(tmp_path, migrated_sqlite_url, smtp_server, receiver):
    """The web app with SMTP settings pointing at the loopback server, webhooks allowed to the loopback receiver."""
    yield from _notifying_app(tmp_path, migrated_sqlite_url, smtp_server, webhook_allow=receiver.allow)


def notify(rt: Harness, school_id: int, *, kind: str, users=(), roles=(), order: str = "R-20250303-0001",
           colour: str | None = None) -> int:
    """Run the notify diagram once (its in-app message is sent inline after commit); return the instance id."""
    return rt.start("notify_channel", school_id=school_id, business_key=order, data={
        "kind": kind, "user_ids": list(users), "role_names": list(roles), "channel": "inapp", "order": order,
        "colour": colour})


@pytest.fixture
def platforms():
    """The local WeCom / WeChat / Alibaba Cloud SMS stand-in (:mod:`tests.channels.platforms`)."""
    from .platforms import serve

    stand_in, server, thread = serve()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def personal_runtime(request, tmp_path, smtp_server, platforms, clock):
    """Factory: a runtime (inline dispatcher, migrated SQLite) whose WeCom app, official account and SMS account are
    the local stand-in, e-mailing through the loopback SMTP server; keyword arguments change its settings
    (``order=(…)``, ``wecom=None`` …)."""
    from workflows.bootstrap import bootstrap

    built = []

    def build(**changes) -> Harness:
        rt = bootstrap(database_url=request.getfixturevalue("migrated_sqlite_url"), data_dir=tmp_path / "data",
                       smtp=smtp_server.settings, messaging=platforms.messaging(**changes))
        harness = Harness(rt)
        harness.deploy(NOTIFY)
        built.append(harness)
        return harness

    yield build
    for harness in built:
        harness.runtime.db_engine.dispose()


@pytest.fixture
def personal_app(tmp_path, migrated_sqlite_url, smtp_server, platforms):
    """The web app with the local stand-in as its WeCom app, official account and SMS account."""
    yield from _notifying_app(tmp_path, migrated_sqlite_url, smtp_server, messaging=platforms.messaging())
