"""Uploaded files on generic forms: what a file really is, how big it may be, and who stores it.

The type a browser declares is never trusted: the first bytes decide (:func:`sniff`). Forms do not store
files themselves. The page that completes a task hands each checked :class:`Upload` to a storage callback the
domain provides (photos are re-encoded and thumbnailed there, and stored outside the web root); the callback
returns a small JSON-able reference that lands in task data, or raises :class:`UploadRejected`.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "image/jpeg": lambda b: b[:3] == b"\xff\xd8\xff",
    "image/png": lambda b: b[:8] == b"\x89PNG\r\n\x1a\n",
    "image/gif": lambda b: b[:6] in (b"GIF87a", b"GIF89a"),
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
    "application/pdf": lambda b: b[:5] == b"%PDF-",
    "text/plain": lambda b: _is_text(b),
}
KNOWN_TYPES = set(_SIGNATURES)
SHORT_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF",
               "application/pdf": "PDF", "text/plain": "TXT"}
MAX_NAME = 120


def all_pictures(types: str | Iterable[str]) -> bool:
    """Whether every type an upload accepts is a picture (``image/*`` counts as one), so that the page calls what it
    takes photos rather than files. ``types`` is a list of MIME types or an input's ``accept`` attribute
    (``"image/*,application/pdf"``); nothing accepted is no picture."""
    listed = [t.strip() for t in (types.split(",") if isinstance(types, str) else types) if t.strip()]
    return bool(listed) and all(t == "image/*" or t in IMAGE_TYPES for t in listed)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes) -> str | None:
    """The MIME type the content shows (binary signatures first), or None when it is none we know."""
    for mime, matches in _SIGNATURES.items():
        if mime != "text/plain" and matches(data):
            return mime
    return "text/plain" if data and _is_text(data) else None


def safe_name(filename: str | None) -> str:
    """The base name a person gave the file, without folders or control characters, at most 120 characters."""
    base = os.path.basename((filename or "").replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[-MAX_NAME:] or "file"


@dataclass(frozen=True)
class Upload:
    """One checked file: its cleaned name, its bytes and the type its content shows."""

    filename: str
    data: bytes
    mime: str

    @property
    def size(self) -> int:
        return len(self.data)


class UploadRejected(ValueError):
    """The storage callback refuses a file (e.g. an image that cannot be decoded); the message is for the person."""


# store(field, upload) -> reference saved in task data (e.g. {"photo_id": 12})
Store = Callable[[Any, Upload], Any]


def is_upload(value: Any) -> bool:
    """A file part of a request (werkzeug's FileStorage or alike) that carries a file name."""
    return hasattr(value, "stream") and hasattr(value, "filename") and bool(value.filename)


def read_limited(value: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of an uploaded file (one more tells that it is too large)."""
    stream = value.stream
    try:
        stream.seek(0)
    except (AttributeError, OSError):
        pass
    return stream.read(max_bytes + 1)
