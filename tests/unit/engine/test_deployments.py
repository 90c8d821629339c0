"""Deployments: versioning by content, pinning of running instances, and refusal of bad diagrams.

Every refused diagram must name the file (and, where the problem has one, the element and line)
and must leave nothing behind: no definition row and no audit row, even if the caller commits.
"""
from __future__ import annotations

import time

import pytest
from factories import BPMN_DIR, actor, line_of, scenario
from sqlalchemy import func, select

from engine.deployments import deploy
from engine.errors import DeploymentError
from engine.models import AuditEvent, ProcessDefinition
from engine.xmlsafety import MAX_DIAGRAM_BYTES

TIMER = scenario("timer_task")["timer_task.bpmn"]
BODY = TIMER.split("\n", 1)[1]  # without the XML declaration, so a DOCTYPE can go in front


def test_valid_diagram_is_stored_as_active_version_1_with_audit(rt):
    definition_id, version, created = rt.deploy(scenario("timer_task"))

    assert (version, created) == (1, True)
    [definition] = rt.definitions()
    assert definition.id == definition_id and definition.active and definition.process_key == "timer_task"
    assert definition.sources == scenario("timer_task") and definition.deployed_by == "test"
    assert [(e.action, e.details["version"]) for e in rt.audit()] == [("definition.deployed", 1), ("definition.activated", 1)]


def test_same_content_twice_creates_no_new_version(rt):
    first = rt.deploy(scenario("timer_task"))
    audit_before = len(rt.audit())

    again = rt.deploy(scenario("timer_task"))

    assert again == (first[0], 1, False)
    assert len(rt.definitions()) == 1
    assert len(rt.audit()) == audit_before


def test_deploy_path_reads_the_bundle_folder_and_is_idempotent(rt):
    assert rt.deploy_path(BPMN_DIR / "job_ticket") == [("job_ticket", 1, True)]
    assert rt.deploy_path(BPMN_DIR / "job_ticket") == [("job_ticket", 1, False)]


def test_changed_content_becomes_active_v2_and_running_instances_stay_on_v1(rt, clock):
    worker = rt.people().worker_id
    v1_id, _, _ = rt.deploy(scenario("timer_task"))
    old = rt.start("timer_task", data={"worker_id": worker, "job_due": "PT12H"})

    v2_id, version, created = rt.deploy(scenario("timer_task", **{'name="Do the job"': 'name="Do the job (v2)"',
                                                                  'key="overdue-1", note="late"': 'key="overdue-1", note="v2"'}))
    new = rt.start("timer_task", data={"worker_id": worker, "job_due": "PT12H"})

    assert (version, created) == (2, True)
    assert {d.version: d.active for d in rt.definitions()} == {1: False, 2: True}
    assert rt.instance(old).definition_id == v1_id and rt.instance(new).definition_id == v2_id
    assert rt.task(old, "do_job").title == "Do the job"
    assert rt.task(new, "do_job").title == "Do the job (v2)"

    # the old instance keeps running on the v1 diagram, timers included
    clock.advance(hours=12, seconds=1)
    assert rt.wake(old).status == "advanced" and rt.wake(new).status == "advanced"
    notes = {m.instance_id: (m.payload["note"], m.status) for m in rt.outbox()}
    assert notes == {old: ("late", "sent"), new: ("v2", "sent")}
    assert rt.complete(rt.task(old, "do_job").id, actor(worker), {"note": "done"}) == "completed"
    assert rt.instance(old).definition_id == v1_id


def test_redeploying_old_content_reactivates_that_version_without_a_copy(rt):
    rt.deploy(scenario("timer_task"))
    rt.deploy(scenario("timer_task", **{'name="Do the job"': 'name="Do it"'}))

    definition_id, version, created = rt.deploy(scenario("timer_task"))

    assert (version, created) == (1, False)
    assert {d.version: d.active for d in rt.definitions()} == {1: True, 2: False}
    assert rt.audit()[-1].action == "definition.activated"


# --- refused diagrams -----------------------------------------------------------------------

def _xxe_entity() -> str:
    return ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            + BODY.replace("reminded = True", 'reminded = "&xxe;"'))


def _xxe_external_dtd() -> str:
    return '<?xml version="1.0"?>\n<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">\n' + BODY


def _billion_laughs() -> str:
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(levels) + "\n]>\n"
            + BODY.replace("reminded = True", 'reminded = "&lol9;"'))


def _with_script(script: str) -> str:
    return TIMER.replace("reminded = True", script)


SERVICE = scenario("service_call", OPERATOR="no_such_handler")["service_call.bpmn"]
UNASSIGNED = TIMER.replace('<spiffworkflow:property name="assignee" value="worker_id" />', "")  # offered to a role

# (id, file text, expected message fragment, element id or None, line: "element" → the element's line)
HOSTILE = [
    ("not-xml", "this is not <xml at all", "not well-formed XML", None, 1),
    ("truncated-xml", TIMER[: len(TIMER) // 2], "not well-formed XML", None, "any"),
    ("xxe-external-entity", _xxe_entity(), "DOCTYPE and entity declarations are not allowed", None, 1),
    ("xxe-external-dtd", _xxe_external_dtd(), "DOCTYPE and entity declarations are not allowed", None, 1),
    ("billion-laughs", _billion_laughs(), "", None, "any"),
    ("xsd-unknown-element", TIMER.replace('<bpmn:sequenceFlow id="f1"', '<bpmn:bogusTask id="bogus" />\n    <bpmn:sequenceFlow id="f1"'),
     "bogusTask", None, "bogus"),
    ("script-import-os", _with_script("import os\nreminded = os.getcwd()"), "import is not allowed", "remind", "element"),
    ("script-from-import", _with_script("from os import path\nreminded = path.sep"), "import is not allowed", "remind", "element"),
    ("script-dunder-import", _with_script("reminded = __import__('os').getcwd()"), "__import__", "remind", "element"),
    ("script-subclasses", _with_script("reminded = ().__class__.__subclasses__()"), "__class__", "remind", "element"),
    ("script-syntax-error", _with_script("reminded = = True"), "not allowed", "remind", "element"),
    ("timer-unquoted-PT1H", TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>PT1H"), "must be quoted", "reminder", "element"),
    ("timer-dunder", TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>job_due.__class__"), "__class__", "reminder", "element"),
    ("service-unknown-handler", SERVICE, "unknown handler 'no_such_handler'", "call_out", "element"),
    ("user-task-unknown-form", TIMER.replace('value="simple_note"', 'value="no_such_form"'), "unknown form key 'no_such_form'", "do_job", "element"),
    ("unknown-rule-key", TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>rule_duration('no.such.rule')"),
     "unknown rule key 'no.such.rule'", "reminder", "element"),
    ("timer-counts-a-threshold", TIMER.replace("<bpmn:timeDuration>job_due",
                                               "<bpmn:timeDuration>rule_duration('repair.rating.bad_below')"),
     "rule_duration() needs a duration rule key, but 'repair.rating.bad_below' is not one (it is a rule key of "
     "another kind)", "reminder", "element"),
    ("timer-repeats-by-a-role", TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>"
                                              "rule_cycle('repair.work.overdue_after', 'repair.escalation.red.role')"),
     "rule_cycle() needs a duration rule key, but 'repair.escalation.red.role' is not one", "reminder", "element"),
    ("property-due-unquoted", TIMER.replace('name="due" value="job_due"', 'name="due" value="PT2H"'), "property due PT2H must be quoted",
     "do_job", "element"),
    ("property-assignee-dunder", TIMER.replace('name="assignee" value="worker_id"', 'name="assignee" value="worker_id.__class__"'),
     "property assignee is not allowed", "do_job", "element"),
    ("property-due-unknown-rule", TIMER.replace('name="due" value="job_due"', 'name="due" value="rule_duration(\'no.such.rule\')"'),
     "property due names unknown rule key 'no.such.rule'", "do_job", "element"),
    ("lane-not-a-role", UNASSIGNED.replace('name="worker"', 'name="janitor"'),
     "user task is offered to 'janitor' (its lane), which is not a role", "do_job", "element"),
    ("role-property-not-a-role", UNASSIGNED.replace('<spiffworkflow:property name="formKey" value="simple_note" />',
                                                    '<spiffworkflow:property name="formKey" value="simple_note" />\n'
                                                    '          <spiffworkflow:property name="role" value="\'janitor\'" />'),
     "user task is offered to 'janitor' (its role property), which is not a role", "do_job", "element"),
    ("oversized", TIMER.replace("<bpmn:collaboration", "<!-- " + "x" * MAX_DIAGRAM_BYTES + " -->\n  <bpmn:collaboration"),
     f"the limit is {MAX_DIAGRAM_BYTES}", None, None),
]


def _counts(session) -> tuple[int, int]:
    return (session.scalar(select(func.count(ProcessDefinition.id))), session.scalar(select(func.count(AuditEvent.id))))


@pytest.mark.parametrize(("text", "fragment", "element", "line"), [case[1:] for case in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_or_broken_diagram_is_refused_with_location_and_nothing_is_stored(rt, text, fragment, element, line):
    filename = "evil.bpmn"
    started = time.perf_counter()
    with rt.session() as session:
        with pytest.raises(DeploymentError) as caught:
            deploy(session, files={filename: text}, registry=rt.registry, deployed_by="test")
        # nothing was added to the session either: a caller that commits anyway stores nothing
        assert _counts(session) == (0, 0)
    assert time.perf_counter() - started < 2, "refusing a diagram must be cheap (no entity expansion)"

    assert rt.definitions() == [] and rt.audit() == []
    problems = caught.value.problems
    assert problems, "a DeploymentError must list its problems"
    problem = problems[0]
    assert problem.file == filename
    assert fragment in problem.message
    assert filename in str(caught.value)
    if element is not None:
        assert problem.element is not None and problem.element.split(" ")[0] == element
        assert f"[{problem.element}]" in str(caught.value)
    if line == "element":
        assert problem.line == line_of(text, f'id="{element}"')
    elif line == "any":
        assert isinstance(problem.line, int) and problem.line >= 1
    elif isinstance(line, str):
        assert problem.line == line_of(text, f'id="{line}"')
    else:
        assert problem.line == line
    assert "root:" not in str(caught.value), "file contents must never leak into the error"


def test_a_rule_key_of_the_wrong_kind_carries_a_code_and_what_a_page_needs_to_word_it(rt):
    text = TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>rule_duration('repair.rating.bad_below')")
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"kind.bpmn": text})
    [problem] = caught.value.problems
    assert problem.code == "key_of_another_kind"
    assert dict(problem.params) == {"helper": "rule_duration", "key": "repair.rating.bad_below", "kind": "duration rule"}
    # a threshold read by rule_value, and a duration counted by rule_duration, are both fine
    fine = TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>rule_duration('repair.work.overdue_after')")
    fine = fine.replace("reminded = True", "reminded = rule_value('repair.rating.bad_below') > 2")
    assert rt.deploy({"fine.bpmn": fine})[2]


def test_every_problem_in_a_diagram_is_reported_at_once(rt):
    text = TIMER.replace("<bpmn:timeDuration>job_due", "<bpmn:timeDuration>PT1H").replace("reminded = True", "import os")
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"two.bpmn": text})
    elements = sorted(p.element.split(" ")[0] for p in caught.value.problems)
    assert elements == ["remind", "reminder"]


def test_only_bpmn_and_dmn_files_are_accepted(rt):
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"notes.txt": "hello", **scenario("timer_task")})
    assert caught.value.problems[0].file == "notes.txt"
    assert rt.definitions() == []


def test_a_bundle_with_two_processes_must_name_its_main_process(rt):
    files = {**scenario("signal_sender"), **scenario("signal_waiter")}
    with pytest.raises(DeploymentError, match="cannot tell the main process"):
        rt.deploy(files)
    definition_id, version, created = rt.deploy(files, primary="signal_waiter")
    assert (version, created) == (1, True)
    assert [d.process_key for d in rt.definitions()] == ["signal_waiter"]


def test_event_payload_expressions_are_linted_like_any_other_expression(rt):
    text = scenario("signal_sender")["signal_sender.bpmn"].replace('{"note": note, "order": order_no}', "().__class__.__bases__")
    with pytest.raises(DeploymentError, match="__class__"):
        rt.deploy({"signal_sender.bpmn": text})
    assert rt.definitions() == []


def test_every_shipped_diagram_deploys(rt):
    results = rt.deploy_path(BPMN_DIR)
    assert results and all(created for _key, _version, created in results)
    assert {key for key, _v, _c in results} >= {"job_ticket"}
