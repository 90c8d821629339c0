"""The workflows a process keeps between steps: taken only for the state they were saved as, kept only once
that state is committed, and never half-run after a step that failed."""
from __future__ import annotations

import pytest
from factories import actor
from sqlalchemy import update

from engine import advance
from engine.errors import TaskNotReady
from engine.models import ProcessInstance
from engine.warm_workflows import WarmWorkflows


@pytest.fixture
def parses(monkeypatch):
    """How many times the engine rebuilt a workflow from its stored JSON."""
    count = [0]
    original = advance.loads

    def counted(*args, **kwargs):
        count[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(advance, "loads", counted)
    return count


def test_the_next_step_in_this_process_reuses_the_saved_workflow(rt, people, job, parses):
    iid, task_id = job
    assert rt.complete(task_id, actor(people.worker_id), {"note": "fixed it"}) == "completed"
    assert parses[0] == 0
    assert rt.actions(iid)[-2:] == ["task.closed", "instance.completed"]


def test_a_state_changed_elsewhere_is_read_from_the_database(rt, people, job, parses):
    iid, task_id = job
    with rt.session() as session:  # another process saved the instance since (same content, new text)
        state = session.get(ProcessInstance, iid).state
        session.execute(update(ProcessInstance).where(ProcessInstance.id == iid).values(state=state + " "))
    assert rt.complete(task_id, actor(people.worker_id), {"note": "fixed it"}) == "completed"
    assert parses[0] == 1


def test_nothing_is_kept_from_a_step_that_was_rolled_back(rt, people, job, parses):
    iid, task_id = job
    with rt.host.session_factory() as session:
        advance.complete_task(rt.host, session, task_id=task_id, actor=actor(people.worker_id), data={"note": "x"})
        session.rollback()
    assert parses[0] == 0  # the kept one was taken by the step that rolled back
    assert rt.complete(task_id, actor(people.worker_id), {"note": "fixed it"}) == "completed"
    assert parses[0] == 1
    assert [e.details for e in rt.audit(iid, "task.completed")] == [{"added": {"note": "fixed it"}}]


def test_a_refused_step_leaves_the_instance_to_be_read_again(rt, people, job, parses):
    iid, task_id = job
    rt.complete(task_id, actor(people.worker_id), {"note": "fixed it"})
    with pytest.raises(TaskNotReady):
        rt.complete(task_id, actor(people.worker_id), {"note": "again"})
    assert rt.instance(iid).status == "completed"


def test_taken_only_for_the_same_definition_and_state_and_only_once():
    warm = WarmWorkflows(capacity=2)
    workflow = object()
    warm.keep(1, 10, "{}", workflow)  # type: ignore[arg-type]
    assert warm.take(1, 11, "{}") is None  # moved to another version
    warm.keep(1, 10, "{}", workflow)  # type: ignore[arg-type]
    assert warm.take(1, 10, '{"a":1}') is None
    warm.keep(1, 10, "{}", workflow)  # type: ignore[arg-type]
    assert warm.take(1, 10, "{}") is workflow
    assert warm.take(1, 10, "{}") is None


def test_the_least_recently_saved_is_dropped_beyond_capacity():
    warm = WarmWorkflows(capacity=2)
    kept = [object() for _ in range(3)]
    for instance_id, workflow in enumerate(kept):
        warm.keep(instance_id, 1, "{}", workflow)  # type: ignore[arg-type]
    assert [warm.take(i, 1, "{}") for i in range(3)] == [None, kept[1], kept[2]]
