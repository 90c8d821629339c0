"""Signing in through the login page, in Chinese unless told otherwise, as people do: the one way the browser tests
that check nothing of the form itself log in."""
from __future__ import annotations

from workflows.demo import DEMO_PASSWORD


def log_in(page, url: str, username: str, *, lang: str | None = "zh_CN") -> None:
    """``username`` signs in with the demo password; ``lang=None`` opens the login page in the language the site
    chooses itself (a test then checks which)."""
    from playwright.sync_api import expect

    page.goto(f"{url}/login" + (f"?lang={lang}" if lang else ""))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/")
