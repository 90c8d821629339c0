"""The header: menus grouped by what people do, each holding exactly the pages the person may open (asked of the
pages themselves, not of a list in the test), the current area marked, no bell badge at 0, one product name per
language in the header and titles, and the icon at /favicon.ico."""
from __future__ import annotations

import re

from flask import url_for

from webapp.navigation import MENUS
from workflows.demo import DEMO_USERS, PLATFORM_USER

_NAV = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)
_LINK = re.compile(r'<a (?:class="menu-link" )?href="([^"]+)"')


def menu_links(page: str) -> list[str]:
    return _LINK.findall(_NAV.search(page).group(1))


def menu_paths(site) -> set[str]:
    with site.app.test_request_context():
        return {url_for(link.endpoint) for menu in MENUS for link in menu.links}


def test_each_role_sees_exactly_the_pages_it_may_open(site):
    every = menu_paths(site)
    for username, _name, _role in DEMO_USERS:
        client = site.client(username)
        shown = menu_links(client.page("/"))
        assert len(shown) == len(set(shown)), username  # no page twice
        reachable = {path for path in every if client.get(path).status_code == 200}
        assert set(shown) == reachable, username


def test_the_platform_account_sees_the_schools_and_processes_but_no_school_pages(site):
    shown = menu_links(site.client(PLATFORM_USER[0]).page("/"))
    assert shown == ["/", "/processes/", "/admin/schools/"]


def test_menus_are_grouped_and_the_current_area_is_marked(site):
    admin = site.client("admin")
    person = admin.page(f"/admin/people/{site.user('worker').id}?lang=zh_CN")  # a page under People, not in a menu
    assert '<li class="menu-item has-menu current" data-menu="admin">' in person and 'aria-current="page"' not in person
    page = admin.page("/admin/people/")
    labels = re.findall(r'aria-controls="menu-(\w+)">([^<\s][^<]*)<svg', page)
    assert labels == [("repairs", "报修服务"), ("plans", "计划督办"), ("quality", "质量监督"), ("staff", "人员值班"),
                      ("figures", "统计考核"), ("admin", "系统管理")]
    assert '<a class="menu-link" href="/">待办</a>' in page  # a menu of one page is that page's link
    assert '<li class="menu-item has-menu current" data-menu="admin">' in page
    assert '<a href="/admin/people/" aria-current="page">人员</a>' in page
    assert page.count('aria-current="page"') == 1
    account = page[page.index('data-menu="account"'):]
    assert 'href="/notifications/settings"' in account and "退出登录" in account and 'href="?lang=en"' in account


def test_only_the_menu_holding_the_page_is_marked_when_two_menus_link_into_its_area(site):
    complaints = site.client("supervisor").page("/complaints")  # Repairs links to "my complaints" of the same area
    assert re.findall(r'<li class="menu-item has-menu current" data-menu="(\w+)">', complaints) == ["quality"]


def test_the_bell_shows_no_badge_when_nothing_is_unread(site):
    page = site.client("requester").page("/")
    assert '<span class="count" hidden data-testid="bell-count">0</span>' in page
    site.report()
    site.wait(hours=1, minutes=5)  # the review reminder reaches the auditor
    assert '<span class="count" data-testid="bell-count">1</span>' in site.client("auditor").page("/")


def test_one_product_name_per_language_in_titles_header_and_login(site):
    guest = site.client()
    login = guest.page("/login?lang=zh_CN")
    assert "<title>登录 · 智慧后勤服务平台</title>" in login and '<p class="product">智慧后勤服务平台</p>' in login
    assert "<title>Log in · Houqin Campus Services</title>" in guest.page("/login?lang=en")
    inbox = site.client("worker").page("/?lang=zh_CN")
    assert "<title>待办 · 智慧后勤服务平台</title>" in inbox
    assert re.search(r'class="brand"[^>]*>\s*<img[^>]*><span>智慧后勤服务平台</span>', inbox)
    for other in ("智慧后勤<", "校园后勤服务", "Houqin<"):
        assert other not in login and other not in inbox


def test_the_icon_is_linked_from_every_page_and_served_at_favicon_ico(site):
    page = site.client().page("/login")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = site.client().get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg") and icon.data == site.client().get("/static/favicon.svg").data
