"""Error pages speak the reader's language in the app's look, with a way back: 403, 404, 410, 413, 429, 500, 503
and an expired form (CSRF) in Chinese and English, never Werkzeug's or Flask-WTF's English texts; when the header
itself cannot be drawn (the database is gone) the page still comes, without it; the API keeps its JSON errors."""
from __future__ import annotations

import io

from flask import abort
from sqlalchemy.exc import OperationalError

import webapp.navigation
from webapp.error_pages import title_of

FRAMEWORK_WORDS = ("You don't have the permission", "The requested URL was not found", "CSRF token",
                   "The data value transmitted exceeds", "Internal Server Error", "Too Many Requests")


def _db_down(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def _with_failing_routes(site) -> None:
    """Pages that end in the statuses no shipped page reaches on demand (added before the app's first request)."""
    app = site.app
    app.add_url_rule("/_fail/<int:code>", "fail", lambda code: abort(code))
    app.add_url_rule("/_fail/crash", "crash", lambda: 1 / 0)
    app.add_url_rule("/_fail/database", "database", _db_down)


def assert_error_page(page: str, *, code: int, words: str, lang: str) -> None:
    assert f'data-status="{code}"' in page and f'<p class="error-code" aria-hidden="true">{code}</p>' in page
    assert words in page and f'<html lang="{lang}">' in page
    assert 'href="/">' in page  # the way home
    for english in FRAMEWORK_WORDS:
        assert english not in page


STATUSES = [(404, "链接可能有误", "There is no such page"), (410, "此链接已失效", "This link no longer works"),
            (429, "操作过于频繁", "too many attempts in a short time"), (500, "系统出现故障", "a fault on our side")]


def test_errors_in_chinese_by_default_and_in_english(site):
    _with_failing_routes(site)
    guest = site.client()
    for code, zh, en in STATUSES:
        path = "/_fail/crash" if code == 500 else f"/_fail/{code}"
        assert_error_page(guest.page(f"{path}?lang=zh_CN", status=code), code=code, words=zh, lang="zh-CN")
        assert_error_page(guest.page(f"{path}?lang=en", status=code), code=code, words=en, lang="en")


def test_403_names_no_framework_text_and_keeps_the_menus(site):
    worker = site.client("worker")
    page = worker.page("/admin/people/?lang=zh_CN", status=403)
    assert_error_page(page, code=403, words="您的账号没有访问此页面的权限", lang="zh-CN")
    assert "<title>您无权查看此页面 · 智慧后勤服务平台</title>" in page and '<nav class="nav"' in page
    english = worker.page("/admin/people/?lang=en", status=403)
    assert_error_page(english, code=403, words="Your account has no access to this page", lang="en")


def test_an_oversized_upload_gets_the_413_page_with_the_limit_and_a_way_back(site):
    admin = site.client("admin")
    admin.page("/admin/import/people?lang=zh_CN")
    too_big = io.BytesIO(b"x" * (16 * 1024 * 1024 + 1))
    response = admin.post("/admin/import/people", {"sheet": (too_big, "people.xlsx")},
                          headers={"Referer": "http://localhost/admin/import/people"})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert_error_page(page, code=413, words="每次提交的内容最多 16 MB", lang="zh-CN")
    assert '<a class="button primary" href="http://localhost/admin/import/people" data-back>返回上一页</a>' in page


def test_an_expired_form_is_explained_in_the_readers_language(site):
    admin = site.client("admin")
    admin.page("/admin/people/new?lang=zh_CN")
    page = admin.post("/admin/people/new", {"username": "x"}).get_data(as_text=True)  # no CSRF token
    assert_error_page(page, code=400, words="表单已过期", lang="zh-CN")


def test_a_description_our_own_view_gives_is_kept(site):
    admin = site.client("admin")
    admin.page("/?lang=en")
    response = admin.submit("/admin/rules/confirm", {"token": "forged"}, form_page="/admin/rules/edit")
    assert response.status_code == 400
    assert "The confirmation was altered or has expired; nothing was saved." in response.get_data(as_text=True)


def test_with_the_database_gone_the_503_page_comes_without_the_header(site, monkeypatch):
    _with_failing_routes(site)
    auditor = site.client("auditor")
    auditor.page("/?lang=zh_CN")
    monkeypatch.setattr(webapp.navigation, "role_names", _db_down)  # the header's menus need the database
    response = auditor.get("/_fail/database")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert_error_page(page, code=503, words="服务暂时无法连接数据库", lang="zh-CN")
    assert '<nav class="nav"' not in page and "智慧后勤服务平台" in page


def test_api_errors_stay_json(site):
    _with_failing_routes(site)
    response = site.client().get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    with site.app.test_request_context("/?lang=en"):
        assert title_of(413) == "What you sent is too large"
