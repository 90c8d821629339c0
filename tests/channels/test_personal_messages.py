"""Personal messages through the outbox, against a local server that answers as WeCom, WeChat and Alibaba Cloud SMS
do: a reminder reaches a bound WeCom member exactly once, falls back along the order when bindings are missing or
refused, survives an expired access token, and SMS requests carry a signature the server verifies."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select

from engine import outbox
from engine.models import OutboxMessage
from engine.wakeups import send_pending
from workflows.hooks.delivery_errors import said
from workflows.notifications import preferences
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.models import PersonalBinding
from workflows.notifications.personal_text import PersonalText
from workflows.notifications.remote import RemoteError
from workflows.notifications.sms import AliyunSms, signature
from workflows.notifications.tokens import MARGIN, AccessTokens, MemoryTokens, RedisTokens
from workflows.people.models import User

from .conftest import notify
from .platforms import AGENT_ID, LEAK, TEMPLATE_ID, WECOM_SECRET

WECOM, WECHAT, EMAIL, SMS = (PersonalChannel.wecom, PersonalChannel.wechat, PersonalChannel.email, PersonalChannel.sms)


def _person(rt, user_id: int, *, email: str | None = None, phone: str | None = None, wecom: str | None = None,
            wechat: str | None = None, locale: str = "zh_CN") -> None:
    with rt.session() as session:
        user = session.get(User, user_id)
        user.email, user.phone, user.locale = email, phone, locale
        for channel, address in ((WECOM, wecom), (WECHAT, wechat)):
            if address:
                session.add(PersonalBinding(school_id=user.school_id, user_id=user_id, channel=channel, address=address))


def _personal(rt) -> list[OutboxMessage]:
    return [m for m in rt.outbox() if m.channel in set(PersonalChannel)]


def test_a_reminder_reaches_a_bound_wecom_member_once(personal_runtime, platforms, smtp_server):
    rt = personal_runtime()
    people = rt.people()
    platforms.members.add("zhang.san")
    _person(rt, people.clerk_id, email="clerk@school.test", wecom="zhang.san")

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-20250303-0001")
    [source] = [m for m in rt.outbox() if m.channel == "inapp"]
    [row] = _personal(rt)  # WeCom first in the order: no e-mail as well
    assert (row.channel, row.dedup_key) == ("wecom", f"outbox:{source.id}:person:{people.clerk_id}")
    assert (row.recipients["chain"], row.recipients["next"]) == (["wecom"], ["email"])

    assert send_pending(rt.host) == 1
    [sent] = platforms.on("/cgi-bin/message/send")
    assert sent.body["touser"] == "zhang.san" and sent.body["agentid"] == AGENT_ID
    assert sent.body["msgtype"] == "textcard"
    assert sent.body["textcard"]["title"] == "工单 R-20250303-0001 仍未审核，请及时处理。"
    assert sent.body["textcard"]["url"] == "https://houqin.school.test/notifications/"
    assert [c.query["corpsecret"] for c in platforms.on("/cgi-bin/gettoken")] == [WECOM_SECRET]
    assert smtp_server.messages == []

    # the in-app send run again (an admin retry): nothing queued twice, nothing sent twice
    with rt.session() as session:
        session.get(OutboxMessage, source.id).status = "pending"
    with rt.session() as session:
        assert outbox.send(session, rt.registry, source.id) == "sent"
    assert len(_personal(rt)) == 1 and send_pending(rt.host) == 0
    assert len(platforms.on("/cgi-bin/message/send")) == 1

    # a second reminder uses the cached access token
    notify(rt, people.school_id, kind="repair.escalated", users=[people.clerk_id], order="R-2", colour="yellow")
    assert send_pending(rt.host) == 1
    assert len(platforms.on("/cgi-bin/message/send")) == 2 and len(platforms.on("/cgi-bin/gettoken")) == 1


def test_missing_bindings_fall_back_to_wechat_then_email(personal_runtime, platforms, smtp_server):
    rt = personal_runtime()
    people = rt.people()
    platforms.followers.add("o-clerk")
    _person(rt, people.clerk_id, email="clerk@school.test", wechat="o-clerk")  # WeChat only
    _person(rt, people.supervisor_id, email="super@school.test", phone="13800000001")  # no binding at all
    _person(rt, people.worker_id)  # nothing: the bell only

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id, people.supervisor_id,
                                                                       people.worker_id])
    chosen = {m.recipients["users"][0]: (m.channel, m.recipients["next"]) for m in _personal(rt)}
    assert chosen == {people.clerk_id: ("wechat", ["email"]), people.supervisor_id: ("email", ["sms"])}

    assert send_pending(rt.host) == 2
    [template] = platforms.on("/cgi-bin/message/template/send")
    assert template.body["touser"] == "o-clerk" and template.body["template_id"] == TEMPLATE_ID
    assert template.body["data"]["thing1"]["value"] == "工单 R-20250303-0001 …"  # a thing keyword takes 20 characters
    assert template.body["data"]["character_string2"]["value"] == "R-20250303-0001"
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["super@school.test"]
    assert platforms.on("/") == []  # nobody needed a text message


def test_a_refused_address_hands_over_to_the_next_channel_once(personal_runtime, platforms, smtp_server):
    rt = personal_runtime()
    people = rt.people()
    platforms.followers.add("o-clerk")
    # the clerk's WeCom userid was removed from the corp; the supervisor unfollowed the official account
    _person(rt, people.clerk_id, email="clerk@school.test", wecom="left.the.corp", wechat="o-clerk")
    _person(rt, people.supervisor_id, email="super@school.test", wechat="o-gone")

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id, people.supervisor_id])
    assert send_pending(rt.host) == 0  # both refused for good …
    refused = {m.recipients["users"][0]: m for m in _personal(rt) if m.status == "failed"}
    assert refused[people.clerk_id].attempts == 1
    assert refused[people.clerk_id].last_error.startswith("WeCom knows no member with the bound userid (error code 81013)")
    assert "handed to the next channel, WeChat (message " in refused[people.clerk_id].last_error
    assert "(error code 43004)" in refused[people.supervisor_id].last_error
    # kept in words too: the platform's reason nested in the hand-over, said in the reader's language
    assert said(refused[people.clerk_id], "zh_CN").startswith(
        "企业微信中没有与绑定的 userid 对应的成员（错误码 81013）；已转交下一个渠道：微信（消息 ")
    assert said(refused[people.supervisor_id], "zh_CN").startswith(
        "微信无法送达绑定的 openid：此人未关注公众号或拒收其消息（错误码 43004）；已转交下一个渠道：邮箱（消息 ")

    assert send_pending(rt.host) == 2  # … and handed over: WeChat for the clerk, e-mail for the supervisor
    chains = {m.recipients["users"][0]: m.recipients["chain"] for m in _personal(rt) if m.status == "sent"}
    assert chains == {people.clerk_id: ["wecom", "wechat"], people.supervisor_id: ["wechat", "email"]}
    assert [c.body["touser"] for c in platforms.on("/cgi-bin/message/template/send")] == ["o-gone", "o-clerk"]
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["super@school.test"]

    # an admin retries the refused WeCom row: refused again, but the hand-over is not queued a second time
    failed = refused[people.clerk_id]
    with rt.session() as session:
        row = session.get(OutboxMessage, failed.id)
        row.status, row.attempts = "pending", 0
    assert send_pending(rt.host) == 0 and len(_personal(rt)) == 4
    with rt.session() as session:
        again = session.get(OutboxMessage, failed.id)
        assert again.last_error.endswith("; handed to the next channel, WeChat")  # by the attempt before
        assert said(again, "zh_CN").endswith("；已转交下一个渠道：微信")


def test_why_a_message_was_skipped_or_given_up_is_kept_in_words(personal_runtime, platforms):
    rt = personal_runtime()
    people = rt.people()
    _person(rt, people.clerk_id, wecom="zhang.san")  # WeCom only
    _person(rt, people.supervisor_id, wecom="li.si")
    _person(rt, people.worker_id, email="worker@school.test")  # e-mail only
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id, people.supervisor_id,
                                                                       people.worker_id])
    with rt.session() as session:  # before the send: the clerk unbinds, the supervisor leaves, the worker's address goes
        session.execute(delete(PersonalBinding).where(PersonalBinding.user_id == people.clerk_id))
        session.get(User, people.supervisor_id).active = False
        session.get(User, people.worker_id).email = None
    send_pending(rt.host)

    rows = {m.recipients["users"][0]: m for m in _personal(rt)}
    kept = {who: (rows[who].status, rows[who].last_error, said(rows[who], "zh_CN"))
            for who in (people.clerk_id, people.supervisor_id, people.worker_id)}
    assert kept == {
        people.clerk_id: ("failed", "WeCom: the recipient unbound it or switched it off; no other channel reaches this person",
                          "企业微信：收件人已解除绑定或关闭了该渠道；没有其他渠道能联系到此人"),
        people.supervisor_id: ("sent", "skipped: the recipient's account was removed or deactivated", "已跳过：收件人的账号已删除或停用"),
        people.worker_id: ("sent", "skipped: the recipient has no e-mail address or switched e-mail off",
                           "已跳过：收件人没有邮箱地址或已关闭邮件提醒")}


def test_an_expired_access_token_is_renewed_once_and_the_message_sent_once(personal_runtime, platforms, clock):
    rt = personal_runtime()
    people = rt.people()
    platforms.members.add("zhang.san")
    _person(rt, people.clerk_id, wecom="zhang.san")
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-1")
    assert send_pending(rt.host) == 1

    platforms.expire_tokens()  # WeCom ends the token early: the next send answers 42001
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-2")
    assert send_pending(rt.host) == 1
    answers = [c.query["access_token"] for c in platforms.on("/cgi-bin/message/send")]
    assert len(answers) == 3 and answers[1] == answers[0] != answers[2]  # refused with the old token, sent with the new
    assert len(platforms.on("/cgi-bin/gettoken")) == 2
    assert all(m.status == "sent" for m in _personal(rt))

    # the cached token is renewed before its 7200 s run out, without a refusal
    clock.advance(seconds=7200 - MARGIN)
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-3")
    assert send_pending(rt.host) == 1
    assert len(platforms.on("/cgi-bin/gettoken")) == 3 and len(platforms.on("/cgi-bin/message/send")) == 4


def test_a_second_token_refusal_is_a_recorded_retryable_error(personal_runtime, platforms, clock):
    rt = personal_runtime()
    people = rt.people()
    platforms.members.add("zhang.san")
    _person(rt, people.clerk_id, email="clerk@school.test", wecom="zhang.san")
    platforms.token_answer = 42001  # every send says "expired", even with a fresh token
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])

    assert send_pending(rt.host) == 0
    [row] = _personal(rt)
    assert (row.channel, row.status, row.attempts) == ("wecom", "pending", 1)  # retried later, no hand-over
    assert row.last_error == "RemoteError: WeCom refused a freshly fetched access token too (error code 42001)"
    assert said(row, "zh_CN") == "企业微信连新获取的访问令牌也拒绝了（错误码 42001）"
    assert row.next_attempt_at == clock.now + outbox.BASE_BACKOFF
    assert len(platforms.on("/cgi-bin/message/send")) == 2 and len(platforms.on("/cgi-bin/gettoken")) == 2

    platforms.token_answer = None
    clock.advance(seconds=outbox.BASE_BACKOFF.total_seconds())
    assert send_pending(rt.host) == 1
    [row] = _personal(rt)
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_platform_that_is_down_is_retried_and_its_answer_never_recorded(personal_runtime, platforms):
    rt = personal_runtime()
    people = rt.people()
    _person(rt, people.clerk_id, wecom="zhang.san")
    platforms.down = True
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])
    assert send_pending(rt.host) == 0
    [row] = _personal(rt)
    assert (row.status, row.last_error) == ("pending", "RemoteError: WeCom answered HTTP 503")


def test_text_messages_carry_a_signature_the_server_verifies(personal_runtime, platforms):
    rt = personal_runtime(order=(SMS,))
    people = rt.people()
    _person(rt, people.worker_id, phone="13800000002")
    _person(rt, people.clerk_id, phone="12345")
    platforms.bad_numbers.add("12345")
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.worker_id, people.clerk_id], order="R-7")

    assert send_pending(rt.host) == 1
    calls = platforms.on("/")
    assert sorted(c.body["PhoneNumbers"] for c in calls) == ["12345", "13800000002"]
    sent = next(c.body for c in calls if c.body["PhoneNumbers"] == "13800000002")
    assert sent["SignName"] == "后勤服务" and sent["TemplateCode"] == "SMS_100001" and sent["RegionId"] == "cn-hangzhou"
    assert '"order": "R-7"' in sent["TemplateParam"] and "新派单" in sent["TemplateParam"]
    bad = next(m for m in _personal(rt) if m.recipients["users"] == [people.clerk_id])
    assert bad.status == "failed" and bad.last_error.startswith(
        "Alibaba Cloud SMS says the phone number cannot receive messages (code isv.MOBILE_NUMBER_ILLEGAL)")

    # a wrong AccessKey secret: the server refuses the signature; that is worth retrying, never a hand-over
    wrong = AliyunSms(replace(rt.runtime.messengers.messaging.sms, access_key_secret="not-the-secret"))
    with pytest.raises(RemoteError, match=r"^Alibaba Cloud SMS answered HTTP 400$"):
        wrong.send("13800000002", PersonalText(title="t", order="R-7", when="", link=None, button=""))


def test_the_signature_matches_the_documented_example():
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
              "TimeStamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert signature("testsecret", "GET", params) == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_per_kind_preferences_choose_the_channel(personal_runtime, platforms, smtp_server):
    rt = personal_runtime()
    people = rt.people()
    platforms.members.add("zhang.san")
    _person(rt, people.clerk_id, email="clerk@school.test", wecom="zhang.san")
    with rt.session() as session:  # review reminders by e-mail only, escalations by nothing but the bell
        preferences.save(session, people.clerk_id, switches={}, quiet_start=None, quiet_end=None, kinds={
            WECOM: (["repair.review_overdue", "repair.escalated"], []),
            EMAIL: (["repair.review_overdue", "repair.escalated"], ["repair.review_overdue"])})

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-1")
    notify(rt, people.school_id, kind="repair.escalated", users=[people.clerk_id], order="R-2", colour="red")
    notify(rt, people.school_id, kind="repair.dispatched", users=[people.clerk_id], order="R-3")
    assert {m.business_key: m.channel for m in _personal(rt)} == {"R-1": "email", "R-3": "wecom"}

    with rt.session() as session:  # WeCom on again for escalations; off as a whole for e-mail
        preferences.save(session, people.clerk_id, switches={EMAIL: False}, quiet_start=None, quiet_end=None,
                         kinds={WECOM: (["repair.escalated"], ["repair.escalated"])})
    notify(rt, people.school_id, kind="repair.escalated", users=[people.clerk_id], order="R-4", colour="red")
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-5")
    assert {m.business_key: m.channel for m in _personal(rt)} == {"R-1": "email", "R-3": "wecom", "R-4": "wecom"}


def test_tokens_are_shared_through_redis_for_their_lifetime_less_the_margin(redis_url):
    fetched = []

    def fetch():
        fetched.append(1)
        return f"token-{len(fetched)}", 7200

    web, worker = AccessTokens(RedisTokens(redis_url)), AccessTokens(RedisTokens(redis_url))
    assert web.token("wecom:app", fetch) == worker.token("wecom:app", fetch) == "token-1"
    assert 7200 - MARGIN - 5 <= web.store._redis.ttl("houqin:access-token:wecom:app") <= 7200 - MARGIN
    worker.store.drop("wecom:app")
    assert web.token("wecom:app", fetch) == "token-2"
    # without Redis answering, tokens are fetched instead of failing the send
    unreachable = AccessTokens(RedisTokens("redis://127.0.0.1:1/0"))
    assert unreachable.token("wecom:app", fetch) == "token-3"


def test_tokens_in_memory_expire_by_the_apps_clock(clock):
    tokens = AccessTokens(MemoryTokens())
    answers = iter([("a", 7200), ("b", 400)])
    assert tokens.token("k", lambda: next(answers)) == "a"
    clock.advance(seconds=7200 - MARGIN - 1)
    assert tokens.token("k", lambda: pytest.fail("still cached")) == "a"
    clock.advance(seconds=1)
    assert tokens.token("k", lambda: next(answers)) == "b"  # a short-lived token is kept for half its life
    clock.advance(seconds=200)
    assert tokens.store.get("k") is None


def test_no_secret_and_no_platform_answer_reaches_the_database(personal_runtime, platforms):
    rt = personal_runtime()
    people = rt.people()
    platforms.followers.add("o-clerk")
    _person(rt, people.clerk_id, email="clerk@school.test", wecom="unknown", wechat="o-clerk", phone="13800000009")
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])
    send_pending(rt.host)
    platforms.down = True
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-9")
    send_pending(rt.host)
    errors = [m.last_error for m in rt.outbox() if m.last_error]
    assert len(errors) == 3  # the refused WeCom userid, then WeChat and WeCom down
    dump = _database_text(rt)
    secrets = [LEAK, WECOM_SECRET, "wechat-app-secret-4b2f", "aliyun-key-secret-71c0", "-token-"]
    assert [s for s in secrets if s in dump] == []
    settings = repr(rt.runtime.messengers.messaging)
    assert [s for s in secrets[1:4] if s in settings] == []


def _database_text(rt) -> str:
    """Every value of every table, as text."""
    from engine.db import Base

    with rt.session() as session:
        return "\n".join(str(row) for table in Base.metadata.sorted_tables
                         for row in session.execute(select(table)).all())


def test_quiet_hours_hold_back_a_wecom_message_too(personal_runtime, platforms, clock):
    rt = personal_runtime()
    people = rt.people()
    platforms.members.add("zhang.san")
    _person(rt, people.clerk_id, wecom="zhang.san")
    with rt.session() as session:
        preferences.save(session, people.clerk_id, switches={}, quiet_start=time(22, 0), quiet_end=time(7, 0))
    clock.to(datetime(2025, 3, 3, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id])
    [row] = _personal(rt)
    assert row.next_attempt_at == datetime(2025, 3, 3, 23, 0, tzinfo=UTC) == clock.now + timedelta(hours=8)
