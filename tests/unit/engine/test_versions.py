"""Start-up deploys of ``bpmn/`` never undo a version deployed since from the editor; the element diff between
two versions names what was added, changed and removed."""
from __future__ import annotations

import pytest
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


def test_a_schools_version_is_used_by_that_school_only_and_never_seen_by_another(rt):
    from engine.drafts import draft_of, save_draft
    from engine.errors import NotFound
    from engine.versions import definition, instance_counts, process_keys, roll_back

    platform = scenario("script_step", SCRIPT_BODY="x = 1")
    rt.deploy(platform)
    rt.deploy(scenario("script_step", SCRIPT_BODY="x = 2"), school_id=7)  # school 7's process owner
    a, b = rt.start("script_step", school_id=7), rt.start("script_step", school_id=8)
    version_of = {d.id: d.version for d in _all_versions(rt)}
    assert (version_of[rt.instance(a).definition_id], version_of[rt.instance(b).definition_id]) == (2, 1)
    with rt.session() as session:
        assert [d.version for d in versions(session, "script_step", school_id=8)] == [1]
        assert [(d.version, d.active) for d in versions(session, "script_step", school_id=7)] == [(2, True), (1, True)]
        assert [d.version for d in process_keys(session, school_id=7)] == [2]
        assert [d.version for d in process_keys(session, school_id=8)] == [1]
        with pytest.raises(NotFound):
            definition(session, "script_step", 2, school_id=8)
        assert sum(instance_counts(session, "script_step", school_id=8).values()) == 1
        save_draft(session, process_key="script_step", sources=platform, base_version=2, actor="a", school_id=7)
        assert draft_of(session, "script_step", 8) is None and draft_of(session, "script_step", 7) is not None

    with rt.session() as session:  # school 7 goes back to the platform's current diagram: it stops overriding it
        chosen = roll_back(session, process_key="script_step", version=1, actor="owner7", school_id=7, registry=rt.registry)
        assert (chosen.version, chosen.school_id) == (1, None)
    with rt.session() as session:
        assert [(d.version, d.active) for d in versions(session, "script_step", school_id=7)] == [(2, False), (1, True)]
    rt.deploy(scenario("script_step", SCRIPT_BODY="x = 3"))  # the platform moves on to v3
    with rt.session() as session:  # school 7 wants the platform's older v1: a copy of its own, v4
        chosen = roll_back(session, process_key="script_step", version=1, actor="owner7", school_id=7, registry=rt.registry)
        assert (chosen.version, chosen.school_id, chosen.active) == (4, 7, True)
    with rt.session() as session:
        assert [(d.version, d.active) for d in versions(session, "script_step")] == [(3, True), (1, False)]
    assert rt.instance(rt.start("script_step", school_id=8)).definition_id == next(
        d.id for d in _all_versions(rt) if d.version == 3)


def _all_versions(rt):
    from sqlalchemy import select

    from engine.models import ProcessDefinition

    with rt.session() as session:
        return list(session.scalars(select(ProcessDefinition)))
