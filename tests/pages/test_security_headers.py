"""Every page refuses framing and content sniffing and runs only our own scripts (inline ones carry the request's
nonce); session cookies are Secure when the deployment says it is served over HTTPS."""
from __future__ import annotations

import re

from webapp.config import Settings


def test_pages_carry_the_security_headers_and_inline_scripts_their_nonce(site):
    client = site.client("requester")
    response = client.get("/m/report")
    policy = response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.get_data(as_text=True))
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert re.search(r"'nonce-([^']+)'", client.get("/m/report").headers["Content-Security-Policy"]).group(1) != nonce


def test_secure_cookies_follow_the_setting():
    assert Settings.from_env({"HOUQIN_SECURE_COOKIES": "true", "SECRET_KEY": "x"}).secure_cookies
    assert not Settings.from_env({"SECRET_KEY": "x"}).secure_cookies
