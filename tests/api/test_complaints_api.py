"""``POST /api/v1/complaints`` and reading a complaint through ``/modules/complaints``: made for oneself (or by a
clerk for a caller), refused with every field named when wrong, and the unit complained about never reads who
complained."""
from __future__ import annotations

from sqlalchemy import func, select

from workflows.complaints.models import Complaint
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit


def _company(api) -> int:
    return api.scalar(select(OrgUnit.id).where(OrgUnit.school_id == api.school_id(), OrgUnit.kind == UnitKind.service_unit))


def _body(api, **overrides) -> dict:
    return {"kind": "complaint", "category": "dormitory", "description": "宿舍楼热水总是不热", "target_unit_id": _company(api),
            "contact_phone": "13800000009", **overrides}


def test_a_complaint_made_through_the_api_is_read_without_its_complainant_by_the_unit(api):
    response = api.post("/complaints", user="requester", json=_body(api))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "triage" and body["channel"] == "api" and body["complainant"]["phone"] == "13800000009"
    number = body["number"]
    assert response.headers["Location"].endswith(f"/modules/complaints/{number}")

    seen = api.get(f"/modules/complaints/{number}", user="deputy").get_json()
    assert seen["complainant"] is None and seen["complainant_hidden"]
    assert "13800000009" not in str(seen) and "王老师" not in str(seen)
    shown = api.get(f"/modules/complaints/{number}", user="supervisor").get_json()
    assert shown["complainant"]["phone"] == "13800000009"
    assert api.get(f"/modules/complaints/{number}", user="worker").status_code == 404


def test_bad_input_names_every_field_and_stores_nothing(api):
    response = api.post("/complaints", user="requester", json=_body(api, kind="rant", urgent="yes", target_unit_id="2"))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"urgent", "target_unit_id"}
    response = api.post("/complaints", user="requester", json=_body(api, kind="rant"))
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"kind"}
    response = api.post("/complaints", user="requester", json=_body(api, complainant_id=api.user_id("worker")))
    assert response.status_code == 403
    assert api.scalar(select(func.count(Complaint.id))) == 0
