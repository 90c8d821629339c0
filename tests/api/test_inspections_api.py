"""``/api/v1/inspections``: rounds and findings listed for the office and read one by one as the module describes
them (also through ``/modules/inspections``), and a round recorded by its inspector with the problems seen beside
its checklist (bad input refused with the fields named and nothing stored), answers checked against the OpenAPI
document; another school's numbers are not found and its people list nothing."""
from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from engine.db import unit_of_work
from tests.statements import statements
from workflows.catalogue.models import Building
from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
from workflows.inspections.models import InspectionFinding, InspectionResult, InspectionRound
from workflows.inspections.rounds import ItemResult, RoundReport, carry_out, start_spot_check
from workflows.people.enums import Role, UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.service import create_user, issue_token


def _round_with_a_finding(api) -> tuple[str, str]:
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        school = api.school_id()
        book = runtime.rules.book(session, school)
        template = save_checklist(session, school_id=school, actor="admin#1", entry=ChecklistEntry(
            name="绿化养护检查", service_type="greening", items=[ItemEntry("草坪无枯黄斑块"), ItemEntry("树木无病虫害")]))
        inspector = session.scalar(select(User).where(User.username == "supervisor"))
        row = start_spot_check(session, book, inspector=inspector, template_id=template.id,
                               building_id=session.scalar(select(Building.id).where(Building.school_id == school)),
                               unit_id=session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school,
                                                                               OrgUnit.kind == UnitKind.service_unit)))
        first, second = (item.id for item in template.items)
        found = carry_out(session, runtime.host, book, inspector=inspector, number=row.number, report=RoundReport(
            results=[ItemResult(first, passed=False, note="图书馆南侧草坪枯黄", severity="minor"), ItemResult(second)]))
        return row.number, found[0].number


def test_rounds_and_findings_are_listed_and_read_with_their_timelines(api):
    round_number, finding_number = _round_with_a_finding(api)
    rounds = api.get("/inspections/rounds?lang=en", user="supervisor").get_json()
    assert [r["number"] for r in rounds["rounds"]] == [round_number]
    assert rounds["rounds"][0]["score"] == 50 and rounds["rounds"][0]["findings"] == [finding_number]
    findings = api.get("/inspections/findings?status=rectifying", user="schoolboss").get_json()
    assert [f["number"] for f in findings["findings"]] == [finding_number]
    assert api.get("/inspections/findings?status=closed", user="supervisor").get_json()["findings"] == []
    assert api.get("/inspections/findings?status=lost", user="supervisor").status_code == 422

    one = api.get(f"/inspections/findings/{finding_number}?lang=en", user="deputy").get_json()  # the responsible unit
    assert one["severity"] == "minor" and one["item"] == "草坪无枯黄斑块" and one["timeline"][0]["what"] == "Finding recorded"
    shown = api.get(f"/inspections/rounds/{round_number}?lang=en", user="supervisor").get_json()
    assert [e["what"] for e in shown["timeline"]] == ["Spot check started", "Inspection round done"]
    assert [(r["item"], r["passed"]) for r in shown["results"]] == [("草坪无枯黄斑块", False), ("树木无病虫害", True)]
    assert api.get(f"/modules/inspections/{finding_number}", user="supervisor").get_json()["number"] == finding_number
    assert api.get(f"/inspections/rounds/{finding_number}", user="supervisor").status_code == 404  # not a round


def _listing_statements(api, path: str) -> int:
    """The statements one page of a list costs (the token's "last used" written beforehand)."""
    api.get(path, user="supervisor")
    with statements(api.app.extensions["houqin"].db_engine) as sent:
        assert api.get(path, user="supervisor").status_code == 200
    return len(sent)


def test_a_list_costs_the_same_statements_whatever_its_rows(api):
    """Each round's and finding's names, checklist, results and findings are read for the whole page at once."""
    _round_with_a_finding(api)
    one = {path: _listing_statements(api, path) for path in ("/inspections/rounds", "/inspections/findings")}
    for _ in range(3):
        _round_with_a_finding(api)
    assert len(api.get("/inspections/rounds", user="supervisor").get_json()["rounds"]) == 4
    assert {path: _listing_statements(api, path) for path in one} == one


def test_another_school_finds_nothing_and_lists_nothing(api):
    round_number, finding_number = _round_with_a_finding(api)
    for path in (f"/inspections/rounds/{round_number}", f"/inspections/findings/{finding_number}",
                 f"/modules/inspections/{finding_number}"):
        assert api.get(path, user="outsider_auditor").status_code == 404, path
    assert api.get("/inspections/findings", user="outsider_auditor").status_code == 403
    assert api.get("/inspections/rounds", user="requester").status_code == 403


def _photo(colour=(40, 40, 40)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _started_round(api) -> tuple[str, list[int]]:
    """A spot check by the demo supervisor, not recorded yet: its number and its checklist's items (a pass/fail one
    that needs a photo when it fails, and a points one of 20)."""
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        school = api.school_id()
        book = runtime.rules.book(session, school)
        template = save_checklist(session, school_id=school, actor="admin#1", entry=ChecklistEntry(
            name="宿舍楼公共区域检查", service_type="dormitory", items=[
                ItemEntry("楼道地面干净无垃圾", photo_required=True), ItemEntry("消防通道畅通", scoring="points", points=20)]))
        inspector = session.scalar(select(User).where(User.username == "supervisor"))
        row = start_spot_check(session, book, inspector=inspector, template_id=template.id,
                               building_id=session.scalar(select(Building.id).where(Building.school_id == school)),
                               unit_id=session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school,
                                                                               OrgUnit.kind == UnitKind.service_unit)))
        return row.number, [item.id for item in template.items]


def _results(first: int, second: int) -> list[dict]:
    return [{"item_id": first, "passed": False, "note": "楼道有纸屑", "severity": "major", "photos": [_photo()]},
            {"item_id": second, "deduction": 5, "note": "通道堆放纸箱"}]


def test_an_inspector_records_a_round_with_problems_beside_the_checklist_and_reads_them_back(api):
    number, (first, second) = _started_round(api)
    answer = api.post(f"/inspections/rounds/{number}/record?lang=en", user="supervisor", json={
        "results": _results(first, second),
        "extra_findings": [{"description": "3号楼2层走廊灯不亮", "severity": "critical", "spot": "2层东侧走廊",
                            "photos": [f"data:image/png;base64,{_photo((20, 20, 20))}"]},
                           {"description": "消防栓玻璃破损"}],
        "confirmed": True, "confirmed_by": "宿管 王芳"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    numbers = [f"{number}-0{n}" for n in range(1, 5)]
    assert (body["round"]["status"], body["round"]["score"], body["round"]["findings"]) == ("done", 50, numbers)
    assert [(f["on_checklist"], f["severity"], f["photos"]) for f in body["findings"]] == [
        (True, "major", 1), (True, "minor", 0), (False, "critical", 1), (False, "minor", 0)]
    lights = body["findings"][2]
    assert (lights["item"], lights["description"], lights["spot"], lights["standard"]) == (
        "3号楼2层走廊灯不亮", "3号楼2层走廊灯不亮", "2层东侧走廊", "")
    (rectify,) = api.open_tasks(lights["number"])
    assert rectify.task_name == "rectify"
    shown = {f["name"]: f for f in api.get(f"/tasks/{rectify.id}?lang=en", user="deputy").get_json()["form"]["fields"]}
    assert (shown["item"]["value"], shown["item"]["when_empty"], shown["problem"]["value"]) == (
        "", "Not on the checklist", "3号楼2层走廊灯不亮")

    one = api.get(f"/inspections/findings/{lights['number']}?lang=en", user="deputy").get_json()  # the responsible unit
    assert (one["on_checklist"], one["item"], one["timeline"][0]["what"]) == (False, "3号楼2层走廊灯不亮", "Finding recorded")
    listed = api.get("/inspections/findings?status=rectifying", user="schoolboss").get_json()["findings"]
    assert {f["number"] for f in listed} == set(numbers)
    assert api.get(f"/inspections/rounds/{number}", user="supervisor").get_json()["findings"] == numbers


@pytest.mark.parametrize(("extra", "field"), [
    ([{"description": ""}], "extra_findings[0].description"),
    ([{"description": "   ", "spot": "2层走廊"}], "extra_findings[0].description"),
    ([{"description": "走廊灯不亮", "severity": "urgent"}], "extra_findings[0].severity"),
    ([{"description": "走廊灯不亮", "photos": [base64.b64encode(b"just words").decode()]}], "extra_findings[0].photos[0]"),
    ([{"description": "走廊灯不亮", "photos": [_photo(), "%%% not base64"]}], "extra_findings[0].photos[1]"),
    ([{"description": "走廊灯不亮", "photos": [base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024)).decode()]}],
     "extra_findings[0].photos[0]"),
    ([{"description": "走廊灯不亮", "photos": [_photo()] * 5}], "extra_findings[0].photos"),
    ([{"description": "走廊灯不亮", "colour": "red"}], "extra_findings[0].colour"),
    ([{"description": 3}], "extra_findings[0].description"),
    ([{"description": "走廊灯不亮", "spot": "走廊" * 101}], "extra_findings[0].spot"),
    (["走廊灯不亮"], "extra_findings[0]"),
    ([{"description": f"问题{n}"} for n in range(11)], "extra_findings"),
])
def test_a_bad_problem_beside_the_checklist_is_refused_naming_its_field_and_nothing_is_stored(api, extra, field):
    number, (first, second) = _started_round(api)
    answer = api.post(f"/inspections/rounds/{number}/record", user="supervisor",
                      json={"results": _results(first, second), "extra_findings": [{"description": "消防栓玻璃破损"}, *extra]})
    assert answer.status_code == 422, answer.get_json()
    fields = answer.get_json()["error"]["fields"]
    assert list(fields) == [field.replace("[0]", "[1]", 1) if field.startswith("extra_findings[0]") else field], fields
    _assert_nothing_stored(api, number)


def _assert_nothing_stored(api, number: str) -> None:
    with unit_of_work(api.session_factory) as session:
        assert session.scalar(select(func.count(InspectionFinding.id))) == 0
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
        assert session.scalar(select(InspectionRound.status).where(InspectionRound.number == number)) == "planned"
    uploads = api.app.extensions["houqin"].uploads_dir
    assert not [p for p in uploads.rglob("*") if p.is_file()], "a photo of a refused round was kept"


def test_bad_item_results_are_refused_naming_their_field(api):
    number, (first, second) = _started_round(api)
    for results, field in (
            ([{"item_id": first, "passed": False, "note": "楼道有纸屑"}, {"item_id": second}], "results[0].photos"),
            ([{"item_id": second}, {"item_id": first, "passed": False, "photos": [_photo()]}], "results[1].note"),
            ([{"item_id": first}], "results"),
            ([{"item_id": first}, {"item_id": second}, {"item_id": 999999}], "results[2].item_id"),
            ([{"item_id": first}, {"item_id": first}, {"item_id": second}], "results[1].item_id"),
            ([{"item_id": first, "passed": False}, {"item_id": first}, {"item_id": second}], "results[1].item_id"),
            ([{"item_id": first}, {"item_id": second, "deduction": 25}], "results[1].deduction"),
            ([{"item_id": "first"}, {"item_id": second}], "results[0].item_id")):
        answer = api.post(f"/inspections/rounds/{number}/record", user="supervisor", json={"results": results})
        assert answer.status_code == 422 and list(answer.get_json()["error"]["fields"]) == [field], (field, answer.get_json())
    assert api.post(f"/inspections/rounds/{number}/record", user="supervisor",
                    json={"results": [{"item_id": first}, {"item_id": second}], "confirmed": True}).status_code == 422
    assert api.post(f"/inspections/rounds/{number}/record", user="supervisor", data="[]").status_code == 400
    _assert_nothing_stored(api, number)


def test_only_an_inspector_of_the_school_records_a_round_and_only_once(api):
    number, (first, second) = _started_round(api)
    body = {"results": [{"item_id": first}, {"item_id": second}], "extra_findings": [{"description": "走廊灯不亮"}]}
    with unit_of_work(api.session_factory) as session:
        other_school = api.school_id("outsider")
        theirs = create_user(session, username="other_inspector", password="x", display_name="外校巡查员",
                             school_id=other_school, roles=[(Role.supervisor, None)])
        token = issue_token(session, user=theirs, name="tests")
    assert api.post(f"/inspections/rounds/{number}/record", user="worker", json=body).status_code == 403
    assert api.post(f"/inspections/rounds/{number}/record", token=token, json=body).status_code == 404
    assert api.post("/inspections/rounds/XC00000000/record", user="supervisor", json=body).status_code == 404
    _assert_nothing_stored(api, number)

    assert api.post(f"/inspections/rounds/{number}/record", user="supervisor", json=body).status_code == 200
    again = api.post(f"/inspections/rounds/{number}/record", user="supervisor", headers={"Accept-Language": "en"},
                     json={**body, "extra_findings": [{"description": "又发现一处"}]})
    assert again.status_code == 409 and "already recorded" in again.get_json()["error"]["message"]
    with unit_of_work(api.session_factory) as session:
        assert list(session.scalars(select(InspectionFinding.description))) == ["走廊灯不亮"]


def test_a_round_refused_whole_is_refused_before_its_body_is_read_and_keeps_none_of_its_photos(api):
    """Who records which round is checked once, under the round's lock, before a photo of the body is decoded or
    kept: a refused round's photos are never stored, and a bad body does not hide that the round is refused."""
    number, (first, second) = _started_round(api)
    body = {"results": _results(first, second), "extra_findings": [{"description": "走廊灯不亮", "photos": [_photo()]}]}
    path = f"/inspections/rounds/{number}/record"
    assert api.post(path, user="worker", json=body).status_code == 403
    assert api.post(path, user="worker", data="[]").status_code == 403  # not 400: the body is never read
    assert api.post("/inspections/rounds/XC00000000/record", user="supervisor", json=body).status_code == 404
    _assert_nothing_stored(api, number)

    assert api.post(path, user="supervisor", json=body).status_code == 200
    uploads = api.app.extensions["houqin"].uploads_dir
    kept = sorted(p for p in uploads.rglob("*") if p.is_file())
    assert kept  # the recorded round's photos
    again = api.post(path, user="supervisor", json={**body, "extra_findings": [{"description": "又一处", "photos": [_photo((9, 9, 9))]}]})
    assert again.status_code == 409
    assert sorted(p for p in uploads.rglob("*") if p.is_file()) == kept


def test_a_photo_that_is_no_base64_is_worded_as_every_endpoint_words_it(api):
    """The round's photos say a problem as an order's and a check-in's do (one wording for the API)."""
    number, (first, second) = _started_round(api)
    answer = api.post(f"/inspections/rounds/{number}/record", user="supervisor", json={
        "results": _results(first, second),
        "extra_findings": [{"description": "走廊灯不亮", "photos": [42, "data:image/png,raw", "%%% not base64"]}]})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["fields"] == {"extra_findings[0].photos[0]": ["须为 base64 字符串"],
                                                    "extra_findings[0].photos[1]": ["须为 base64 编码"],
                                                    "extra_findings[0].photos[2]": ["不是有效的 base64"]}
    order = api.post("/orders?lang=zh_CN", user="requester", json=api.order_body(photos=[42]))
    assert order.get_json()["error"]["fields"] == {"photos": ["第 1 张照片须为 base64 字符串"]}


def test_a_round_with_photos_beyond_the_apps_default_body_reaches_its_checks(api):
    number, (first, second) = _started_round(api)
    too_big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(9 * 1024 * 1024)).decode()  # two: 24 MB of body
    answer = api.post(f"/inspections/rounds/{number}/record", user="supervisor",
                      json={"results": _results(first, second), "extra_findings": [{"description": "走廊灯不亮", "photos": [too_big]},
                                                                                 {"description": "灯罩脱落", "photos": [too_big]}]})
    assert answer.status_code == 422, answer.status_code  # not 413: the body fits, the photos are refused by name
    assert "extra_findings[0].photos[0]" in answer.get_json()["error"]["fields"]
    _assert_nothing_stored(api, number)


def test_a_photo_the_storage_refuses_says_why_in_the_callers_language(api):
    """A photo that looks like a PNG and cannot be read is refused by the photo storage, which says why; the answer
    says it in Chinese, not a generic text."""
    number, (first, second) = _started_round(api)
    truncated = base64.b64encode(base64.b64decode(_photo())[:60]).decode()  # a PNG signature, then nothing readable
    answer = api.post(f"/inspections/rounds/{number}/record?lang=zh_CN", user="supervisor",
                      json={"results": _results(first, second),
                            "extra_findings": [{"description": "走廊灯不亮", "photos": [truncated]}]})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["fields"] == {"extra_findings[0].photos[0]": ["“photo-1”不是可读取的图片"]}
    _assert_nothing_stored(api, number)
