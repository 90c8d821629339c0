"""Signed business-event webhooks, received by a real HTTP server started here that checks every signature the
way a subscriber would (:func:`workflows.hooks.signing.verify`)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from engine import outbox
from engine.clock import now
from engine.db import unit_of_work
from engine.models import OutboxMessage
from engine.statuses import OutboxStatus
from workflows.errors import FieldError
from workflows.hooks import admin as hooks
from workflows.hooks import signing
from workflows.hooks.enums import CHANNEL, BusinessEvent
from workflows.hooks.sender import SKIPPED, HookSender
from workflows.people.models import User
from workflows.repair.events import publish_created
from workflows.repair.models import WorkOrder
from workflows.repair.service import Intake, create_order

STARS = {"overall": 5, "quality": 5, "efficiency": 5, "attitude": 5}


@dataclass
class Receiver:
    """A subscriber's endpoint: answers ``status`` and keeps each delivery with whether its signature verified."""

    secret: str = ""
    status: int = 200
    deliveries: list[dict] = field(default_factory=list)
    url: str = ""

    def events(self) -> list[str]:
        return [d["body"]["event"] for d in self.deliveries]


@pytest.fixture
def receiver():
    box = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            verified = signing.verify(box.secret, timestamp=self.headers.get(signing.TIMESTAMP_HEADER, ""),
                                      signature=self.headers.get(signing.SIGNATURE_HEADER, ""), body=raw, now=time.time())
            box.deliveries.append({"raw": raw, "body": json.loads(raw), "verified": verified,
                                   "timestamp": self.headers.get(signing.TIMESTAMP_HEADER),
                                   "signature": self.headers.get(signing.SIGNATURE_HEADER),
                                   "event": self.headers.get(signing.EVENT_HEADER)})
            self.send_response(box.status if verified else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/houqin"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


def _allowed(receiver: Receiver) -> frozenset[str]:
    return frozenset({receiver.url.split("/")[2]})


def _subscribe(api, receiver: Receiver, events=tuple(BusinessEvent), *, username: str = "admin") -> int:
    """Register the receiver for ``events`` in ``username``'s school; the sender may reach it (the allow-list)."""
    runtime = api.app.extensions["houqin"]
    runtime.host.registry.channels[CHANNEL] = HookSender(_allowed(receiver))
    with unit_of_work(api.session_factory) as session:
        school = session.scalar(select(User.school_id).where(User.username == username))
        sub, receiver.secret = hooks.create(session, actor=username, school_id=school, secret=None,
                                            entry=hooks.SubscriberInput("Campus portal", receiver.url, tuple(events)),
                                            allowed=_allowed(receiver))
        return sub.id


def test_a_new_order_is_posted_signed_and_the_signature_verifies(api, receiver):
    _subscribe(api, receiver)
    number = api.create_order()["number"]
    [delivery] = receiver.deliveries
    assert delivery["verified"] and delivery["event"] == "order.created"
    body = delivery["body"]
    assert set(body) == {"event", "id", "occurred_at", "school", "data"}
    assert body["event"] == "order.created" and body["school"] == "demo" and body["data"]["number"] == number
    assert body["data"]["status"] == "submitted" and body["data"]["channel"] == "api"


def test_a_tampered_body_or_another_secret_or_an_old_timestamp_fails_verification(api, receiver):
    _subscribe(api, receiver)
    api.create_order()
    [delivery] = receiver.deliveries
    raw, stamp, signature = delivery["raw"], delivery["timestamp"], delivery["signature"]
    at = int(stamp)
    assert signing.verify(receiver.secret, timestamp=stamp, signature=signature, body=raw, now=at)
    tampered = raw.replace(b'"submitted"', b'"closed"')
    assert tampered != raw
    assert not signing.verify(receiver.secret, timestamp=stamp, signature=signature, body=tampered, now=at)
    assert not signing.verify("whsec_another", timestamp=stamp, signature=signature, body=raw, now=at)
    assert not signing.verify(receiver.secret, timestamp=str(at + 1), signature=signature, body=raw, now=at)
    assert not signing.verify(receiver.secret, timestamp=stamp, signature=signature, body=raw, now=at + 301)


def test_a_bad_rating_is_posted_and_events_not_chosen_are_not(api, receiver):
    _subscribe(api, receiver, events=(BusinessEvent.rating_bad,))
    number = api.done_job()
    assert receiver.deliveries == []  # the order was created, but only bad ratings were asked for
    api.post(f"/ratings/{api.rating_token(number)}", json={"data": {**STARS, "overall": 1}})
    assert receiver.events() == ["rating.bad"]
    delivery = receiver.deliveries[0]
    assert delivery["verified"] and delivery["body"]["data"]["number"] == number
    assert delivery["body"]["data"]["step"]["bad"] is True


def test_another_schools_subscriber_hears_nothing(api, receiver):
    _subscribe(api, receiver, username="outsider")
    api.create_order()
    assert receiver.deliveries == []


def test_a_failing_receiver_is_retried_with_back_off_and_the_same_event_id(api, receiver):
    _subscribe(api, receiver)
    receiver.status = 500
    api.create_order()
    message = api.scalar(select(OutboxMessage).where(OutboxMessage.channel == CHANNEL))
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert message.last_error == "WebhookError: HTTP 500: the receiver answered with an error"
    assert message.next_attempt_at > message.created_at
    receiver.status = 200
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        assert outbox.send(session, runtime.host.registry, message.id) == OutboxStatus.SENT
    first, second = receiver.deliveries
    assert first["body"]["id"] == second["body"]["id"] and second["verified"]


def test_nothing_is_posted_when_the_order_is_rolled_back(api, receiver):
    _subscribe(api, receiver)
    runtime = api.app.extensions["houqin"]
    body = api.order_body()
    requester = api.user_id("requester")
    with runtime.host.session_factory() as session:
        create_order(session, runtime.host, school_id=api.school_id(), uploads_dir=runtime.uploads_dir,
                     intake=Intake(channel="api", requester_id=requester, **{k: v for k, v in body.items()}))
        session.rollback()
    assert receiver.deliveries == []
    assert api.scalar(select(OutboxMessage.id).where(OutboxMessage.channel == CHANNEL)) is None


def test_a_private_or_loopback_address_is_refused_unless_the_operator_allows_it(api, receiver):
    with unit_of_work(api.session_factory) as session, pytest.raises(FieldError) as refused:
        hooks.create(session, actor="admin", school_id=api.school_id(), secret=None,
                     entry=hooks.SubscriberInput("Intranet", receiver.url, (BusinessEvent.order_created,)))
    assert refused.value.field == "url" and "loopback" in str(refused.value)
    for url in ("http://10.0.0.8/hook", "http://169.254.169.254/latest", "ftp://example.com/hook"):
        with unit_of_work(api.session_factory) as session, pytest.raises(FieldError):
            hooks.create(session, actor="admin", school_id=api.school_id(), secret=None,
                         entry=hooks.SubscriberInput("Bad", url, (BusinessEvent.order_created,)))


def test_a_subscriber_allowed_at_save_is_still_checked_at_send(api, receiver):
    """An address saved when the operator allowed it is refused later when it no longer is: the sender checks
    again before every request."""
    _subscribe(api, receiver)
    api.app.extensions["houqin"].host.registry.channels[CHANNEL] = HookSender(frozenset())
    api.create_order()
    assert receiver.deliveries == []
    message = api.scalar(select(OutboxMessage).where(OutboxMessage.channel == CHANNEL))
    assert "refused target" in message.last_error and "loopback" in message.last_error


def test_a_row_that_names_no_subscriber_is_skipped_not_retried(api, receiver):
    """A row without a subscriber id (written by hand, or its recipients lost) is skipped as a removed subscriber's
    is: sent once, nothing posted, its reason kept in words."""
    _subscribe(api, receiver)
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        row = OutboxMessage(school_id=api.school_id(), kind=BusinessEvent.order_created, channel=CHANNEL, recipients={},
                            payload={"event": "order.created"}, created_at=now(), next_attempt_at=now())
        session.add(row)
        session.flush()
        assert outbox.send(session, runtime.host.registry, row.id) == OutboxStatus.SENT
        assert (row.attempts, row.last_error, row.last_error_words) == (1, SKIPPED, {"message": SKIPPED, "values": {}})
    assert receiver.deliveries == []


def test_an_event_published_again_is_the_same_event_and_posted_once(api, receiver):
    """A step run again after a redelivery publishes the same occurrence: one outbox row per subscriber, one id."""
    _subscribe(api, receiver, events=(BusinessEvent.order_created,))
    number = api.create_order()["number"]
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        order = session.scalar(select(WorkOrder).where(WorkOrder.number == number))
        publish_created(session, runtime.host.dispatcher, order)
    rows = api.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.channel == CHANNEL))
    assert rows == 1 and receiver.events() == ["order.created"]
    other = api.create_order()["number"]
    assert other != number and len({d["body"]["id"] for d in receiver.deliveries}) == 2
