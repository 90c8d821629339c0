"""The task supervision pages: the board for leaders, assigning, reporting and splitting on a task's page, and the
tasks each dashboard card counts."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from websupport import dashboard_cards, png_bytes

from engine.clock import now
from workflows.delegation.enums import TaskStatus
from workflows.delegation.models import DelegatedTask, ProgressReport


def _task(site, title: str) -> DelegatedTask:
    with site.db() as session:
        return session.scalar(select(DelegatedTask).where(DelegatedTask.title == title))


def test_the_board_is_for_leaders_and_supervisors(site):
    assert site.client("worker").get("/tasks-supervision").status_code == 403
    assert site.client("supervisor").get("/tasks-supervision/new").status_code == 403  # supervisors watch, leaders assign
    leader = site.client("leader")
    assert "/tasks-supervision" in leader.page("/")
    assert leader.http.post("/tasks-supervision/new", data={"title": "x"}).status_code == 400  # no CSRF token


def test_a_leader_assigns_the_assignee_reports_and_splits_and_the_board_shows_the_tree(site):
    leader = site.client("leader")
    deputy, worker = site.user("deputy"), site.user("worker")
    response = leader.submit("/tasks-supervision/new", {
        "title": "迎新宿舍检修", "acceptance_criteria": "全部宿舍验收合格", "priority": "high",
        "deadline": "2026-11-30T17:00", "assignee_id": str(deputy.id), "unit_id": ""})
    assert response.status_code == 302
    number = _task(site, "迎新宿舍检修").number
    assert site.client("worker").get(f"/tasks-supervision/{number}").status_code == 403

    deputy_client = site.client("deputy")
    page = deputy_client.page(f"/tasks-supervision/{number}")
    assert "Report progress" in page and "Split off a sub-task" in page and "<dt>Task number</dt>" in page
    chinese = deputy_client.page(f"/tasks-supervision/{number}?lang=zh_CN")
    assert f"<dt>任务编号</dt><dd>{number}</dd>" in chinese and "工号/学号" not in chinese
    deputy_client.page(f"/tasks-supervision/{number}?lang=en")
    refused = deputy_client.submit(f"/tasks-supervision/{number}/report", {
        "report-percent": "40", "report-evidence": (io.BytesIO(b"MZ not a document"), "tool.exe")},
        form_page=f"/tasks-supervision/{number}")
    assert refused.status_code == 200 and "is not a picture or PDF file" in refused.get_data(as_text=True)
    response = deputy_client.submit(f"/tasks-supervision/{number}/report", {
        "report-percent": "40", "report-note": "已完成两栋", "report-evidence": (io.BytesIO(png_bytes()), "site.png")},
        form_page=f"/tasks-supervision/{number}")
    assert response.status_code == 302
    late = deputy_client.submit(f"/tasks-supervision/{number}/split", {
        "split-title": "3号楼", "split-deadline": "2026-12-05T17:00", "split-assignee_id": str(worker.id),
        "split-priority": "normal", "split-unit_id": ""}, form_page=f"/tasks-supervision/{number}")
    assert late.status_code == 200 and "not after the parent" in late.get_data(as_text=True)
    response = deputy_client.submit(f"/tasks-supervision/{number}/split", {
        "split-title": "3号楼", "split-deadline": "2026-11-25T17:00", "split-assignee_id": str(worker.id),
        "split-priority": "normal", "split-unit_id": ""}, form_page=f"/tasks-supervision/{number}")
    assert response.status_code == 302
    child = _task(site, "3号楼")
    assert child.parent_id == _task(site, "迎新宿舍检修").id and child.assigner_id == deputy.id
    assert site.client("worker").get(f"/tasks-supervision/{child.number}").status_code == 200
    assert site.client("requester").get(f"/tasks-supervision/{number}/report").status_code == 405
    assert site.client("worker").submit(f"/tasks-supervision/{number}/report", {"report-percent": "90"},
                                        form_page=f"/tasks-supervision/{child.number}").status_code == 403

    board = leader.page("/tasks-supervision")
    assert board.index("迎新宿舍检修") < board.index("3号楼")
    assert 'class="depth-1"' in board and "已完成两栋" in board
    with site.db() as session:
        (saved,) = session.scalars(select(ProgressReport))
        assert saved.percent == 40 and [e["name"] for e in saved.evidence] == ["site.png"]
    photo = f"/tasks-supervision/{number}/files/{saved.evidence[0]['stored']}"
    assert leader.get(photo).headers["Content-Type"] == "image/jpeg"
    assert site.client("requester").get(photo).status_code == 403
    assert leader.get(f"/tasks-supervision/{number}/files/nothing.jpg").status_code == 404


def _unit_task(site, title: str) -> str:
    from workflows.people.models import OrgUnit

    with site.db() as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.parent_id.is_(None)))
    response = site.client("leader").submit("/tasks-supervision/new", {
        "title": title, "priority": "normal", "deadline": "2026-11-30T17:00", "assignee_id": "", "unit_id": str(unit)})
    assert response.status_code == 302
    return _task(site, title).number


def test_a_unit_member_takes_a_unit_task_from_the_board_then_reports_and_splits(site):
    number = _unit_task(site, "校园绿化整治")
    deputy = site.client("deputy")
    page = deputy.page(f"/tasks-supervision/{number}")
    assert 'data-testid="take"' in page and "Report progress" not in page
    assert 'data-testid="take"' not in site.client("leader").page("/tasks-supervision")  # not of the unit role
    assert site.client("worker").post(f"/tasks-supervision/{number}/take", {}).status_code in (400, 403)
    assert deputy.http.post(f"/tasks-supervision/{number}/take").status_code == 400  # no CSRF token
    assert deputy.submit(f"/tasks-supervision/{number}/take", {}, form_page="/tasks-supervision").status_code == 302
    assert _task(site, "校园绿化整治").assignee_id == site.user("deputy").id
    page = deputy.page(f"/tasks-supervision/{number}")
    assert "Report progress" in page and "Split off a sub-task" in page and 'data-testid="take"' not in page
    response = deputy.submit(f"/tasks-supervision/{number}/report", {"report-percent": "30", "report-note": "已分片"},
                             form_page=f"/tasks-supervision/{number}")
    assert response.status_code == 302
    again = deputy.submit(f"/tasks-supervision/{number}/take", {}, form_page=f"/tasks-supervision/{number}",
                          follow_redirects=True)
    assert "no longer waiting for someone of its unit" in again.get_data(as_text=True)


def test_a_unit_task_taken_in_the_inbox_makes_the_taker_its_assignee_and_giving_it_back_undoes_that(site):
    from engine.models import HumanTask

    number = _unit_task(site, "食堂排烟检查")
    with site.db() as session:
        step = session.scalar(select(HumanTask).where(HumanTask.business_key == number))
    deputy = site.client("deputy")
    inbox = deputy.page("/?tab=group")
    assert number in inbox and "Deputy leader" in inbox
    assert deputy.submit(f"/tasks/{step.id}/claim", {}, form_page="/?tab=group").status_code == 302
    assert _task(site, "食堂排烟检查").assignee_id == site.user("deputy").id
    assert "Report progress" in deputy.page(f"/tasks-supervision/{number}")
    assert deputy.submit(f"/tasks/{step.id}/release", {}, form_page="/").status_code == 302
    assert _task(site, "食堂排烟检查").assignee_id is None
    assert 'data-testid="take"' in deputy.page(f"/tasks-supervision/{number}")


def test_the_inbox_shows_a_person_assigned_task_as_assigned_to_you_not_under_a_role(site):
    worker = site.user("worker")
    assert site.client("leader").submit("/tasks-supervision/new", {
        "title": "更换路灯", "priority": "normal", "deadline": "2026-11-30T17:00", "assignee_id": str(worker.id),
        "unit_id": ""}).status_code == 302
    number = _task(site, "更换路灯").number
    inbox = site.client("worker").page("/?tab=mine")
    row = inbox[inbox.index(f'data-key="{number}"'):]
    row = row[:row.index("</tr>")]
    assert "Assigned to you" in row and "Deputy leader" not in row


def test_each_dashboard_card_opens_the_tasks_it_counts(site):
    leader, deputy = site.client("leader"), site.user("deputy")
    for title in ("迎新宿舍检修", "教学楼门禁更换", "食堂排烟清洗"):
        assert leader.submit("/tasks-supervision/new", {
            "title": title, "acceptance_criteria": "验收合格", "priority": "normal", "deadline": "2026-11-30T17:00",
            "assignee_id": str(deputy.id), "unit_id": ""}).status_code == 302
    with site.db() as session:
        late, done = (session.scalar(select(DelegatedTask).where(DelegatedTask.title == title))
                      for title in ("教学楼门禁更换", "食堂排烟清洗"))
        late.deadline = now() - timedelta(hours=1)
        done.status, done.closed_at = TaskStatus.closed, now() - timedelta(hours=1)
        numbers = late.number, done.number
    boss = site.client("schoolboss")
    cards = dashboard_cards(boss, "delegation")
    assert {key: value for key, (value, _link) in cards.items()} == {"delegated_open": 2, "delegated_overdue": 1,
                                                                     "delegated_closed": 1}
    for key, (value, link) in cards.items():
        assert boss.page(link).count('data-number="') == value, key
    assert f'data-number="{numbers[0]}"' in boss.page(cards["delegated_overdue"][1])
    assert f'data-number="{numbers[1]}"' in boss.page(cards["delegated_closed"][1])
    assert boss.get("/tasks-supervision?show=nothing").status_code == 404
