"""Loop rounds: a gateway loop keeps only its newest finished round in the state, so every round costs the same,
and the workflow behaves as if every round were kept (the parallel join of a later round still waits for both of
its own branches). States saved with every round load and are cut on their next step."""
from __future__ import annotations

import pytest
from factories import actor
from SpiffWorkflow.util.task import TaskState

from engine import advance

CLERK = actor(1, "clerk")


@pytest.fixture
def loop(rt):
    rt.deploy_scenario("loop_rounds")
    return rt


def _round(rt, iid: int) -> str:
    rt.complete(rt.task(iid, "check_a").id, CLERK, {"note": "A"})
    return rt.complete(rt.task(iid, "check_b").id, CLERK, {"note": "B"})


def _open_data(rt, iid: int, name: str) -> dict:
    """The data an open task of the running round sees."""
    [task] = rt.workflow(iid).get_tasks(state=TaskState.READY, spec_name=name)
    return task.data


def _size(rt, iid: int) -> tuple[int, int]:
    """(tasks in the tree, characters of saved state)."""
    return len(rt.workflow(iid).tasks), len(rt.instance(iid).state)


def test_a_loop_keeps_one_finished_round_and_its_state_stays_flat(loop):
    iid = loop.start("loop_rounds", data={"rounds": 0, "limit": 8, "history": []})
    sizes = []
    for _ in range(7):
        _round(loop, iid)
        sizes.append(_size(loop, iid))
    assert {tasks for tasks, _chars in sizes} == {sizes[0][0]}, f"the tree grew with rounds: {sizes}"
    assert sizes[-1][1] - sizes[0][1] < 100, f"the state grew with rounds: {sizes}"  # the history list, a number a round
    assert [t.task_name for t in loop.tasks(iid)] == ["check_a", "check_b"]
    assert _round(loop, iid) == "completed"
    assert loop.data(iid)["history"] == [1, 2, 3, 4, 5, 6, 7, 8]  # every round's data reached the end
    assert len(loop.audit(iid, "task.completed")) == 16  # and every round is in the audit log


def test_the_parallel_join_of_a_later_round_waits_for_both_of_its_branches(loop):
    iid = loop.start("loop_rounds", data={"rounds": 0, "limit": 10, "history": []})
    for _ in range(4):
        _round(loop, iid)
    loop.complete(loop.task(iid, "check_a").id, CLERK, {"note": "A"})
    assert [t.task_name for t in loop.tasks(iid)] == ["check_b"]
    assert _open_data(loop, iid, "check_b")["rounds"] == 4  # the round is not counted before B is checked
    loop.complete(loop.task(iid, "check_b").id, CLERK, {"note": "B"})
    assert sorted(t.task_name for t in loop.tasks(iid)) == ["check_a", "check_b"]
    assert _open_data(loop, iid, "check_a")["rounds"] == 5


def test_a_state_saved_with_every_round_loads_and_is_cut_on_its_next_step(loop, monkeypatch):
    iid = loop.start("loop_rounds", data={"rounds": 0, "limit": 10, "history": []})
    with monkeypatch.context() as before:  # as saved before rounds were cut: every round in the tree
        before.setattr(advance, "prune_loop_rounds", lambda workflow: 0)
        for _ in range(5):
            _round(loop, iid)
        deep = _size(loop, iid)
    flat = _size(loop, loop.start("loop_rounds", data={"rounds": 0, "limit": 10, "history": []}))
    _round(loop, iid)
    assert _size(loop, iid)[0] < deep[0] and _size(loop, iid)[0] > flat[0]
    assert _open_data(loop, iid, "check_a")["history"] == [1, 2, 3, 4, 5, 6]
    for _ in range(3):
        _round(loop, iid)
    assert _round(loop, iid) == "completed" and loop.data(iid)["rounds"] == 10
