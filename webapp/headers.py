"""Response headers every page carries: no framing by other sites, no content-type guessing, a same-origin
referrer, and a Content-Security-Policy that lets scripts run only from our own files (or the few inline ones that
carry this request's nonce), so an injected ``<script>`` does nothing. Cookies are marked ``Secure`` when the
deployment is served over HTTPS (``HOUQIN_SECURE_COOKIES``)."""
from __future__ import annotations

import secrets

from flask import Flask, Response, g

POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def csp_nonce() -> str:
    """This request's script nonce, made on first use (templates put it on their inline scripts)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def _secure(response: Response) -> Response:
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", POLICY.format(nonce=csp_nonce()))
    return response


def init_app(app: Flask, *, secure_cookies: bool) -> None:
    app.config.update(SESSION_COOKIE_SECURE=secure_cookies, REMEMBER_COOKIE_SECURE=secure_cookies,
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_secure)
