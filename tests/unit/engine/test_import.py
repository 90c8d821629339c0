"""Diagrams from other modelers: a plain Camunda Modeler diagram deploys and runs; hostile or broken files
are refused with the file, line and element of every problem; diagrams without a drawing get one."""
from __future__ import annotations

from pathlib import Path

import pytest
from factories import BPMN_DIR, actor, line_of
from lxml import etree

from engine.errors import DeploymentError
from engine.importer import import_diagram
from engine.layout import BPMN, BPMNDI, add_drawing, with_drawing

UPLOADS = Path(__file__).resolve().parents[2] / "bpmn_uploads"
CAMUNDA = (UPLOADS / "camunda_plain.bpmn").read_text(encoding="utf-8")


def _refusal(text: str, filename: str = "upload.bpmn") -> list[str]:
    with pytest.raises(DeploymentError) as caught:
        import_diagram(text, filename)
    return [str(p) for p in caught.value.problems]


def test_a_plain_camunda_diagram_with_lanes_timer_and_user_tasks_deploys_and_runs(rt, clock):
    files = {"key_handover.bpmn": import_diagram(CAMUNDA, "key_handover.bpmn")}
    rt.deploy(files)
    instance_id = rt.start("key_handover")
    [issue] = rt.tasks(instance_id)
    assert (issue.task_name, issue.role) == ("Activity_issue", "clerk")
    rt.complete(issue.id, actor(1, "clerk"))
    [give_back] = rt.tasks(instance_id)
    assert (give_back.task_name, give_back.role) == ("Activity_return", "worker")

    clock.advance(hours=2, seconds=2)
    assert rt.wake(instance_id).status == "advanced"
    by_name = {t.task_name: t for t in rt.tasks(instance_id)}
    assert by_name["Event_chase"].role == "clerk"
    rt.complete(by_name["Activity_return"].id, actor(2, "worker"))
    rt.complete(by_name["Event_chase"].id, actor(1, "clerk"))
    assert rt.instance(instance_id).status == "completed"


def test_a_bpmn_io_diagram_with_colours_and_a_non_executable_process_deploys(rt):
    bpmn_io = CAMUNDA.replace(' camunda:historyTimeToLive="180"', "").replace('isExecutable="true"', 'isExecutable="false"').replace(
        'xmlns:camunda=', 'xmlns:bioc="http://bpmn.io/schema/bpmn/biocolor/1.0" xmlns:camunda=').replace(
        '<bpmndi:BPMNShape id="Activity_issue_di" bpmnElement="Activity_issue">',
        '<bpmndi:BPMNShape id="Activity_issue_di" bpmnElement="Activity_issue" bioc:stroke="#1e88e5" bioc:fill="#bbdefb">')
    assert 'isExecutable="false"' in bpmn_io and "bioc:stroke" in bpmn_io
    rt.deploy({"key_handover.bpmn": import_diagram(bpmn_io, "key_handover.bpmn")})
    assert [t.task_name for t in rt.tasks(rt.start("key_handover"))] == ["Activity_issue"]


def test_the_timer_literal_is_quoted_and_the_drawing_kept():
    imported = import_diagram(CAMUNDA, "key_handover.bpmn")
    assert '>"PT2H"<' in imported and imported.count("BPMNShape") == CAMUNDA.count("BPMNShape")


@pytest.mark.parametrize("change, expected", [
    (('<bpmn:userTask id="Activity_issue" name="Issue the key">',
      '<bpmn:userTask id="Activity_issue" name="Issue the key" camunda:assignee="demo">'),
     "[Activity_issue]: unsupported extension attribute camunda:assignee"),
    (('<bpmn:incoming>Flow_1</bpmn:incoming>',
      '<bpmn:extensionElements><camunda:formData><camunda:formField id="f" /></camunda:formData>'
      '</bpmn:extensionElements><bpmn:incoming>Flow_1</bpmn:incoming>'),
     "[Activity_issue]: unsupported extension camunda:formData"),
    (('<bpmn:endEvent id="Event_done" name="Key back">', '<bpmn:complexGateway id="Gateway_c" /><bpmn:endEvent id="Event_done" name="Key back">'),
     "[Gateway_c]: unsupported BPMN element complexGateway"),
    (('>PT2H<', '>${lateAfter}<'),
     "[TimerEventDefinition_1]: expression ${lateAfter} is written for another engine"),
])
def test_foreign_elements_extensions_and_expressions_are_named_with_their_line(change, expected):
    old, new = change
    assert old in CAMUNDA
    text = CAMUNDA.replace(old, new, 1)
    problems = _refusal(text)
    assert len(problems) == 1 and problems[0].startswith(f"upload.bpmn:{line_of(text, new)} {expected}"), problems


@pytest.mark.parametrize("text, filename, expected", [
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<bpmn:definitions xmlns:bpmn="' + BPMN + '">&lol;</bpmn:definitions>',
     "upload.bpmn", "upload.bpmn:1: DOCTYPE and entity declarations are not allowed"),
    ("<bpmn:definitions xmlns:bpmn='" + BPMN + "'>\n<bpmn:process id='p'>\n</bpmn:definitions>", "upload.bpmn",
     "upload.bpmn:3: not well-formed XML"),
    ('<svg xmlns="http://www.w3.org/2000/svg"/>', "upload.bpmn", "upload.bpmn:1: not a BPMN 2.0 file: the root element is svg"),
    ("x" * (3 * 1024 * 1024), "upload.bpmn", "upload.bpmn: file is 3145728 bytes; the limit is"),
    ("<a/>", "notes.txt", "notes.txt: only .bpmn files can be uploaded"),
])
def test_hostile_and_broken_files_are_refused_precisely(text, filename, expected):
    problems = _refusal(text, filename)
    assert problems[0].startswith(expected), problems


def test_schema_and_lint_problems_of_an_imported_diagram_are_refused_at_deploy(rt):
    broken = CAMUNDA.replace('<bpmn:userTask id="Activity_issue" name="Issue the key">',
                             '<bpmn:userTask id="Activity_issue" name="Issue the key" priority="high">')
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"k.bpmn": import_diagram(broken, "k.bpmn")})
    assert "priority" in str(caught.value) and caught.value.problems[0].line
    unknown_form = CAMUNDA.replace('<bpmn:incoming>Flow_1</bpmn:incoming>',
                                   '<bpmn:extensionElements><spiffworkflow:properties><spiffworkflow:property name="formKey" '
                                   'value="no_such_form" /></spiffworkflow:properties></bpmn:extensionElements>'
                                   '<bpmn:incoming>Flow_1</bpmn:incoming>', 1).replace(
        'xmlns:camunda=', 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" xmlns:camunda=')
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"k.bpmn": import_diagram(unknown_form, "k.bpmn")})
    assert [p.element for p in caught.value.problems] == ["Activity_issue (Issue the key)"]
    assert "unknown form key 'no_such_form'" in str(caught.value)
    assert rt.definitions() == []


def test_shipped_diagrams_without_a_drawing_are_laid_out_with_lanes_and_subprocess_planes():
    source = (BPMN_DIR / "repair" / "repair.bpmn").read_text(encoding="utf-8")
    root = etree.fromstring(with_drawing(source).encode())
    drawn = {shape.get("bpmnElement") for shape in root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")}
    model = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in
             ("userTask", "scriptTask", "boundaryEvent", "sequenceFlow", "lane", "participant", "subProcess", "endEvent")}
    assert model <= drawn
    planes = {p.get("bpmnElement") for p in root.iter(f"{{{BPMNDI}}}BPMNPlane")}
    assert planes == {"Collab_repair", "repair_work", "repair_job", "handling"}
    assert add_drawing(root) is False  # a drawn diagram is left as it is

    # the three colour timers on one task: side by side on its edge, each labelled, nothing covering anything
    def box(element_id, part="Bounds"):
        shape = next(s for s in root.iter(f"{{{BPMNDI}}}BPMNShape") if s.get("bpmnElement") == element_id)
        bounds = shape.find(f"{{{BPMNDI}}}BPMNLabel/*" if part == "label" else "*")
        return tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))

    def overlap(a, b):
        return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]

    timers = [e.get("id") for e in root.iter(f"{{{BPMN}}}boundaryEvent") if e.get("id").startswith("escalate_")]
    host = box(next(e for e in root.iter(f"{{{BPMN}}}boundaryEvent") if e.get("id") == timers[0]).get("attachedToRef"))
    assert len(timers) == 3
    for n, timer in enumerate(timers):
        x, y, w, h = box(timer)
        assert host[0] <= x and x + w <= host[0] + host[2] and y < host[1] + host[3] < y + h  # on the lower edge
        for other in timers[n + 1:]:
            assert not overlap(box(timer), box(other)) and not overlap(box(timer, "label"), box(other, "label"))


def test_unreachable_elements_and_loops_that_never_wait_are_refused_at_deploy(rt):
    orphan = CAMUNDA.replace('<bpmn:endEvent id="Event_done" name="Key back">',
                             '<bpmn:scriptTask id="Activity_orphan" name="Nobody gets here"><bpmn:script>x = 1</bpmn:script>'
                             '</bpmn:scriptTask><bpmn:endEvent id="Event_done" name="Key back">')
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"k.bpmn": import_diagram(orphan, "k.bpmn")})
    [problem] = caught.value.problems
    assert (problem.element, problem.message) == ("Activity_orphan", "no path from the start reaches this element")
    assert problem.line == line_of(orphan, 'id="Activity_orphan"')

    spinning = CAMUNDA.replace('<bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_issue" targetRef="Activity_return" />',
                               '<bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_issue" targetRef="Script_a" />'
                               '<bpmn:scriptTask id="Script_a" name="Count"><bpmn:script>n = 1</bpmn:script></bpmn:scriptTask>'
                               '<bpmn:exclusiveGateway id="Gateway_again" default="Flow_out" />'
                               '<bpmn:sequenceFlow id="Flow_a" sourceRef="Script_a" targetRef="Gateway_again" />'
                               '<bpmn:sequenceFlow id="Flow_back" sourceRef="Gateway_again" targetRef="Script_a">'
                               '<bpmn:conditionExpression>n &lt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>'
                               '<bpmn:sequenceFlow id="Flow_out" sourceRef="Gateway_again" targetRef="Activity_return" />')
    with pytest.raises(DeploymentError) as caught:
        rt.deploy({"k.bpmn": import_diagram(spinning, "k.bpmn")})
    assert [p.message for p in caught.value.problems] == [
        "the loop through Gateway_again, Script_a never waits for a person, a timer or a message: it would run without bound"]
