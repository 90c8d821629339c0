"""What a phone number of a person may look like, in one place for the admin pages, the admin API and the people
import: a Chinese mobile number (11 digits, 13–19…) or a landline with its area code (010-12345678,
0571-8888888), optionally with an extension (010-12345678-123 or 010-12345678转123).

Spaces, dashes and a leading +86 that people type are accepted and written the one way the pages show:
``13812345678``, ``010-12345678``, ``010-12345678-123``.
"""
from __future__ import annotations

import re

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# area codes: 010 and 02x have three digits, every other (0311, 0571 …) four
_LANDLINE = re.compile(r"(?:\+?86-?)?(010|02\d|0[3-9]\d\d)-?(\d{7,8})(?:(?:-|转|ext\.?|x)(\d{1,6}))?", re.IGNORECASE)
MAX_LENGTH = 40


class BadPhone(ValueError):
    """The text is not a phone number a person can be called on."""


def clean_phone(raw: str) -> str:
    """The number in its one written form; raises :class:`BadPhone` for anything else (letters, too few digits…)."""
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise BadPhone(raw)
    compact = re.sub(r"[\s()（）]", "", text)
    mobile = _MOBILE.fullmatch(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(compact)
    if landline:
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise BadPhone(raw)
