"""Group-bot webhooks: DingTalk and Feishu signed as their docs say (verified here), WeCom's markdown payload,
a target's kind filter; a failing receiver is retried with back-off, finally marked failed (nothing lost), and
an admin's Retry puts it back in the queue."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import timedelta

from factories import make_user

from engine import outbox
from engine.clock import now
from engine.models import OutboxMessage
from engine.statuses import OutboxStatus
from engine.wakeups import send_pending
from workflows.notifications import channels
from workflows.notifications.models import WebhookTarget

from .conftest import notify


def _targets(rt, school_id: int, *specs: dict) -> list[int]:
    with rt.session() as session:
        rows = [WebhookTarget(school_id=school_id, **spec) for spec in specs]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def test_dingtalk_feishu_and_wecom_receive_signed_messages(mail_rt, receiver, clock):
    people = mail_rt.people()
    ding, feishu, wecom, other, off = _targets(
        mail_rt, people.school_id,
        {"kind": "dingtalk", "url": f"{receiver.base_url}/ding?access_token=tok", "secret": "SECding"},
        {"kind": "feishu", "url": f"{receiver.base_url}/feishu", "secret": "fs-secret"},
        {"kind": "wecom", "url": f"{receiver.base_url}/wecom?key=k1", "kinds": ["repair.review_overdue"]},
        {"kind": "wecom", "url": f"{receiver.base_url}/other", "kinds": ["repair.bad_rating"]},
        {"kind": "wecom", "url": f"{receiver.base_url}/off", "active": False})
    notify(mail_rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])

    hooks = [m for m in mail_rt.outbox() if m.channel == "webhook"]
    [source] = [m for m in mail_rt.outbox() if m.channel == "inapp"]
    assert sorted(m.recipients["target_id"] for m in hooks) == [ding, feishu, wecom]
    assert {m.dedup_key for m in hooks} == {f"outbox:{source.id}:webhook:{t}" for t in (ding, feishu, wecom)}
    assert send_pending(mail_rt.host) == 3
    assert {r.path for r in receiver.requests} == {"/ding", "/feishu", "/wecom"}
    title = "工单 R-20250303-0001 仍未审核，请及时处理。"

    [d] = receiver.on("/ding")
    assert d.query["access_token"] == "tok"
    timestamp = d.query["timestamp"]
    assert int(timestamp) == int(clock.now.timestamp() * 1000)
    expected = base64.b64encode(hmac.new(b"SECding", f"{timestamp}\nSECding".encode(), hashlib.sha256).digest()).decode()
    assert d.query["sign"] == expected
    assert d.body["msgtype"] == "markdown" and d.body["markdown"]["title"] == title
    assert title in d.body["markdown"]["text"]

    [f] = receiver.on("/feishu")
    assert f.body["timestamp"] == str(int(clock.now.timestamp()))
    expected = base64.b64encode(hmac.new(f"{f.body['timestamp']}\nfs-secret".encode(), b"", hashlib.sha256).digest())
    assert f.body["sign"] == expected.decode()
    assert f.body["msg_type"] == "text" and f.body["content"]["text"].startswith(title)

    [w] = receiver.on("/wecom")
    assert w.query == {"key": "k1"}
    assert w.body["msgtype"] == "markdown"
    assert w.body["markdown"]["content"].startswith(f"**{title}**") and "R-20250303-0001" in w.body["markdown"]["content"]
    assert all(m.status == "sent" for m in mail_rt.outbox())


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def web_login(client, username: str, password: str) -> None:
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": username, "password": password}).status_code == 302


def test_failing_receiver_is_retried_with_backoff_then_failed_and_an_admin_retries_it(mail_app, receiver, clock):
    rt = mail_app.harness
    people = rt.people()
    with rt.session() as session:
        make_user(session, username="admin-1", password="pw-admin", school_id=people.school_id, roles=[("admin", None)])
    [target] = _targets(rt, people.school_id, {"kind": "wecom", "url": f"{receiver.base_url}/fail?key=k"})
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.worker_id])

    def hook():
        [row] = [m for m in rt.outbox() if m.channel == "webhook"]
        return row

    assert hook().recipients["target_id"] == target
    assert send_pending(rt.host) == 0
    assert (hook().status, hook().attempts) == ("pending", 1)
    assert hook().last_error.startswith("WebhookError: HTTP 500")
    for attempt, gap in enumerate([30, 60, 120, 240, 480], start=2):
        due = clock.now + timedelta(seconds=gap)
        clock.to(due - timedelta(seconds=1))
        assert send_pending(rt.host) == 0 and hook().attempts == attempt - 1, "retried before its back-off elapsed"
        clock.to(due)
        assert send_pending(rt.host) == 0 and hook().attempts == attempt
    assert (hook().status, hook().attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert len(receiver.on("/fail")) == outbox.MAX_ATTEMPTS
    clock.advance(days=1)
    assert send_pending(rt.host) == 0 and len(receiver.on("/fail")) == outbox.MAX_ATTEMPTS

    client = mail_app.test_client()
    web_login(client, "worker-1", "pw-worker")
    assert client.get("/admin/outbox/").status_code == 403
    client.post("/logout", data={"csrf_token": CSRF.search(client.get("/notifications/").get_data(as_text=True)).group(1)})
    web_login(client, "admin-1", "pw-admin")
    page = client.get("/admin/outbox/?lang=en").get_data(as_text=True)
    assert f'data-id="{hook().id}" data-status="failed"' in page and "HTTP 500: the receiver answered with an error" in page
    chinese = client.get("/admin/outbox/?lang=zh_CN").get_data(as_text=True)
    assert "WebhookError" not in chinese and "HTTP 500：接收方返回了错误" in chinese  # the reason, in the reader's language
    assert '<span class="badge" data-testid="failed-count">1 条发送失败</span>' in chinese  # the heading says what failed
    assert client.post(f"/admin/outbox/{hook().id}/retry").status_code == 400, "CSRF token required"
    token = CSRF.search(page).group(1)
    assert client.post(f"/admin/outbox/{hook().id}/retry", data={"csrf_token": token}).status_code == 302
    assert (hook().status, hook().attempts, hook().next_attempt_at) == ("pending", 0, clock.now)
    assert 'data-testid="failed-count"' not in client.get("/admin/outbox/?lang=zh_CN").get_data(as_text=True)  # none now
    assert send_pending(rt.host) == 0
    assert (hook().status, hook().attempts) == ("pending", 1)
    assert len(receiver.on("/fail")) == outbox.MAX_ATTEMPTS + 1


def test_a_row_that_names_no_target_is_skipped_not_retried(mail_rt, receiver):
    """A ``webhook`` row without a target id is skipped as a removed target's is: sent once, nothing posted."""
    people = mail_rt.people()
    with mail_rt.session() as session:
        row = OutboxMessage(school_id=people.school_id, kind="repair.dispatched", channel="webhook", recipients={},
                            payload={}, created_at=now(), next_attempt_at=now())
        session.add(row)
        session.flush()
        assert outbox.send(session, mail_rt.registry, row.id) == OutboxStatus.SENT
        assert (row.attempts, row.last_error_words) == (1, {"message": channels.TARGET_GONE, "values": {}})
    assert receiver.requests == []
