"""Complaint pages: a requester complains on the phone page and follows it on their own page, a clerk enters a
hotline complaint, the unit complained about reads the complaint without the complainant's name, a figure's
drill-down lists what it counts, and a complaint about another school's person is refused with nothing stored."""
from __future__ import annotations

import io

from sqlalchemy import func, select
from websupport import png_bytes

from webapp.complaints import intake
from workflows.complaints.models import Complaint
from workflows.complaints.service import ComplaintError
from workflows.i18n import N_
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit


def _company(site) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == UnitKind.service_unit))


def _form(site, **overrides) -> dict:
    data = {"kind": "complaint", "category": "canteen", "target_unit_id": str(_company(site)), "target_person_id": "",
            "target_place": "二食堂", "description": "打饭师傅态度恶劣"}
    data.update(overrides)
    return data


def _complaint(site, number: str) -> Complaint:
    with site.db() as session:
        return session.scalar(select(Complaint).where(Complaint.number == number))


def _complain_on_the_phone(site) -> str:
    requester = site.client("requester")
    response = requester.submit("/m/complaints/new", _form(site, attachments=[(io.BytesIO(png_bytes()), "tray.png")]))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def test_a_requester_complains_on_the_phone_and_follows_the_reply_on_their_page(site):
    number = _complain_on_the_phone(site)
    complaint = _complaint(site, number)
    assert number.startswith("TS2026") and (complaint.channel, complaint.kind) == ("phone", "complaint")
    assert len(complaint.attachments) == 1
    site.do(number, "triage", "supervisor", decision="valid", unit_id=str(_company(site)))
    site.do(number, "respond", "deputy", note="已约谈")
    site.do(number, "reply_task", "deputy", reply="已批评教育并调岗")
    requester = site.client("requester")
    assert number in requester.page("/my/complaints")
    page = requester.page(f"/my/complaints/{number}")
    assert "已批评教育并调岗" in page and "/tasks/" in page  # the reply, and the question whether they are satisfied
    assert site.client("worker").get(f"/my/complaints/{number}").status_code == 404


def test_the_unit_complained_about_never_sees_the_complainants_name(site):
    number = _complain_on_the_phone(site)
    site.do(number, "triage", "supervisor", decision="valid", unit_id=str(_company(site)))
    name = site.user("requester").display_name
    deputy = site.client("deputy")
    assert name not in deputy.page(f"/complaints/{number}")
    assert name in site.client("supervisor").page(f"/complaints/{number}")
    with site.db() as session:
        from engine.models import HumanTask

        task = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == "respond"))
    assert name not in deputy.page(f"/tasks/{task}")


def test_a_service_companys_leader_reads_only_the_complaints_about_their_own_company(site):
    """The property company's deputy leader reads complaints about their company, not those about the canteen
    company of the same school; the supervision office reads both."""
    with site.db() as session:
        canteen = OrgUnit(school_id=site.school_id, kind=UnitKind.service_unit, name="饮食服务公司")
        session.add(canteen)
        session.commit()
        canteen_id = canteen.id
    ours = _complain_on_the_phone(site)
    site.do(ours, "triage", "supervisor", decision="valid", unit_id=str(_company(site)))
    response = site.client("requester").submit("/m/complaints/new", _form(site, target_unit_id=str(canteen_id),
                                                                          description="二食堂菜里有头发"))
    theirs = response.headers["Location"].rsplit("/", 1)[1]
    site.do(theirs, "triage", "supervisor", decision="valid", unit_id=str(canteen_id))
    deputy = site.client("deputy")
    assert deputy.get(f"/complaints/{ours}").status_code == 200
    assert deputy.get(f"/complaints/{theirs}").status_code == 403
    listed = deputy.page("/complaints")
    assert ours in listed and theirs not in listed
    office = site.client("supervisor").page("/complaints")
    assert ours in office and theirs in office


def test_a_clerk_enters_a_hotline_complaint_for_a_caller_found_by_phone(site):
    site.set_phone("requester", "13900002222")
    clerk = site.client("clerk")
    response = clerk.submit("/complaints/hotline", _form(site, caller="13900002222", contact_name="", contact_phone=""))
    assert response.status_code == 302
    complaint = _complaint(site, response.headers["Location"].rsplit("/", 1)[1])
    assert (complaint.channel, complaint.complainant_id, complaint.entered_by_id) == (
        "hotline", site.user("requester").id, site.user("clerk").id)
    assert complaint.contact_phone == "13900002222"


def test_a_complaint_about_another_schools_person_is_refused_and_nothing_is_stored(site):
    site.other_school_user("stranger", "worker")
    stranger = site.user("stranger").id
    requester = site.client("requester")
    response = requester.submit("/complaints/new", _form(site, target_person_id=str(stranger)))
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(Complaint.id))) == 0


def test_each_figure_drills_down_to_the_complaints_it_counts(site):
    number = _complain_on_the_phone(site)
    site.do(number, "triage", "supervisor", decision="valid", unit_id=str(_company(site)))
    leader = site.client("schoolboss")
    dashboard = leader.page("/dashboard")
    assert 'data-testid="figure-complaints_received">1<' in dashboard
    listing = leader.page("/complaints?show=complaints_received")
    assert number in listing and 'data-testid="per-unit-month"' in listing
    assert number not in leader.page("/complaints?show=complaints_satisfied")


def test_the_complaint_list_heads_its_numbers_as_record_numbers_in_chinese(site):
    number = _complain_on_the_phone(site)
    page = site.client("supervisor").page("/complaints?lang=zh_CN")
    assert number in page and "<th>编号</th>" in page and "工号/学号" not in page  # a person's number is another thing


def test_a_heading_joins_its_label_and_value_with_the_languages_own_colon(site):
    supervisor = site.client("supervisor")
    assert "<h1>投诉建议：收到投诉</h1>" in supervisor.page("/complaints?lang=zh_CN")
    assert "<h1>Complaints and suggestions: Complaints received</h1>" in supervisor.page("/complaints?lang=en")


def test_a_refusal_the_page_has_no_words_of_its_own_for_is_said_in_the_pages_language(site, monkeypatch):
    """The page words the fields it knows; the service's refusal of any other field is said as the service words
    it, in the page's language (the refusal keeps its msgid and values apart)."""
    def refuse(*_args, **_kwargs):
        raise ComplaintError("target_place", N_("at most %(n)d characters"), n=100)

    monkeypatch.setattr(intake, "submit", refuse)
    requester = site.client("requester")
    requester.page("/complaints/new?lang=zh_CN")
    page = requester.submit("/complaints/new", _form(site)).get_data(as_text=True)
    assert "最多 100 个字符" in page and "at most 100 characters" not in page
