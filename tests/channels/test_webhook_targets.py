"""Webhook targets cannot reach internal services (SSRF): loopback, private, link-local and metadata addresses are
refused when an admin saves a target, before a send and at every redirect, unless ``HOUQIN_WEBHOOK_ALLOW`` lists
the host; a receiver's reply body is never recorded or shown."""
from __future__ import annotations

import socket
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from engine import outbox
from engine.models import OutboxMessage
from engine.wakeups import send_pending
from workflows.notifications.models import WebhookTarget
from workflows.notifications.targets import TargetRefused, check_target, parse_allow

from .conftest import SECRET_REPLY, notify

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import open_site  # noqa: E402


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.0.0.1:8080/hook", "http://localhost:5000/", "https://10.1.2.3/bot",
    "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8000/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/",
    "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://100.100.100.200/", "http://100.64.0.1/",
    "http://[2002:7f00:1::]/", "http://240.0.0.1/",
])
def test_internal_addresses_are_refused(url):
    with pytest.raises(TargetRefused, match="public internet addresses"):
        check_target(url)


@pytest.mark.parametrize("url", ["ftp://93.184.216.34/", "file:///etc/passwd", "http:///path", "https://:443/",
                                 "http://93.184.216.34:99999/"])
def test_non_http_and_hostless_urls_are_refused(url):
    with pytest.raises(TargetRefused):
        check_target(url)


def test_a_public_ip_literal_is_accepted_without_a_lookup(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("an IP literal needs no lookup")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    check_target("https://93.184.216.34/hook?key=k")
    check_target("http://[2606:2800:220:1:248:1893:25c8:1946]:8080/")


def test_every_resolved_address_must_be_public(monkeypatch):
    answers = {"bot.example": ["93.184.216.34"], "rebind.example": ["93.184.216.34", "127.0.0.1"],
               "meta.example": ["169.254.169.254"]}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    check_target("https://bot.example/hook")
    with pytest.raises(TargetRefused, match=r"rebind\.example \(127\.0\.0\.1\) is a loopback address"):
        check_target("https://rebind.example/hook")
    with pytest.raises(TargetRefused, match="metadata"):
        check_target("http://meta.example/")
    with pytest.raises(TargetRefused, match="cannot be resolved"):
        check_target("https://nowhere.example/")


def test_the_allow_list_lets_a_listed_host_or_host_and_port_through():
    allowed = parse_allow(" 127.0.0.1:8080, Bots.Intranet ,, [::1]:9000")
    assert allowed == frozenset({"127.0.0.1:8080", "bots.intranet", "[::1]:9000"})
    check_target("http://127.0.0.1:8080/hook", allowed=allowed)
    check_target("https://bots.intranet/any", allowed=allowed)
    check_target("http://[::1]:9000/", allowed=allowed)
    for url in ("http://127.0.0.1:8081/hook", "http://127.0.0.1/", "http://[::1]:9001/", "http://10.0.0.1:8080/"):
        with pytest.raises(TargetRefused):
            check_target(url, allowed=allowed)


def test_settings_read_the_allow_list_from_the_environment(tmp_path):
    from webapp.config import Settings

    settings = Settings.from_env({"HOUQIN_DATA_DIR": str(tmp_path), "SECRET_KEY": "x",
                                  "HOUQIN_WEBHOOK_ALLOW": "127.0.0.1:8080,bots.intranet"})
    assert settings.webhook_allow == frozenset({"127.0.0.1:8080", "bots.intranet"})
    assert Settings.from_env({"HOUQIN_DATA_DIR": str(tmp_path), "SECRET_KEY": "x"}).webhook_allow == frozenset()


# --- the admin page ----------------------------------------------------------------------------

def test_saving_a_loopback_or_metadata_webhook_is_refused_with_the_reason(tmp_path, receiver):
    with open_site(tmp_path) as site:
        admin = site.client("admin")
        for url, reason in ((f"{receiver.base_url}/ding", "loopback"),
                            ("http://169.254.169.254/latest/meta-data/", "metadata")):
            page = admin.submit("/admin/webhooks/new?lang=en", {"name": "x", "kind": "dingtalk", "url": url,
                                                                 "active": "y"})
            html = page.get_data(as_text=True)
            assert page.status_code == 200 and "This address cannot receive webhooks" in html and reason in html
        with site.db() as s:
            assert list(s.scalars(select(WebhookTarget))) == []


# --- sending -----------------------------------------------------------------------------------

def _webhook(rt, receiver, path: str, people=None) -> OutboxMessage:
    people = people or rt.people()
    with rt.session() as session:
        session.add(WebhookTarget(school_id=people.school_id, kind="wecom", url=f"{receiver.base_url}{path}"))
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.worker_id])
    send_pending(rt.host)
    [row] = [m for m in rt.outbox() if m.channel == "webhook"]
    return row


@pytest.mark.parametrize("to", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin",
                                "http://127.0.0.1:{other}/internal", "http://[::1]:{port}/wecom"])
def test_a_redirect_to_an_internal_address_is_refused(mail_rt, receiver, to):
    with socket.socket() as s:  # a loopback port the allow-list does not name
        s.bind(("127.0.0.1", 0))
        other = s.getsockname()[1]
    to = to.format(other=other, port=receiver.base_url.rsplit(":", 1)[1])
    row = _webhook(mail_rt, receiver, f"/redirect?to={quote(to, safe='')}")
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error.startswith("WebhookError: refused target (redirect): ")
    assert "public internet addresses" in row.last_error
    assert [r.path for r in receiver.requests] == ["/redirect"]  # nothing followed


def test_an_allowed_redirect_is_followed_and_at_most_three(mail_rt, receiver):
    row = _webhook(mail_rt, receiver, f"/redirect?to={quote(receiver.base_url + '/wecom', safe='')}")
    assert row.status == "sent"
    [got] = receiver.on("/wecom")
    assert got.method == "POST" and got.body["msgtype"] == "markdown"  # 307 repeats the POST


def test_a_redirect_loop_stops_after_three(mail_rt, receiver):
    row = _webhook(mail_rt, receiver, "/loop")
    assert row.status == "pending" and row.last_error == "WebhookError: more than 3 redirects"
    assert len(receiver.on("/loop")) == 4


def test_a_target_that_became_internal_is_refused_at_send_time(mail_rt, receiver):
    """Saved while allowed (or resolving elsewhere), refused when sending: nothing is posted."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        other = s.getsockname()[1]
    people = mail_rt.people()
    with mail_rt.session() as session:
        session.add(WebhookTarget(school_id=people.school_id, kind="wecom", url=f"http://127.0.0.1:{other}/hook"))
    notify(mail_rt, people.school_id, kind="repair.dispatched", users=[people.worker_id])
    assert send_pending(mail_rt.host) == 0
    [row] = [m for m in mail_rt.outbox() if m.channel == "webhook"]
    assert row.status == "pending" and row.last_error.startswith("WebhookError: refused target: 127.0.0.1 is a loopback")
    assert receiver.requests == []


@pytest.mark.parametrize("path, error, chinese", [
    ("/secret-fail", "WebhookError: HTTP 500: the receiver answered with an error", "HTTP 500：接收方返回了错误"),
    ("/secret-refuse", "WebhookError: WeCom group bot refused the message (error code 93000)",
     "企业微信群机器人拒收了消息（错误码 93000）"),  # the bot named by its label, in the reader's language
])
def test_a_reply_body_is_never_stored_or_shown(mail_app, receiver, clock, path, error, chinese):
    from factories import make_user

    from .test_webhooks import CSRF, web_login

    rt = mail_app.harness
    people = rt.people()
    with rt.session() as session:
        make_user(session, username="admin-1", password="pw-admin", school_id=people.school_id, roles=[("admin", None)])
    row = _webhook(rt, receiver, path, people)
    assert receiver.on(path) and row.last_error == error
    with rt.session() as session:
        stored = [m.last_error or "" for m in session.scalars(select(OutboxMessage))]
    assert not any(SECRET_REPLY in e for e in stored)
    client = mail_app.test_client()
    web_login(client, "admin-1", "pw-admin")
    page = client.get("/admin/outbox/?lang=en").get_data(as_text=True)
    assert error.split(": ", 1)[1] in page and SECRET_REPLY not in page
    assert CSRF.search(page)
    page = client.get("/admin/outbox/?lang=zh_CN").get_data(as_text=True)
    assert chinese in page and SECRET_REPLY not in page
    assert outbox.MAX_ATTEMPTS > 1  # the usual retry policy applies to refusals too


def test_the_request_goes_to_the_address_that_was_checked_not_to_a_new_lookup(monkeypatch, receiver):
    """DNS rebinding: the name answers a vetted address to the check and an internal one a moment later; the post
    still goes to the vetted address (here the test receiver, vetted by a check that trusts every address), with the
    name in the Host header, and the name is looked up once."""
    from workflows.notifications import targets
    from workflows.notifications.channels import post_json

    port = int(receiver.base_url.rsplit(":", 1)[1])
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding_getaddrinfo(host, port_, *args, **kwargs):
        if host != "rebind.example":
            return real_getaddrinfo(host, port_, *args, **kwargs)  # an address literal answers itself
        lookups.append(host)
        ip = "127.0.0.1" if len(lookups) == 1 else "10.255.255.1"  # first answer checked, later ones internal
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port_))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(targets, "_why_not_public", lambda ip: None)
    assert post_json(f"http://rebind.example:{port}/wecom", {"msgtype": "text"}, timeout=5) == {"errcode": 0, "errmsg": "ok"}
    assert lookups == ["rebind.example"]
    [got] = receiver.on("/wecom")
    assert got.body == {"msgtype": "text"}
