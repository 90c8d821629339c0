"""The signature every delivery carries, and the check a receiver makes (the tests make it too).

The sender puts the Unix time in ``X-Houqin-Timestamp`` and ``v1=`` + hex HMAC-SHA256, keyed with the subscriber's
secret, of ``"<timestamp>.<raw body>"`` in ``X-Houqin-Signature``. Signing the timestamp with the body lets a
receiver refuse an old delivery replayed by whoever captured it; comparing in constant time gives away nothing about
the expected signature.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

TIMESTAMP_HEADER = "X-Houqin-Timestamp"
SIGNATURE_HEADER = "X-Houqin-Signature"
EVENT_HEADER = "X-Houqin-Event"
VERSION = "v1"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A random secret for a subscriber that did not bring its own."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def verify(secret: str, *, timestamp: str, signature: str, body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True when ``signature`` is ``body``'s under ``secret`` and ``timestamp`` is within ``tolerance`` seconds of
    ``now`` (the receiver's clock)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)
