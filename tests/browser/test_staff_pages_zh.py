"""The staff list and a person's page in Chinese, on a desktop and on a phone, as the demo school's administrator
sees them: business words only (no stored value such as outsourced or expiring), the certificates in colour, the
person's post's required certificates, and the staffing page with the cleaners' shortfall. Screenshots go to
``test-artifacts/browser/staff-zh-*.png``."""
from __future__ import annotations

import re

import pytest
from signing_in import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RAW = re.compile(r"\b(own|outsourced|active|left|valid|expiring|expired|pending|pending_review|superseded|rejected|"
                 r"True|False|None)\b")


def _visit(page, url: str, artifacts, name: str) -> str:
    page.goto(url)
    page.screenshot(path=str(artifacts / f"staff-zh-{name}.png"), full_page=True)
    text = page.locator("main").inner_text()
    found = RAW.search(text)
    assert found is None, f"{name}: {found.group(0)!r} shown"
    return text


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_staff_list_and_a_persons_page_read_in_chinese(new_page, live_server, artifacts, device):
    url = live_server.url
    options = {"viewport": DESKTOP} if device == "desktop" else {
        "viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    page = new_page(**options)
    log_in(page, url, "admin")

    listed = _visit(page, f"{url}/staff", artifacts, f"{device}-01-list")
    assert "人员花名册" in listed and re.search(r"共 \d+ 人", listed) and "外包" in listed and "自有" in listed
    assert page.locator("[data-testid=staff] [data-colour=expiring]").count() >= 1  # yellow: expiring this month
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "the list scrolls sideways"

    expired = page.locator("[data-testid=staff] tr", has=page.locator("[data-colour=expired]")).first
    expired.locator("a").first.click()
    person = _visit(page, page.url, artifacts, f"{device}-02-person-expired")
    assert "岗位要求的证书" in person and "已过期" in person and "未持有效证书" in person
    assert page.locator("[data-testid=certificates] .colour-red").count() >= 1

    page.goto(f"{url}/staff?status=left")
    page.locator("[data-testid=staff] a").first.click()
    gone = _visit(page, page.url, artifacts, f"{device}-03-person-left")
    assert "离职" in gone and "合同到期" in gone

    staffing = _visit(page, f"{url}/staff/staffing", artifacts, f"{device}-04-staffing")
    assert "满编率" in staffing and "8" in staffing and page.locator("[data-testid=staffing] .colour-red").count() >= 1
