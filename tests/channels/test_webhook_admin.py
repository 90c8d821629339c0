"""Admin pages of the group-bot webhooks: an admin adds a signed DingTalk bot pointing at the loopback receiver,
and a report-ready message reaches it with a valid signature; bad input is refused field by field and saves
nothing; the secret is kept when the field is left empty; every change is audited; others get 403."""
from __future__ import annotations

import base64
import hashlib
import hmac
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import open_site  # noqa: E402

from engine import outbox  # noqa: E402
from engine.models import AuditEvent  # noqa: E402
from engine.wakeups import send_pending  # noqa: E402
from workflows.notifications.models import WebhookTarget  # noqa: E402


@pytest.fixture
def site(tmp_path, receiver):
    # webhooks go to public addresses only: allow the loopback receiver (by its port) and the unresolvable
    # bot.test of the examples below
    with open_site(tmp_path, webhook_allow=receiver.allow | {"bot.test"}) as running:
        yield running


def _targets(site) -> list[WebhookTarget]:
    with site.db() as s:
        return list(s.scalars(select(WebhookTarget).order_by(WebhookTarget.id)))


def test_an_admin_adds_a_signed_bot_that_then_receives_a_message(site, receiver):
    admin = site.client("admin")
    response = admin.submit("/admin/webhooks/new?lang=en", {
        "name": "Leaders' group", "kind": "dingtalk", "url": f"{receiver.base_url}/ding?access_token=tok",
        "secret": "SECding", "kinds": "report.ready", "active": "y"})
    assert response.status_code == 302
    [target] = _targets(site)
    assert (target.kind, target.secret, target.kinds, target.active) == ("dingtalk", "SECding", ["report.ready"], True)
    listed = admin.page("/admin/webhooks/?lang=en")
    assert "Leaders&#39; group" in listed and "SECding" not in listed  # the secret is never shown
    assert "DingTalk group bot" in listed and "钉钉群机器人" in admin.page("/admin/webhooks/?lang=zh_CN")
    assert '<option value="feishu">飞书群机器人</option>' in admin.page("/admin/webhooks/new?lang=zh_CN")

    leader = site.user("schoolboss")
    with site.db() as s:
        outbox.post(s, site.runtime.host.dispatcher, kind="report.ready", school_id=site.school_id, users=[leader.id],
                    dedup_key="report:test:ready", payload={"title": "2026年11月", "report_id": 1})
    assert send_pending(site.runtime.host) == 1  # the in-app send queued the bot's delivery; the sweep sends it
    [got] = receiver.on("/ding")
    timestamp = got.query["timestamp"]
    expected = base64.b64encode(hmac.new(b"SECding", f"{timestamp}\nSECding".encode(), hashlib.sha256).digest())
    assert got.query["sign"] == expected.decode()
    assert "服务分析报告已生成：2026年11月" in got.body["markdown"]["text"]


def test_bad_input_saves_nothing_and_an_edit_keeps_the_secret(site):
    admin = site.client("admin")
    page = admin.submit("/admin/webhooks/new?lang=en", {"name": "x", "kind": "dingtalk", "url": "ftp://bot"})
    assert page.status_code == 200 and "starting with https://" in page.get_data(as_text=True)
    page = admin.submit("/admin/webhooks/new?lang=en", {"name": "x", "kind": "slack", "url": "https://bot.test/"})
    assert page.status_code == 200 and _targets(site) == []
    page = admin.submit("/admin/webhooks/new?lang=en", {"name": "x", "kind": "wecom", "url": "https://bot.test/",
                                                         "kinds": "report.ready, repair.nonsense"})
    assert "Unknown notification kinds: repair.nonsense" in page.get_data(as_text=True) and _targets(site) == []

    admin.submit("/admin/webhooks/new", {"name": "a", "kind": "feishu", "url": "https://bot.test/a", "secret": "s1",
                                          "active": "y"})
    [target] = _targets(site)
    form = admin.page(f"/admin/webhooks/{target.id}?lang=en")
    assert "s1" not in form and "leave the field empty to keep it" in form
    admin.submit(f"/admin/webhooks/{target.id}", {"name": "b", "kind": "feishu", "url": "https://bot.test/b",
                                                   "secret": ""})
    [target] = _targets(site)
    assert (target.name, target.url, target.secret, target.active) == ("b", "https://bot.test/b", "s1", False)
    assert admin.submit("/admin/webhooks/", {}, form_page="/admin/webhooks/").status_code == 405
    removed = admin.submit(f"/admin/webhooks/{target.id}/delete", {}, form_page="/admin/webhooks/")
    assert removed.status_code == 302 and _targets(site) == []
    assert admin.post(f"/admin/webhooks/{target.id}/delete", {}).status_code in (400, 404)
    with site.db() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("webhook.%"))
                                 .order_by(AuditEvent.id)))
    assert actions == ["webhook.created", "webhook.changed", "webhook.deleted"]


def test_only_admins_manage_webhooks(site):
    for username in ("schoolboss", "auditor", "worker"):
        client = site.client(username)
        assert client.get("/admin/webhooks/").status_code == 403, username
        assert client.get("/admin/webhooks/new").status_code == 403, username
