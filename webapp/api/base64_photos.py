"""Photos sent inside a JSON body as base64 text, or as a base64 ``data:`` URL: an order's, a check-in's frame and
an inspection round's. They are decoded here, and a :class:`PhotoProblem` worded, once for all of them, so every
endpoint says the same problem the same way; what the bytes are (empty, too big, a picture, a face) is checked by
whoever keeps them."""
from __future__ import annotations

import base64
import binascii
import math
from enum import StrEnum
from typing import Any, assert_never

from flask_babel import gettext as _

DATA_URL_PREFIX = 100  # the longest "data:image/jpeg;base64," and the like taken


class PhotoProblem(StrEnum):
    not_text = "not_text"
    plain_data_url = "plain_data_url"  # a data: URL that is not base64-encoded
    not_base64 = "not_base64"
    too_large = "too_large"  # longer than the base64 of the largest photo taken


class BadPhoto(ValueError):
    """The value is no photo's base64; ``problem`` says why."""

    def __init__(self, problem: PhotoProblem):
        super().__init__(problem.value)
        self.problem = problem


def encoded_size(max_bytes: int) -> int:
    """The longest text a photo of ``max_bytes`` comes as: its base64 and a ``data:`` URL's prefix (a body limit
    holds as many of them as the endpoint takes photos)."""
    return 4 * math.ceil(max_bytes / 3) + DATA_URL_PREFIX


def decode_photo(value: Any, *, max_bytes: int) -> bytes:
    """The bytes ``value`` encodes; :class:`BadPhoto` for anything but base64 text, and, before it is decoded, for
    a text too long to be a photo of at most ``max_bytes``."""
    if not isinstance(value, str):
        raise BadPhoto(PhotoProblem.not_text)
    if len(value) > encoded_size(max_bytes):
        raise BadPhoto(PhotoProblem.too_large)
    if value.startswith("data:"):
        header, _comma, value = value.partition(",")
        if not header.endswith(";base64"):
            raise BadPhoto(PhotoProblem.plain_data_url)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadPhoto(PhotoProblem.not_base64) from None


def photo_problem(problem: PhotoProblem, *, max_bytes: int) -> str:
    """What is wrong with a photo of a body, in the caller's language, as a field's error (``photo``,
    ``extra_findings[0].photos[1]``) or after the photo's place ("photo 2 is not valid base64")."""
    match problem:
        case PhotoProblem.not_text:
            return _("must be a base64 string")
        case PhotoProblem.plain_data_url:
            return _("must be base64-encoded")
        case PhotoProblem.not_base64:
            return _("is not valid base64")
        case PhotoProblem.too_large:
            return _("is larger than %(mb)d MB", mb=max_bytes // (1024 * 1024))
        case _:
            assert_never(problem)
