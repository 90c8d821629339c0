"""Instance-only serialization: no embedded spec, smaller than the stock serializer, lossless."""
from __future__ import annotations

import json
import threading

from factories import actor
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine.serializer import dumps, loads


def _tree(workflow) -> list[tuple[str, str, str, dict]]:
    return sorted((str(t.id), t.task_spec.name, TaskState.get_name(t.state), t.data) for t in workflow.get_tasks())


def test_state_has_no_spec_and_is_smaller_than_the_stock_serializer(rt, people, clock):
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT12H"})
    state = rt.instance(iid).state
    workflow = rt.workflow(iid)

    blob = json.loads(state)
    assert "spec" not in blob and "subprocess_specs" not in blob
    assert "task_specs" not in state, "no spec fragment may be embedded"
    stock = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG)).serialize_json(workflow)
    assert "spec" in json.loads(stock)
    assert len(state) < len(stock) / 2, (len(state), len(stock))


def test_round_trip_is_lossless_and_the_restored_workflow_runs_on(rt, people, clock):
    rt.deploy_scenario("cycle_reminder")
    iid = rt.start("cycle_reminder", data={"nested": {"a": [1, 2, {"b": "c"}]}, "when": "2025-03-03"})
    clock.advance(hours=2, seconds=1)
    rt.wake(iid)
    inst = rt.instance(iid)
    with rt.session() as session:
        bundle = rt.host.specs.by_id(session, inst.definition_id)

    original = loads(inst.state, bundle.spec, bundle.subprocess_specs)
    restored = loads(dumps(original), bundle.spec, bundle.subprocess_specs)

    assert _tree(restored) == _tree(original)
    assert dumps(restored) == dumps(original) == inst.state
    assert [e.value for e in restored.waiting_events()] == [e.value for e in original.waiting_events()]

    # the restored copy is a working workflow: the stored instance completes normally
    assert rt.complete(rt.task(iid, "dispatch").id, actor(1, "clerk"), {"note": "on its way"}) == "completed"


def test_each_thread_serializes_correctly_at_the_same_time(rt, people):
    """The library's shared registry is not thread-safe while encoding; ours is per thread."""
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT12H"})
    inst = rt.instance(iid)
    with rt.session() as session:
        bundle = rt.host.specs.by_id(session, inst.definition_id)
    expected = inst.state
    failures = []

    def work():
        workflow = loads(expected, bundle.spec, bundle.subprocess_specs)
        for _ in range(200):
            if dumps(workflow) != expected:
                failures.append("mismatch")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
