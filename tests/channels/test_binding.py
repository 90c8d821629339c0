"""Binding WeCom / WeChat by a one-time QR code on the person's notification settings page: the phone goes through
the platform's OAuth page (the local stand-in) and comes back with a code for its userid / openid; a code works
once, for ten minutes, and a forged one binds nothing. Unbinding, per-kind choices and the admin outbox page."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from factories import make_user

from engine.models import AuditEvent
from engine.wakeups import send_pending
from workflows.notifications.models import BindingTicket, NotificationPreference, PersonalBinding
from workflows.people.models import User

from .conftest import notify
from .platforms import AGENT_ID, APP_ID, CORP_ID, LEAK
from .test_webhooks import CSRF, web_login

QR_URL = re.compile(r'data-url="([^"]+)"')


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _show_code(client, channel: str) -> str:
    """Ask for a binding code on the settings page; the URL the QR code holds."""
    token = CSRF.search(client.get("/notifications/settings").get_data(as_text=True)).group(1)
    page = client.post(f"/notifications/bind/{channel}", data={"csrf_token": token})
    assert page.status_code == 200
    return QR_URL.search(page.get_data(as_text=True)).group(1)


def _scan(app, url: str):
    """The phone opens the code: our page sends it to the platform's OAuth page, which sends it back with a code."""
    phone = app.test_client()  # nobody is logged in on the phone
    opened = phone.get(urlsplit(url).path)
    if opened.status_code != 302:
        return opened, None
    authorize = opened.headers["Location"]
    try:
        urllib.request.build_opener(_Stay()).open(authorize, timeout=5)
        raise AssertionError("the OAuth page did not redirect")
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
        back = urlsplit(answer.headers["Location"])
    return phone.get(f"{back.path}?{back.query}"), parse_qs(urlsplit(authorize).query)


def _audit(rt, action: str) -> list[AuditEvent]:
    with rt.session() as session:
        return list(session.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id))


def _bindings(rt) -> set[tuple[int, str, str]]:
    with rt.session() as session:
        return {(b.user_id, b.channel, b.address) for b in session.query(PersonalBinding)}


def test_a_wecom_member_binds_by_qr_code_once_and_then_gets_reminders(personal_app, platforms, clock):
    rt = personal_app.harness
    people = rt.people()
    client = personal_app.test_client()
    web_login(client, "clerk-1", "pw-clerk")
    page = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert 'data-testid="unbound-wecom"' in page and 'data-testid="unbound-wechat"' in page

    url = _show_code(client, "wecom")
    assert url.startswith("http://localhost/bind/wecom/scan/")
    platforms.members.add("zhang.san")
    platforms.phone("wecom", "zhang.san")
    done, oauth = _scan(personal_app, url)
    assert done.status_code == 200 and 'data-ok="yes"' in done.get_data(as_text=True)
    assert (oauth["appid"], oauth["agentid"], oauth["scope"], oauth["response_type"]) == \
        ([CORP_ID], [str(AGENT_ID)], ["snsapi_base"], ["code"])
    assert oauth["redirect_uri"] == ["http://localhost/bind/wecom/back"] and re.fullmatch(r"[0-9a-f]{32}", oauth["state"][0])
    assert _bindings(rt) == {(people.clerk_id, "wecom", "zhang.san")}
    [audit] = _audit(rt, "binding.created")
    assert (audit.actor, audit.school_id, audit.details["address"]) == ("clerk-1", people.school_id, "zhang.san")

    again, _ = _scan(personal_app, url)  # the same code a second time
    assert again.status_code == 410 and "已被使用" in again.get_data(as_text=True)
    page = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert 'data-testid="bound-wecom"' in page and "WeCom account: zhang.san" in page

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])
    assert send_pending(rt.host) == 1
    assert [c.body["touser"] for c in platforms.on("/cgi-bin/message/send")] == ["zhang.san"]


def test_wechat_binding_and_unbinding_are_audited(personal_app, platforms):
    rt = personal_app.harness
    people = rt.people()
    client = personal_app.test_client()
    web_login(client, "worker-1", "pw-worker")
    platforms.phone("wechat", "o-worker")
    done, oauth = _scan(personal_app, _show_code(client, "wechat"))
    assert done.status_code == 200 and oauth["appid"] == [APP_ID] and "agentid" not in oauth
    assert [c.query["secret"] for c in platforms.on("/sns/oauth2/access_token")] == ["wechat-app-secret-4b2f"]
    assert _bindings(rt) == {(people.worker_id, "wechat", "o-worker")}

    token = CSRF.search(client.get("/notifications/settings").get_data(as_text=True)).group(1)
    assert client.post("/notifications/unbind/wechat").status_code == 400, "CSRF token required"
    assert client.post("/notifications/unbind/wechat", data={"csrf_token": token}).status_code == 302
    assert _bindings(rt) == set()
    [removed] = _audit(rt, "binding.removed")
    assert (removed.actor, removed.details["channel"]) == ("worker-1", "wechat")
    assert client.post("/notifications/bind/sms", data={"csrf_token": token}).status_code == 404


def test_expired_forged_and_foreign_codes_bind_nothing(personal_app, platforms, clock):
    rt = personal_app.harness
    rt.people()
    client = personal_app.test_client()
    web_login(client, "clerk-1", "pw-clerk")
    platforms.members.add("zhang.san")
    platforms.phone("wecom", "zhang.san")

    url = _show_code(client, "wecom")
    token = url.rsplit("/", 1)[1]
    forged, _ = _scan(personal_app, url[:-3] + ("abc" if not url.endswith("abc") else "xyz"))
    assert forged.status_code == 404 and "无效" in forged.get_data(as_text=True)
    foreign, _ = _scan(personal_app, f"http://localhost/bind/wechat/scan/{token}")  # a WeCom code on the WeChat path
    assert foreign.status_code == 404
    phone = personal_app.test_client()
    assert phone.get("/bind/wecom/back?code=x&state=" + "0" * 32).status_code == 404  # a made-up state
    assert phone.get("/bind/wecom/back?code=x&state=../../etc").status_code == 404

    clock.advance(minutes=10)
    expired, _ = _scan(personal_app, url)
    assert expired.status_code == 410 and "已过期" in expired.get_data(as_text=True)

    # a phone signed in as someone outside the corp, and a cancelled sign-in
    platforms.phone("wecom", "visitor")
    outsider, _ = _scan(personal_app, _show_code(client, "wecom"))
    assert outsider.status_code == 403
    state = _show_code(client, "wecom")
    opened = phone.get(urlsplit(state).path)
    state = parse_qs(urlsplit(opened.headers["Location"]).query)["state"][0]
    assert phone.get(f"/bind/wecom/back?state={state}").status_code == 400
    assert _bindings(rt) == set() and _audit(rt, "binding.created") == []
    with rt.session() as session:  # only digests are stored: the table holds no usable code
        digests = [t.digest for t in session.query(BindingTicket)]
    assert state not in digests and all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)


def test_an_address_moves_to_the_person_who_binds_it_last(personal_app, platforms):
    rt = personal_app.harness
    people = rt.people()
    platforms.members.add("shared.phone")
    platforms.phone("wecom", "shared.phone")
    for username, password in (("clerk-1", "pw-clerk"), ("supervisor-1", "pw-supervisor")):
        client = personal_app.test_client()
        web_login(client, username, password)
        assert _scan(personal_app, _show_code(client, "wecom"))[0].status_code == 200
    assert _bindings(rt) == {(people.supervisor_id, "wecom", "shared.phone")}
    [moved] = _audit(rt, "binding.removed")
    assert (moved.details["user_id"], moved.details["reason"], moved.actor) == \
        (people.clerk_id, "bound to another account", "supervisor-1")


def test_the_settings_page_chooses_channels_per_kind(personal_app, platforms, smtp_server):
    rt = personal_app.harness
    people = rt.people()
    with rt.session() as session:
        session.get(User, people.clerk_id).email = "clerk@school.test"
        session.add(PersonalBinding(school_id=people.school_id, user_id=people.clerk_id, channel="wecom",
                                    address="zhang.san"))
    platforms.members.add("zhang.san")
    client = personal_app.test_client()
    web_login(client, "clerk-1", "pw-clerk")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "企业微信 → 微信 → 邮箱 → 短信" in page
    assert 'name="kind-wecom-repair.review_overdue"' in page and 'name="kind-email-repair.review_overdue"' in page
    assert "工单审核超时" in page
    assert 'name="kind-sms-' not in page and "您的账号未设置手机号码。" in page

    token = CSRF.search(page).group(1)
    ticked = {f"kind-{c}-{k}": "y" for c in ("wecom", "email") for k in ("repair.escalated", "repair.dispatched")}
    ticked["kind-email-repair.review_overdue"] = "y"  # review reminders: e-mail, not WeCom
    assert client.post("/notifications/settings", data={"csrf_token": token, "email": "y", **ticked}).status_code == 302
    with rt.session() as session:
        off = {(p.channel, p.kind) for p in session.query(NotificationPreference).filter_by(enabled=False)}
    assert ("wecom", "repair.review_overdue") in off and ("email", "repair.review_overdue") not in off
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert not re.search(r'name="kind-wecom-repair\.review_overdue"[^>]*checked', page)
    assert re.search(r'name="kind-wecom-repair\.dispatched"[^>]*checked', page)

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-1")
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.clerk_id], order="R-2")
    assert {m.business_key: m.channel for m in rt.outbox() if m.channel != "inapp"} == {"R-1": "email", "R-2": "wecom"}


def test_the_admin_outbox_page_shows_recipient_status_error_and_channels_taken(personal_app, platforms, clock):
    rt = personal_app.harness
    people = rt.people()
    with rt.session() as session:
        make_user(session, username="admin-1", password="pw-admin", school_id=people.school_id, roles=[("admin", None)])
        session.add_all([PersonalBinding(school_id=people.school_id, user_id=people.clerk_id, channel="wecom",
                                         address="left.the.corp"),
                         PersonalBinding(school_id=people.school_id, user_id=people.clerk_id, channel="wechat",
                                         address="o-clerk")])
    platforms.followers.add("o-clerk")
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])
    send_pending(rt.host)
    clock.advance(seconds=1)
    send_pending(rt.host)

    client = personal_app.test_client()
    web_login(client, "admin-1", "pw-admin")
    page = client.get("/admin/outbox/?lang=en").get_data(as_text=True)
    [row] = re.findall(r'<tr class="outbox-failed".*?</tr>', page, re.S)
    assert 'data-channel="wecom"' in row and "<td>WeCom</td>" in row and "Clerk-1" in row
    assert "WeCom knows no member with the bound userid (error code 81013)" in row
    assert "An order waits too long for review" in row
    sent = client.get("/admin/outbox/?show=sent&lang=en").get_data(as_text=True)
    [handed] = re.findall(r'<tr class="outbox-sent"[^>]*data-channel="wechat".*?</tr>', sent, re.S)
    assert "WeCom → WeChat" in handed and 'data-testid="retry"' not in handed
    assert LEAK not in page + sent
    chinese = client.get("/admin/outbox/?show=all&lang=zh_CN").get_data(as_text=True)
    assert "企业微信 → 微信" in chinese and "失败" in chinese
    handed_id = re.search(r'data-id="(\d+)"', handed).group(1)  # the error names the row it was handed to
    assert f"企业微信中没有与绑定的 userid 对应的成员（错误码 81013）；已转交下一个渠道：微信（消息 {handed_id}）" in chinese
    assert "knows no member" not in chinese and "handed to" not in chinese


def test_text_messages_can_be_switched_off_on_the_settings_page(personal_app, platforms):
    rt = personal_app.harness
    people = rt.people()
    with rt.session() as session:
        session.get(User, people.worker_id).phone = "13800000005"
    client = personal_app.test_client()
    web_login(client, "worker-1", "pw-worker")
    page = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="sms"', page) and "13800000005" in page
    token = CSRF.search(page).group(1)

    assert client.post("/notifications/settings", data={"csrf_token": token}).status_code == 302  # SMS unticked
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.worker_id], order="R-1")
    client.post("/notifications/settings", data={"csrf_token": token, "sms": "y", "kind-sms-repair.dispatched": "y"})
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.worker_id], order="R-2")
    assert [(m.business_key, m.channel) for m in rt.outbox() if m.channel != "inapp"] == [("R-2", "sms")]
    assert send_pending(rt.host) == 1 and [c.body["PhoneNumbers"] for c in platforms.on("/")] == ["13800000005"]
