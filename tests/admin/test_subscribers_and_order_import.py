"""The admin pages of open data: webhook subscribers (secret shown once, addresses vetted, changes logged, the
school's own only) and the import of orders from another platform's sheet (a second upload changes nothing)."""
from __future__ import annotations

import io
import re

import pytest
from alembic import command
from sqlalchemy import func, select, text, update
from websupport import open_site

from engine import outbox
from engine.models import AuditEvent, OutboxMessage
from webapp.migrate import alembic_config
from workflows.hooks.enums import CHANNEL
from workflows.hooks.models import HookSubscriber
from workflows.people.models import Campus, User
from workflows.repair.models import WorkOrder

ALLOWED = "hooks.example.test"


@pytest.fixture
def site(tmp_path):
    with open_site(tmp_path, webhook_allow=frozenset({ALLOWED})) as running:
        yield running


def _subscriber(site) -> HookSubscriber:
    with site.db() as session:
        return session.scalar(select(HookSubscriber))


def test_an_admin_adds_a_subscriber_and_sees_its_secret_once(site):
    admin = site.client("admin")
    answer = admin.submit("/admin/subscribers/new", {"name": "Campus portal", "url": f"https://{ALLOWED}/houqin",
                                                     "events": ["order.created", "rating.bad"], "active": "y"})
    assert answer.status_code == 200
    secret = re.search(r'data-testid="secret">([^<]+)<', answer.get_data(as_text=True)).group(1)
    sub = _subscriber(site)
    assert sub.secret == secret and sub.events == ["order.created", "rating.bad"] and sub.school_id == site.school_id
    listing = admin.page("/admin/subscribers/")
    assert "Campus portal" in listing and secret not in listing
    assert secret not in admin.page(f"/admin/subscribers/{sub.id}")
    with site.db() as session:
        logged = session.scalar(select(AuditEvent).where(AuditEvent.action == "admin.subscriber.create"))
    assert logged.details["after"]["url"] == f"https://{ALLOWED}/houqin" and secret not in str(logged.details)

    renewed = admin.submit(f"/admin/subscribers/{sub.id}/secret", {}, form_page="/admin/subscribers/")
    new_secret = re.search(r'data-testid="secret">([^<]+)<', renewed.get_data(as_text=True)).group(1)
    assert new_secret != secret and _subscriber(site).secret == new_secret


def test_a_loopback_address_or_no_event_is_refused_on_the_form(site):
    admin = site.client("admin")
    page = admin.submit("/admin/subscribers/new", {"name": "Sneaky", "url": "http://127.0.0.1:6379/",
                                                   "events": ["order.created"]}).get_data(as_text=True)
    assert "This address cannot receive webhooks" in page and "loopback" in page
    page = admin.submit("/admin/subscribers/new", {"name": "Nothing", "url": f"https://{ALLOWED}/x"}).get_data(as_text=True)
    assert "field-error" in page
    assert _subscriber(site) is None


def test_a_refused_address_is_said_in_chinese_values_and_all(site):
    admin = site.client("admin")
    page = admin.submit("/admin/subscribers/new", {"name": "Sneaky", "url": "http://127.0.0.1:6379/", "events": ["order.created"]},
                        form_page="/admin/subscribers/new?lang=zh_CN").get_data(as_text=True)
    assert "此地址不能接收 Webhook：127.0.0.1 是回环地址；Webhook 只能发往公网地址" in page
    assert _subscriber(site) is None


def test_a_delivery_s_last_error_is_said_in_the_reader_s_language_old_rows_too(site):
    admin = site.client("admin")
    admin.submit("/admin/subscribers/new", {"name": "Campus portal", "url": f"https://{ALLOWED}/houqin",
                                            "events": ["order.created"], "active": "y"})
    with site.db() as session:
        sub = session.scalar(select(HookSubscriber))
        rows = [OutboxMessage(school_id=site.school_id, kind="order.created", channel=CHANNEL, payload={},
                              recipients={"subscriber_id": sub.id}, business_key=key) for key in ("R-1", "R-2", "R-3", "R-4")]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
        session.get(OutboxMessage, ids[3]).last_error = "RuntimeError: something else"  # no words: shown as stored

    # R-3 was stored before the outbox kept words: the database as it was then, and migration 0036 reads its text
    config = alembic_config(site.runtime.db_engine)
    command.downgrade(config, "0035")
    with site.runtime.db_engine.begin() as connection:
        connection.execute(text("UPDATE outbox SET last_error = :error WHERE id = :id"),
                           {"error": "WebhookError: HTTP 502: the receiver answered with an error", "id": ids[2]})
    command.upgrade(config, "head")

    with site.db() as session:
        session.get(HookSubscriber, sub.id).url = "http://127.0.0.1:6379/"  # once allowed, refused where the sender checks
        session.get(OutboxMessage, ids[1]).kind = "order.closed"  # an event the subscriber does not take: skipped
    with site.db() as session:  # sent, and refused or skipped, as the outbox sends
        assert outbox.send(session, site.runtime.host.registry, ids[0]) == "retry"
        assert outbox.send(session, site.runtime.host.registry, ids[1]) == "sent"
    with site.db() as session:
        refused = session.get(OutboxMessage, ids[0])
        assert refused.last_error.startswith("WebhookError: refused target: 127.0.0.1 is a loopback address")
        assert refused.last_error_words["values"]["reason"]["values"]["reason"] == {"message": "a loopback address", "values": {}}

    page = admin.page("/admin/subscribers/?lang=zh_CN")
    assert "接收地址被拒绝：127.0.0.1 是回环地址；Webhook 只能发往公网地址" in page and "refused target" not in page
    assert "已跳过：该订阅方已删除、停用或不再接收此事件" in page and "skipped" not in page
    assert "HTTP 502：接收方返回了错误" in page and "RuntimeError: something else" in page
    english = admin.page("/admin/subscribers/?lang=en")
    assert "refused target: 127.0.0.1 is a loopback address; webhooks may only go to public internet addresses" in english
    assert "skipped: the subscriber was removed, deactivated or no longer takes this event" in english
    assert "HTTP 502: the receiver answered with an error" in english and "WebhookError" not in english


def test_subscribers_are_the_schools_own_and_the_admins_business(site):
    admin = site.client("admin")
    admin.submit("/admin/subscribers/new", {"name": "Campus portal", "url": f"https://{ALLOWED}/houqin",
                                            "events": ["order.closed"]})
    sub = _subscriber(site)
    site.other_school_user("other_admin", "admin")
    other = site.client("other_admin")
    assert other.get(f"/admin/subscribers/{sub.id}").status_code == 404
    assert "Campus portal" not in other.page("/admin/subscribers/")
    assert site.client("clerk").get("/admin/subscribers/").status_code == 403
    edited = admin.submit(f"/admin/subscribers/{sub.id}", {"name": "Portal", "url": f"https://{ALLOWED}/v2",
                                                           "events": ["order.closed", "order.escalated"]})
    assert edited.status_code == 302
    assert _subscriber(site).events == ["order.closed", "order.escalated"] and not _subscriber(site).active
    assert admin.submit(f"/admin/subscribers/{sub.id}/delete", {}, form_page="/admin/subscribers/").status_code == 302
    assert _subscriber(site) is None


CSV = ("来源平台,外部编号,报修人,校区,楼宇,房间,服务项目编码,问题描述,报修时间\n"
       "campus-app,A-1,T1001,{campus},,305,W01,宿舍水龙头漏水,2026-11-15 20:30\n"
       "campus-app,A-2,T1001,{campus},,306,W01,走廊灯不亮,2026-11-15 21:00\n")


def test_orders_from_another_platforms_sheet_are_imported_once(site):
    with site.db() as session:
        session.execute(update(User).where(User.username == "requester").values(number="T1001", phone="13900001111"))
        campus = session.scalar(select(Campus.name).where(Campus.school_id == site.school_id).order_by(Campus.id))
    admin = site.client("admin")
    sheet = CSV.format(campus=campus).encode()

    def upload():
        return admin.submit("/admin/import/orders", {"sheet": (io.BytesIO(sheet), "orders.csv")}).get_data(as_text=True)

    preview = upload()
    assert "2 changes will be made" in preview
    upload_name = re.search(r'name="upload"[^>]*value="([^"]+)"', preview).group(1)
    done = admin.post("/admin/import/orders/confirm", {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', preview).group(1),
                                                     "upload": upload_name})
    assert done.status_code == 302
    with site.db() as session:
        orders = list(session.scalars(select(WorkOrder).where(WorkOrder.channel == "imported").order_by(WorkOrder.id)))
    assert [o.external_id for o in orders] == ["A-1", "A-2"]
    again = upload()
    assert "0 changes will be made; 2 rows are already up to date" in again
    with site.db() as session:
        assert session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.channel == "imported")) == 2
