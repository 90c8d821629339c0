"""Access tokens of the WeCom app and the WeChat official account: cached, renewed before they expire, and
fetched again once when a platform says the one used is invalid or expired.

Both platforms limit how often a token may be fetched and expect it to be kept for its lifetime (7200 s). The
cache is Redis when the deployment has it, shared by every web and worker process; else this process's memory.
A token is kept for its ``expires_in`` minus :data:`MARGIN`, and a Redis outage only means fetching more often.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

import redis

from engine.clock import now
from workflows.i18n import N_
from workflows.notifications.remote import RemoteError, errcode

MARGIN = 300  # seconds: renew this long before the platform's expiry (WeChat hands out the next token then)
TOKEN_CODES = frozenset({40001, 40014, 42001})  # invalid credential, invalid access_token, access_token expired
KEY_PREFIX = "houqin:access-token:"
REFUSED_AGAIN = N_("%(platform)s refused a freshly fetched access token too (error code %(code)s)")

Fetch = Callable[[], tuple[str, int]]  # a fresh (token, expires_in seconds) from the platform


class TokenStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, token: str, seconds: int) -> None: ...

    def drop(self, key: str) -> None: ...


class MemoryTokens:
    """Tokens in this process (the embedded mode); expiry by the app's clock."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            token, until = self._tokens.get(key, ("", 0.0))
        return token if token and now().timestamp() < until else None

    def put(self, key: str, token: str, seconds: int) -> None:
        with self._lock:
            self._tokens[key] = (token, now().timestamp() + seconds)

    def drop(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)


class RedisTokens:
    """Tokens in Redis with the platform's lifetime as the key's TTL; any Redis error reads as "no token"."""

    def __init__(self, url: str):
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    def get(self, key: str) -> str | None:
        try:
            value: Any = self._redis.get(KEY_PREFIX + key)
        except redis.RedisError:
            return None
        return value.decode() if isinstance(value, bytes) else None

    def put(self, key: str, token: str, seconds: int) -> None:
        try:
            self._redis.set(KEY_PREFIX + key, token, ex=seconds)
        except redis.RedisError:
            pass

    def drop(self, key: str) -> None:
        try:
            self._redis.delete(KEY_PREFIX + key)
        except redis.RedisError:
            pass


def store_for(redis_url: str | None) -> TokenStore:
    return RedisTokens(redis_url) if redis_url else MemoryTokens()


def keep_for(expires_in: int) -> int:
    """How long to keep a token the platform says lives ``expires_in`` seconds."""
    return expires_in - MARGIN if expires_in > 2 * MARGIN else max(expires_in // 2, 1)


class AccessTokens:
    """Hands out a cached token per app and runs API calls with it, renewing it once when it is refused."""

    def __init__(self, store: TokenStore):
        self.store = store

    def token(self, key: str, fetch: Fetch) -> str:
        cached = self.store.get(key)
        if cached:
            return cached
        token, expires_in = fetch()
        self.store.put(key, token, keep_for(expires_in))
        return token

    def call(self, key: str, fetch: Fetch, request: Callable[[str], dict[str, Any]], *, platform: str) -> dict[str, Any]:
        """``request(token)`` with the cached token; when the answer is an invalid/expired-token code, once more
        with a freshly fetched one. A second refusal is a :class:`RemoteError` (retried later by the outbox)."""
        reply = request(self.token(key, fetch))
        if errcode(reply) not in TOKEN_CODES:
            return reply
        self.store.drop(key)
        reply = request(self.token(key, fetch))
        if errcode(reply) in TOKEN_CODES:
            self.store.drop(key)
            raise RemoteError(REFUSED_AGAIN, platform, code=errcode(reply))
        return reply
