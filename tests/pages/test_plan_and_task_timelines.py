"""Work-plan occurrences and delegated tasks have the same business timeline as orders, declared by their process
modules: who did what with their notes (execution, evaluation with score and comment, rectification; assignment,
progress reports, completion, acceptance), the reminder folded, and none of the engine's rows."""
from __future__ import annotations

import io
import re

from sqlalchemy import select
from websupport import enter_plan_and_delegate, png_bytes

from engine.models import HumanTask

ENGINE_WORDS = ("Step passed", "Task opened", "Task done", "Task closed", "Process started", "Process finished",
                "step.completed", "task.created", "worker#", "supervisor#")


def open_step(site, process_key: str, name: str) -> tuple[str, str]:
    with site.db() as session:
        row = session.scalar(select(HumanTask).where(HumanTask.process_key == process_key, HumanTask.task_name == name))
        assert row is not None, f"no open {name}"
        return row.id, row.business_key


def done(site, username: str, task: str, data: dict) -> None:
    response = site.client(username).submit(f"/tasks/{task}", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]


def lines(page: str) -> list[tuple[str, str]]:
    """(action, text) of each timeline line, oldest first."""
    timeline = page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    found = []
    for part in timeline.split('<li class="event')[1:]:
        action = re.search(r'data-action="([^"]+)"', part).group(1)
        found.append((action, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part.split(">", 1)[1])).strip()))
    return found


def test_a_plan_occurrence_shows_execution_evaluation_and_rectification_with_their_notes(site):
    enter_plan_and_delegate(site)
    task, number = open_step(site, "work_plan", "execute")
    done(site, "worker", task, {"checklist_done": "y", "note": "灭火器压力正常",
                                "photos": [(io.BytesIO(png_bytes()), "extinguisher.png")]})
    review, _ = open_step(site, "work_plan", "review")
    done(site, "supervisor", review, {"score": "60", "passed": "no", "comment": "二楼灭火器过期未换"})
    rectify, _ = open_step(site, "work_plan", "rectify")
    done(site, "worker", rectify, {"note": "已更换二楼灭火器"})
    review, _ = open_step(site, "work_plan", "review")
    done(site, "supervisor", review, {"score": "95", "passed": "yes", "comment": "合格"})

    page = site.client("supervisor").page(f"/plans/occurrences/{number}")
    found = lines(page)
    assert [action for action, _text in found] == ["plan.reminded", "plan.executed", "plan.reviewed", "plan.rectified",
                                                   "plan.reviewed", "plan.closed"]
    reminded, executed, failed, rectified, passed, closed = (text for _action, text in found)
    assert "Responsible person reminded" in reminded and "1 time" in reminded
    assert "Carried out" in executed and "灭火器压力正常" in executed and "刘建军" in executed
    assert "not passed" in failed and "60" in failed and "二楼灭火器过期未换" in failed and "周敏" in failed
    assert "已更换二楼灭火器" in rectified and "passed" in passed and "not passed" not in passed and "95" in passed
    assert "Closed" in closed and "周敏" not in closed
    for word in ENGINE_WORDS:
        assert word not in page.split('data-testid="timeline"', 1)[1], word


def test_a_delegated_task_shows_assignment_reports_completion_and_acceptance(site):
    enter_plan_and_delegate(site)
    task, number = open_step(site, "delegated_task", "carry_out")
    worker = site.client("worker")
    assert worker.submit(f"/tasks-supervision/{number}/report", {"report-percent": "40", "report-note": "已完成两栋"},
                         form_page=f"/tasks-supervision/{number}").status_code == 302
    done(site, "worker", task, {"summary": "全部宿舍检修完毕"})
    accept, _ = open_step(site, "delegated_task", "accept")
    done(site, "leader", accept, {"decision": "send_back", "reasons": "缺少3号楼验收单"})
    task, _ = open_step(site, "delegated_task", "carry_out")
    done(site, "worker", task, {"summary": "补齐3号楼验收单"})
    accept, _ = open_step(site, "delegated_task", "accept")
    done(site, "leader", accept, {"decision": "accept"})

    page = site.client("leader").page(f"/tasks-supervision/{number}?lang=zh_CN")
    found = lines(page)
    assert [action for action, _text in found] == [
        "instance.started", "delegation.reported", "delegation.completed", "delegation.judged", "delegation.completed",
        "delegation.judged", "delegation.closed"]
    assigned, reported, completed, sent_back, _again, accepted, _closed = (text for _action, text in found)
    assert "已交办" in assigned and "孙国庆" in assigned and "承办人" in assigned and "刘建军" in assigned
    assert "40%" in reported and "已完成两栋" in reported
    assert "全部宿舍检修完毕" in completed
    assert "退回重办" in sent_back and "缺少3号楼验收单" in sent_back and "孙国庆" in sent_back
    assert "验收通过" in accepted
    for word in ("环节已完成", "任务已关闭", "流程已启动", *ENGINE_WORDS):
        assert word not in page.split('data-testid="timeline"', 1)[1], word
