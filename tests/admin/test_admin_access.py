"""Every admin page and admin API call refuses people without the admin role.

The routes are read from the app's url_map (every rule under /admin and /api/v1/admin, including those other
features add later), each called with every method it accepts among GET and POST:
- logged in without the admin role: 403 (forms are posted with a valid CSRF token, so the role check answers);
- anonymous: pages redirect to the login page (302), API calls answer 401;
- the API with a non-admin's bearer token: 403; with an admin's: neither 401 nor 403.
"""
from __future__ import annotations

import re

from websupport import csrf_from

from workflows.people.service import issue_token

PAGE_PREFIX, API_PREFIX = "/admin", "/api/v1/admin"


def _admin_rules(app) -> list[tuple[str, str]]:
    """(concrete path, method) for every admin rule; path arguments become 1."""
    calls = []
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith(PAGE_PREFIX + "/") or rule.rule.startswith(API_PREFIX + "/")):
            continue
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule.rule)
        calls.extend((path, method) for method in ("GET", "POST") if method in rule.methods)
    return sorted(calls)


def _call(client, path: str, method: str, csrf: str | None, headers: dict | None = None):
    if method == "GET":
        return client.http.get(path, headers=headers or {})
    return client.http.post(path, data={"csrf_token": csrf} if csrf else None, headers=headers or {})


def _token(site, username: str) -> str:
    from sqlalchemy import select

    from workflows.people.models import User

    with site.db() as session:
        return issue_token(session, user=session.scalar(select(User).where(User.username == username)), name="t")


def test_every_admin_route_is_refused_without_the_admin_role_and_opens_for_the_admin(site):
    calls = _admin_rules(site.app)
    paths = {p for p, _ in calls}
    assert {"/admin/people/", "/admin/org/", "/admin/catalogue/", "/admin/locations/", "/admin/import/people",
            "/admin/permissions/1", "/admin/rules/", "/api/v1/admin/people", "/api/v1/admin/org-units"} <= paths
    assert sum(m == "POST" for _, m in calls) >= 15

    for username in ("worker", "deputy", "supervisor"):
        client = site.client(username)
        csrf = csrf_from(client.page("/"))
        for path, method in calls:
            if path.startswith(API_PREFIX):
                continue
            response = _call(client, path, method, csrf)
            assert response.status_code == 403, (username, method, path, response.status_code)

    anonymous = site.client()
    csrf = csrf_from(anonymous.page("/login"))
    for path, method in calls:
        response = _call(anonymous, path, method, csrf)
        if path.startswith(API_PREFIX):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.get_json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), (method, path)

    worker_token, admin_token = _token(site, "worker"), _token(site, "admin")
    logged_in = site.client("worker")
    for path, method in calls:
        if not path.startswith(API_PREFIX):
            continue
        as_worker = _call(logged_in, path, method, None, {"Authorization": f"Bearer {worker_token}"})
        assert as_worker.status_code == 403, (method, path, as_worker.status_code)
        assert as_worker.get_json()["error"]["code"] == "forbidden"
        assert _call(logged_in, path, method, None).status_code == 401  # a session cookie is no API credential
        as_admin = _call(site.client(), path, method, None, {"Authorization": f"Bearer {admin_token}"})
        assert as_admin.status_code not in (401, 403), (method, path, as_admin.status_code)

    admin = site.client("admin")  # the admin opens every page, in English and Chinese, from the navigation
    for path in ("/admin/people/", "/admin/org/", "/admin/catalogue/", "/admin/locations/", "/admin/import/people",
                 "/admin/import/locations", "/admin/people/new", "/admin/org/new", "/admin/catalogue/new",
                 "/admin/changes/"):
        admin.page(path)
    assert "Add a person" in admin.page("/admin/people/")
    assert "添加人员" in admin.page("/admin/people/?lang=zh_CN") and "导入人员" in admin.page("/admin/import/people")
    home = admin.page("/")
    assert 'href="/admin/people/"' in home
    assert 'href="/admin/people/"' not in site.client("worker").page("/")
