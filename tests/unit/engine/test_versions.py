"""Start-up deploys of ``bpmn/`` never undo a version deployed since from the editor; the element diff between
two versions names what was added, changed and removed."""
from __future__ import annotations

from factories import scenario

from engine.deployments import deploy_path
from engine.versions import diff_versions, versions


def test_start_up_deploy_leaves_a_newer_editor_version_active(rt, tmp_path):
    folder = tmp_path / "bpmn" / "timer_task"
    folder.mkdir(parents=True)
    (folder / "timer_task.bpmn").write_text(scenario("timer_task")["timer_task.bpmn"], encoding="utf-8")
    with rt.session() as session:
        deploy_path(session, tmp_path / "bpmn", registry=rt.registry)
    edited = scenario("timer_task", **{'name="Do the job"': 'name="Do the job well"'})
    rt.deploy(edited, comment="from the editor")
    with rt.session() as session:
        [(definition, created)] = deploy_path(session, tmp_path / "bpmn", registry=rt.registry)
        assert (definition.version, created) == (1, False)
        assert [(d.version, d.active) for d in versions(session, "timer_task")] == [(2, True), (1, False)]


def test_diff_names_added_changed_and_removed_elements(rt):
    rt.deploy(scenario("script_step", SCRIPT_BODY="x = 1"))
    rt.deploy(scenario("script_step", SCRIPT_BODY="x = 2", **{
        '<bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="done" />':
            '<bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="file" /><bpmn:scriptTask id="file" name="File it">'
            '<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing><bpmn:script>y = 1</bpmn:script>'
            '</bpmn:scriptTask><bpmn:sequenceFlow id="f4" sourceRef="file" targetRef="done" />'}))
    with rt.session() as session:
        new, old = versions(session, "script_step")
        diff = diff_versions(rt.host.specs, old, new)
    assert diff.added == ("file",) and "compute" in diff.changed and diff.removed == ()
    with rt.session() as session:
        new, old = versions(session, "script_step")
        back = diff_versions(rt.host.specs, new, old)
    assert back.added == () and back.removed == ("file",)
