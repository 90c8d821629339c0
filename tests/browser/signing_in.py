"""Signing in through the login page in Chinese, as people do: the one way the browser tests that need no other
language or check of the form itself log in."""
from __future__ import annotations

from workflows.demo import DEMO_PASSWORD


def log_in(page, url: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/login?lang=zh_CN")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/")
