"""``/api/v1/inspections``: rounds and findings listed for the office and read one by one as the module describes
them (also through ``/modules/inspections``), answers checked against the OpenAPI document; another school's
numbers are not found and its people list nothing."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import unit_of_work
from tests.statements import statements
from workflows.catalogue.models import Building
from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
from workflows.inspections.rounds import ItemResult, RoundReport, carry_out, start_spot_check
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User


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
