"""Signed, expiring, single-use rating links (and the QR code printed on the job sheet).

The token names the order, not a task: whichever rating task is open when the link is used is
the one completed, so one printed QR code serves the re-ratings after rectification too. It is
single-use per rating task because a completed task can never be completed again.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.advance import complete_task
from engine.clock import now
from engine.errors import ConcurrentUpdate, NotAllowed, TaskNotReady
from engine.host import Host
from engine.models import HumanTask
from rules.store import RuleStore
from workflows.repair.models import WorkOrder
from workflows.repair.service import by_number

SALT = "houqin.rating-link"
RATING_TASK = "rate"  # the repair diagram's rating user task


class LinkInvalid(ValueError):
    """Forged, altered or expired link; ``expired`` tells which."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def make_token(secret: str, *, school_id: int, order_number: str) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps({"s": school_id, "o": order_number})


def read_token(secret: str, token: str, *, max_age_for: Callable[[int], timedelta]) -> tuple[int, str]:
    """Return (school id, order number) or raise :class:`LinkInvalid`.

    ``max_age_for(school_id)`` gives that school's link validity (a rule), checked after the
    signature so a forged token never reaches the database.
    """
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        data, signed_at = serializer.loads(token, return_timestamp=True)
    except BadSignature as err:
        raise LinkInvalid("this rating link is not valid") from err
    school_id = int(data["s"])
    if now() - signed_at > max_age_for(school_id):
        raise LinkInvalid("this rating link has expired", expired=True)
    return school_id, str(data["o"])


def qr_svg(url: str) -> bytes:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(buffer, format="PNG")  # type: ignore[call-arg]  # stubs say PyPNG; with Pillow it is a PilImage
    return buffer.getvalue()


class NothingToRate(LookupError):
    """The order exists but no rating is waiting (rated already, or not finished yet)."""


def open_rating(session: Session, rules: RuleStore, secret: str, token: str, *,
                task_name: str = RATING_TASK) -> tuple[WorkOrder, HumanTask]:
    """(order, open rating task) for a link token, or raise :class:`LinkInvalid` / :class:`NothingToRate`."""
    school_id, number = read_token(secret, token, max_age_for=lambda school: (
        rules.book(session, school).duration("repair.rating.link_valid_for")))
    order = by_number(session, school_id=school_id, number=number)
    if order is None:
        raise LinkInvalid("this rating link is not valid")
    task = session.scalar(select(HumanTask).where(HumanTask.business_key == order.number,
                                                  HumanTask.school_id == order.school_id, HumanTask.task_name == task_name))
    if task is None:
        raise NothingToRate("this order has no rating waiting: it was rated already or is still being handled")
    return order, task


def submit_rating(host: Host, session: Session, *, order: WorkOrder, task: HumanTask, data: dict[str, Any]) -> None:
    """Complete the rating task as the order's requester (the link is the credential)."""
    requester = Actor(id=order.requester_id, name="rating-link", school_id=order.school_id)
    try:
        complete_task(host, session, task_id=task.id, actor=requester, data=data)
    except (TaskNotReady, NotAllowed, ConcurrentUpdate) as err:
        raise NothingToRate("this order has no rating waiting: it was rated already or is still being handled") from err
