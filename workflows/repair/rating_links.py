"""Signed, expiring, single-use rating links (and the QR code printed on the job sheet).

The token names the order, not a task: whichever rating task is open when the link is used is
the one completed, so one printed QR code serves the re-ratings after rectification too. It is
single-use per rating task because a completed task can never be completed again.
"""
from __future__ import annotations

import io
from datetime import timedelta

import qrcode
import qrcode.image.svg
from typing import Callable

from itsdangerous import BadSignature, URLSafeTimedSerializer

from engine.clock import now

SALT = "houqin.rating-link"


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
    qrcode.make(url, box_size=8, border=2).save(buffer, format="PNG")
    return buffer.getvalue()
