"""The flat task scan the engine uses instead of the library's tree walk finds exactly the tasks the walk finds,
at every step of a repair order that runs its rectification subprocess twice (nested, finished and running
subprocesses, parallel branches, timers)."""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from engine import advance, projection, task_scan

STARS = dict(quality="3", efficiency="3", attitude="3")


def test_the_scan_matches_the_librarys_walk_through_rectification_rounds(scenario, monkeypatch):
    asked = []

    def checked(workflow, state, *, manual=None):
        found = list(task_scan.tasks_in(workflow, state, manual=manual))
        walked = workflow.get_tasks(state=state, **({} if manual is None else {"manual": manual}))
        assert {t.id for t in found} == {t.id for t in walked}, (TaskState.get_name(state), manual)
        asked.append((state, manual, len(found)))
        return iter(found)

    monkeypatch.setattr(advance, "tasks_in", checked)
    monkeypatch.setattr(projection, "tasks_in", checked)
    number = scenario.report()
    scenario.done_job(number)
    scenario.do(number, "rate", "requester", overall="2", comment="还在漏", **STARS)
    for round_no in (1, 2):
        scenario.do(number, "callback", "auditor", requester_said="仍然漏水", real_problem="yes")
        scenario.do(number, "rectify", "repair", result=f"第{round_no}次整改")
        scenario.do(number, "followup", "auditor", requester_said="已回访")
        scenario.do(number, "rate", "requester", overall="1" if round_no == 1 else "5", **STARS)
    assert scenario.order(number).status == "closed"
    assert any(manual and count for _, manual, count in asked)  # open user tasks were found, not only none
    assert {state for state, _, _ in asked} == {TaskState.READY, TaskState.ERROR}
