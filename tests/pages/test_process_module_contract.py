"""The process-module contract: a process registered only through it (a toy key-loan process defined in this
file, with its own diagram and no edit anywhere else) appears in the inbox with its summary, on the task page
with its panel and its timeline words, and through the API; the shipped plan and delegated-task processes show
their own panels the same way; the plans', delegated tasks', complaints' and inspections' dashboard cards are counted
in one query (one per kind of row), not one per card."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from websupport import ROOT, enter_plan_and_delegate, open_site

from engine.advance import start
from engine.audit import record
from engine.clock import now
from engine.models import HumanTask
from rules.store import RuleStore
from tests.statements import statements
from workflows.acting import demo_setting
from workflows.bootstrap import MODULES
from workflows.complaints import figures as complaint_figures
from workflows.delegation import figures as delegation_figures
from workflows.inspections import figures as inspection_figures
from workflows.modules import timeline
from workflows.modules.contract import BusinessTimeline, Fact, Figure, Note, Panel, ProcessModule, Said, Summary
from workflows.people.models import RoleAssignment, User
from workflows.plans import figures as plan_figures

LOANS: dict[tuple[int, str], str] = {}  # (school, loan number) → room: the toy keeps its objects in memory


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    return {key: Summary(text=f"Key of room {LOANS[(school_id, key)]}") for key in keys if (school_id, key) in LOANS}


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    if (school_id, key) not in LOANS:
        return None
    return Panel(kind="Key loan", number=key, link=None, facts=[Fact("Room", LOANS[(school_id, key)])],
                 timeline=timeline.business_dicts(session, KEY_LOANS, school_id=school_id, key=key, locale=locale))


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    room = LOANS.get((school_id, key))
    return None if room is None else {"number": key, "room": room,
                                      "timeline": timeline.business_dicts(session, KEY_LOANS, school_id=school_id, key=key,
                                                                          locale=locale)}


def lent(row: Any, _records: Any) -> Said:
    return Said(notes=(Note("Lent for", f"room {row.details['room']}"),))


KEY_LOANS = ProcessModule(name="keys", label="Key loans", process_keys=frozenset({"key_loan"}), summaries=summaries,
                          panel=panel, resource=resource, actions={"key.lent": "Key lent"},
                          timeline=BusinessTimeline(describe={"key.lent": lent}))


@pytest.fixture
def site(tmp_path: Path):
    with open_site(tmp_path, modules=(*MODULES, KEY_LOANS), diagrams=(ROOT / "tests" / "bpmn_modules",)) as running:
        yield running


def lend_key(site, number: str, room: str) -> str:
    """The toy's own service: keep the loan, start its process for the service hall, say so on its timeline."""
    with site.db() as session:
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        hall = session.scalar(select(RoleAssignment.org_unit_id).where(RoleAssignment.user_id == clerk.id))
        LOANS[(site.school_id, number)] = room
        instance = start(site.runtime.host, session, process_key="key_loan", business_key=number,
                         school_id=site.school_id, data={"unit_id": hall})
        record(session, action="key.lent", actor=f"clerk#{clerk.id}", instance=instance, details={"room": room})
        session.flush()
        return session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance.id))


def test_a_process_registered_only_through_the_contract_shows_in_inbox_task_page_and_api(site):
    task_id = lend_key(site, "KEY-0001", "A-301")
    clerk = site.client("clerk")

    inbox = clerk.page("/")
    assert "Hand over the key" in inbox and "Key of room A-301" in inbox

    page = clerk.page(f"/tasks/{task_id}")
    assert 'data-testid="task-panel"' in page
    assert "KEY-0001" in page and "Room" in page and "A-301" in page
    card = page.split('class="timeline-panel"', 1)[1]
    assert "Key lent" in card and "room A-301" in card and "李静" in card, "the module's business event, its note, who"
    assert "Task opened" not in card, "the engine's rows stay in the instance viewer"

    assert site.runtime.modules.of_process("key_loan").name == "keys"
    clerk.submit(f"/tasks/{task_id}", {"note": "给了张师傅"})
    with site.db() as session:
        assert session.scalar(select(HumanTask).where(HumanTask.business_key == "KEY-0001")) is None


def test_another_schools_toy_object_is_not_shown(site):
    with site.db() as session:
        modules = site.runtime.modules
        LOANS[(site.school_id + 1000, "KEY-9")] = "B-1"
        assert modules.panel(session, process_key="key_loan", user=None, rules=site.runtime.rules, school_id=site.school_id, key="KEY-9",
                             locale="en") is None


def test_plan_and_delegated_task_tasks_show_their_own_panels_and_api_resources(site):
    worker = site.user("worker")
    enter_plan_and_delegate(site)
    with site.db() as session:
        steps = {row.process_key: row for row in session.scalars(select(HumanTask).where(
            HumanTask.process_key.in_(("work_plan", "delegated_task")), HumanTask.assignee_id == worker.id))}
    assert steps.keys() == {"work_plan", "delegated_task"}

    worker_client = site.client("worker")
    inbox = worker_client.page("/")
    assert "消防器材月检" in inbox and "迎新宿舍检修" in inbox, "each row names what its task is about"
    plan_page = worker_client.page(f"/tasks/{steps['work_plan'].id}")
    assert 'data-testid="task-panel"' in plan_page and "Plan occurrence" in plan_page and "灭火器" in plan_page
    assert "Monthly on day 18" in plan_page  # its recurrence in words
    assert "Responsible person reminded" in plan_page and "Process started" not in plan_page, "business events only"
    task_page = worker_client.page(f"/tasks/{steps['delegated_task'].id}")
    assert 'data-testid="task-panel"' in task_page and "Delegated task" in task_page and "全部宿舍验收合格" in task_page
    assigned = task_page.split('data-action="instance.started"', 1)[1].split("</li>", 1)[0]
    assert "Assigned" in assigned and "孙国庆" in assigned and "刘建军" in assigned

    with site.db() as session:
        modules, user = site.runtime.modules, session.scalar(select(User).where(User.username == "worker"))
        body = modules.resource(session, module_name="plans", user=user, rules=site.runtime.rules, school_id=site.school_id,
                                key=steps["work_plan"].business_key, locale="en")
        assert body["plan"]["title"] == "消防器材月检"
        assert [(e["kind"], e["what"], e["count"]) for e in body["timeline"]] == [
            ("plan.reminded", "Responsible person reminded", 1)]
        requester = session.scalar(select(User).where(User.username == "requester"))
        assert modules.resource(session, module_name="delegation", user=requester, rules=site.runtime.rules, school_id=site.school_id,
                                key=steps["delegated_task"].business_key, locale="en") is None


def test_the_dashboard_shows_each_modules_figures(site):
    import re

    enter_plan_and_delegate(site)
    html = site.client("leader").page("/dashboard?start=2026-11-01&end=2026-11-30")

    def figure(key: str) -> int:
        found = re.search(rf'data-testid="figure-{key}">(\d+)<', html)
        assert found, key
        return int(found.group(1))

    assert 'data-module="plans"' in html and 'data-module="delegation"' in html
    assert figure("plan_occurrences") >= 1 and figure("plan_closed") == 0
    assert (figure("delegated_open"), figure("delegated_closed"), figure("delegated_overdue")) == (1, 0, 0)


def _demo_of(module: str) -> Callable[[Any], None]:
    """The module's demo part seeded on the site's school, as ``houqin demo-data`` seeds it."""
    def seed(site) -> None:
        seeder = next(m.demo for m in site.runtime.modules.modules if m.name == module)
        assert seeder is not None
        with site.db() as session:
            seeder(session, demo_setting(site.runtime, site.school_id))
    return seed


@dataclass(frozen=True)
class Cards:
    """A module's dashboard cards as the test reads them: its figures, the drill-down behind each card, what gives
    them something to count, and how many statements counting every card sends (its counts, one per kind of row
    its cards count, and what it reads before counting)."""

    figures: Callable[..., list[Figure]]
    lists: dict[str, Callable[..., list[Any]]]
    enter: Callable[[Any], None]
    statements: int


CARDS = {
    "plans": Cards(plan_figures.figures, dict.fromkeys(plan_figures.CONDITIONS, plan_figures.drilldown),
                   enter_plan_and_delegate, 1),
    "delegation": Cards(delegation_figures.figures, dict.fromkeys(delegation_figures.CONDITIONS,
                                                                  delegation_figures.drilldown),
                        enter_plan_and_delegate, 1),
    "complaints": Cards(complaint_figures.figures, dict.fromkeys(complaint_figures.CONDITIONS,
                                                                 complaint_figures.drilldown),
                        _demo_of("complaints"), 2),  # the repeat card's earlier complaints are read first
    "inspections": Cards(inspection_figures.figures,
                         {**dict.fromkeys(inspection_figures.ROUND_CONDITIONS, inspection_figures.round_drilldown),
                          **dict.fromkeys(inspection_figures.FINDING_CONDITIONS, inspection_figures.finding_drilldown)},
                         _demo_of("inspections"), 3),  # the school's time zone, then the rounds and the findings
}


@pytest.mark.parametrize("module", CARDS)
def test_a_modules_dashboard_cards_cost_one_query_and_count_what_their_lists_show(site, module):
    """Every card of a module counted in one query (one per kind of row it counts), not one per card; each card
    still as many as its drill-down lists."""
    cards = CARDS[module]
    cards.enter(site)
    # back far enough for the demo's complaints and rounds; counted a month on, when the occurrence and task are overdue
    period = {"school_id": site.school_id, "start": now() - timedelta(days=90), "end": now() + timedelta(days=60),
              "at": now() + timedelta(days=30)}
    with site.db() as session:
        session.connection()  # the transaction begun before counting: SQLite's BEGIN is no card's statement
        with statements(site.runtime.db_engine) as sent:
            counted = {f.key: f.value for f in cards.figures(session, **period, rules=site.runtime.rules)}
        listed = {key: len(drilldown(session, key=key, **period)) for key, drilldown in cards.lists.items()}
    assert len(sent) == cards.statements, sent
    assert counted == listed and sum(counted.values()) >= 2
