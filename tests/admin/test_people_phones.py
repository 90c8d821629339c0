"""A person's phone number is a phone number on the people pages, through the admin API and in the people import:
"abc" is refused with a message beside the field (what was typed stays), as a 422 naming the field, and as a row and
column of the import preview; good numbers are kept in one written form."""
from __future__ import annotations

import io
import re

from websupport import csrf_from

from workflows.people.service import issue_token

PERSON = {"display_name": "李伟", "number": "T1001", "kind": "staff", "phone": "", "email": "", "locale": ""}
REFUSAL = "Not a phone number: enter a mobile number such as 13812345678"


def test_the_people_pages_refuse_a_phone_that_is_not_one_and_keep_what_was_typed(site):
    admin = site.client("admin")
    refused = admin.submit("/admin/people/new", {"username": "li.wei", "password": "first-pass-1", **PERSON, "phone": "abc"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and REFUSAL in text and site.user("li.wei") is None
    assert re.search(r'name="phone"[^>]*value="abc"|value="abc"[^>]*name="phone"', text)  # nothing typed is lost
    assert 'value="李伟"' in text

    created = admin.submit("/admin/people/new", {"username": "li.wei", "password": "first-pass-1", **PERSON,
                                                 "phone": "138 1234 5678"})
    assert created.status_code == 302 and site.user("li.wei").phone == "13812345678"
    user = site.user("li.wei")
    edit = admin.submit(f"/admin/people/{user.id}", {**PERSON, "phone": "12345"})
    assert edit.status_code == 200 and REFUSAL in edit.get_data(as_text=True)
    assert site.user("li.wei").phone == "13812345678"  # unchanged
    assert admin.submit(f"/admin/people/{user.id}", {**PERSON, "phone": "0571-8888888转12"}).status_code == 302
    assert site.user("li.wei").phone == "0571-8888888-12"

    zh = site.client("admin")
    zh.page("/?lang=zh_CN")
    page = zh.submit(f"/admin/people/{user.id}", {**PERSON, "phone": "abc"}).get_data(as_text=True)
    assert "不是有效的电话号码" in page


def test_the_admin_api_refuses_a_phone_that_is_not_one(site):
    with site.db() as session:
        from sqlalchemy import select

        from workflows.people.models import User

        token = issue_token(session, user=session.scalar(select(User).where(User.username == "admin")), name="sync")
    bearer = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    body = {"username": "api.li", "password": "first-pass-1", "display_name": "李伟"}
    refused = site.client().http.post("/api/v1/admin/people", json={**body, "phone": "abc"}, headers=bearer)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_data" and list(error["fields"]) == ["phone"]
    assert "Not a phone number" in error["fields"]["phone"][0] and site.user("api.li") is None
    created = site.client().http.post("/api/v1/admin/people", json={**body, "phone": "+86 139 0000 0000"}, headers=bearer)
    assert created.status_code == 201 and created.get_json()["phone"] == "13900000000"


def test_the_import_reports_a_bad_phone_by_row_and_column_and_writes_good_ones_one_way(site):
    admin = site.client("admin")
    lines = ["工号/学号,姓名,类别,部门,角色,电话,邮箱", "T01,张三,教职工,,,138-0000-1111,", "T02,李四,教职工,,,abc,",
             "T03,王五,教职工,,,010 12345678,"]
    token = csrf_from(admin.page("/admin/import/people"))
    sheet = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8-sig"))
    preview = admin.post("/admin/import/people", {"csrf_token": token, "sheet": (sheet, "people.csv")}).get_data(as_text=True)
    assert 'data-row="3" data-column="phone"' in preview and REFUSAL in preview
    assert "2 changes will be made" in preview
    upload = re.search(r'name="upload"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="upload"', preview)
    admin.post("/admin/import/people/confirm", {"csrf_token": token, "upload": upload.group(1) or upload.group(2)})
    assert site.user("T01").phone == "13800001111" and site.user("T03").phone == "010-12345678"
    assert site.user("T02") is None
