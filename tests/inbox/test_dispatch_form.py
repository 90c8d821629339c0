"""The dispatch form: the service item's team is chosen already, each worker option names the teams they work in
(the page offers only those of the chosen team) and the jobs they have in hand, and the server refuses a worker of
another team with a message on the field, on the page and through the API's validation alike."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import HumanTask
from forms.builder import validate_mapping
from workflows.demo import DEMO_PASSWORD
from workflows.people.enums import Role
from workflows.people.models import OrgUnit
from workflows.people.service import create_user


def task_id(site, number: str, name: str) -> str:
    with site.db() as session:
        return session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == name))


def team(site, prefix: str) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.name.startswith(prefix)))


def add_worker(site, username: str, name: str, *teams: int) -> int:
    with site.db() as session:
        return create_user(session, username=username, password=DEMO_PASSWORD, display_name=name,
                           school_id=site.school_id, roles=[(Role.worker, t) for t in teams]).id


def reviewed(site, description: str, item_code: str) -> str:
    number = site.report(description, item_code=item_code)
    site.do(number, "review", "auditor", decision="accept")
    return number


def options(page: str, name: str) -> dict[str, str]:
    """value -> the whole <option …> tag of the select called ``name``."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, f"no select {name}"
    return {m.group(1): m.group(0) for m in re.finditer(r'<option[^>]*value="([^"]*)"[^>]*>[^<]*</option>',
                                                         select_html.group(1))}


def test_the_items_team_is_chosen_and_each_worker_names_their_teams_and_jobs_in_hand(site):
    plumbing, cleaning = team(site, "水电维修班"), team(site, "保洁绿化班")
    cleaner = add_worker(site, "cleaner", "保洁 马阿姨", cleaning)
    both = add_worker(site, "handy", "多面手 何师傅", plumbing, cleaning)
    busy = reviewed(site, "厕所水管漏水", "W01")
    site.do(busy, "dispatch", "auditor", team_id=str(plumbing), worker_id=str(site.user("worker").id))

    number = reviewed(site, "走廊需要保洁", "G01")
    page = site.client("auditor").page(f"/tasks/{task_id(site, number, 'dispatch')}")
    teams = options(page, "team_id")
    assert "selected" in teams[str(cleaning)] and "selected" not in teams[str(plumbing)]
    assert re.search(r'<select[^>]*data-depends-on="team_id"[^>]*name="worker_id"|<select[^>]*name="worker_id"[^>]*'
                     r'data-depends-on="team_id"', page)
    workers = options(page, "worker_id")
    worker = site.user("worker").id
    assert f'data-parent="{cleaning}"' in workers[str(cleaner)] and "保洁 马阿姨 (0 in hand)" in workers[str(cleaner)]
    assert f'data-parent="{plumbing}"' in workers[str(worker)] and "刘建军 (1 in hand)" in workers[str(worker)]
    assert f'data-parent="{min(plumbing, cleaning)} {max(plumbing, cleaning)}"' in workers[str(both)]
    assert 'data-parent' not in workers[""]  # "no one in particular" stays offered for every team

    zh = site.client("auditor")
    zh.page("/?lang=zh_CN")
    assert "刘建军（在办 1）" in zh.page(f"/tasks/{task_id(site, number, 'dispatch')}")


def test_a_worker_of_another_team_is_refused_on_the_page_and_through_the_api_validation(site):
    plumbing, cleaning = team(site, "水电维修班"), team(site, "保洁绿化班")
    cleaner = add_worker(site, "cleaner", "保洁 马阿姨", cleaning)
    number = reviewed(site, "三楼水管漏水", "W01")
    dispatch = task_id(site, number, "dispatch")
    auditor = site.client("auditor")

    refused = auditor.submit(f"/tasks/{dispatch}", {"team_id": str(plumbing), "worker_id": str(cleaner)})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "“保洁 马阿姨 (0 in hand)” does not belong to the chosen Team; choose again." in text
    assert task_id(site, number, "dispatch") == dispatch  # still open, nothing recorded
    assert site.order(number).worker_id is None
    assert "selected" in options(text, "team_id")[str(plumbing)]  # what was chosen stays chosen

    with site.db() as session:
        row = session.get(HumanTask, dispatch)

        def source(name):
            return site.runtime.form_sources[name](session, school_id=row.school_id, org_unit_id=row.org_unit_id,
                                                   locale="en")

        definition = site.runtime.forms["repair_dispatch"]
        valid, errors, _ = validate_mapping(definition, {"team_id": plumbing, "worker_id": cleaner}, source=source)
        assert not valid and list(errors) == ["worker_id"]
        assert validate_mapping(definition, {"team_id": cleaning, "worker_id": cleaner}, source=source)[0]

    done = auditor.submit(f"/tasks/{dispatch}", {"team_id": str(cleaning), "worker_id": str(cleaner)})
    assert done.status_code == 302
    order = site.order(number)
    assert (order.team_id, order.worker_id) == (cleaning, cleaner)


def test_a_worker_whose_role_has_ended_or_who_left_is_not_offered(site):
    from datetime import date

    from workflows.people.models import RoleAssignment, User

    cleaning = team(site, "保洁绿化班")
    ended = add_worker(site, "ended", "离岗 钱师傅", cleaning)
    left = add_worker(site, "left", "离职 孙师傅", cleaning)
    with site.db() as session:
        session.scalar(select(RoleAssignment).where(RoleAssignment.user_id == ended)).ends_on = date(2026, 1, 31)
        session.get(User, left).active = False
    number = reviewed(site, "走廊需要保洁", "G01")
    workers = options(site.client("auditor").page(f"/tasks/{task_id(site, number, 'dispatch')}"), "worker_id")
    assert str(ended) not in workers and str(left) not in workers
