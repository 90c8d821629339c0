"""A changed repair diagram deployed while 20 orders run (on PostgreSQL, as in production): old orders keep their
version, new ones take the new one, the safe ones move in bulk and the others are listed with the reason they
cannot. The smaller checks run on SQLite."""
from __future__ import annotations

import pytest
from scenario import Scenario
from seeded import ROOT
from sqlalchemy import select

from engine import migration_jobs
from engine.actor import Actor
from engine.db import unit_of_work
from engine.deployments import deploy, read_bundle_dir
from engine.migration import dry_run, migrate
from engine.models import AuditEvent, MigrationJob, ProcessDefinition, ProcessInstance
from engine.versions import diff_versions, roll_back, versions

OWNER = Actor(id=None, name="owner")
CHANGED_SCRIPT = 'order_step("reviewed", order_id, review)\nreview_rules = "v2"'


def _deploy_changed(scenario):
    files, _ = read_bundle_dir(ROOT / "bpmn" / "repair")
    files = {name: text.replace('order_step("reviewed", order_id, review)', CHANGED_SCRIPT) for name, text in files.items()}
    with unit_of_work(scenario.host.session_factory) as session:
        definition, created = deploy(session, files=files, registry=scenario.host.registry, deployed_by="owner",
                                     comment="record which rules reviewed the order", primary="repair")
        assert created
        return definition.id


def _version_of(scenario, number) -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        instance = session.scalar(select(ProcessInstance).where(ProcessInstance.business_key == number))
        return instance.definition.version


def _data(scenario, number) -> str:
    return scenario.instance(number).state


@pytest.fixture
def pg_scenario(seeded_pg_url, tmp_path):
    with Scenario.running(seeded_pg_url, tmp_path) as built:
        yield built


def test_deploy_while_twenty_orders_run_then_migrate_the_safe_ones(pg_scenario, monkeypatch):
    scenario = pg_scenario
    waiting = [scenario.report(f"order {i}") for i in range(6)]
    accepted = [scenario.report(f"accepted {i}") for i in range(8)]
    rejected = [scenario.report(f"rejected {i}") for i in range(6)]
    for number in accepted:
        scenario.do(number, "review", "auditor", decision="accept")
    for number in rejected[:3]:
        scenario.do(number, "review", "auditor", decision="reject", reason="不属于后勤维修范围")

    v2 = _deploy_changed(scenario)
    fresh = scenario.report("after the change")
    assert _version_of(scenario, fresh) == 2
    assert all(_version_of(scenario, n) == 1 for n in waiting + accepted + rejected)

    for number in rejected[3:]:  # old orders finish on the old version
        scenario.do(number, "review", "auditor", decision="reject", reason="重复报修")
    for number in rejected:
        assert scenario.instance(number).status == "completed" and _version_of(scenario, number) == 1
        assert "review_rules" not in _data(scenario, number)

    with unit_of_work(scenario.host.session_factory) as session:
        target = session.get(ProcessDefinition, v2)
        checks = {c.business_key: c for c in dry_run(scenario.host, session, target=target)}
    assert set(checks) == set(waiting + accepted)
    assert all(checks[n].safe for n in waiting)
    for number in accepted:
        assert not checks[number].safe
        assert checks[number].reasons == ("record_review (Record the review) already ran (completed) and was changed",)

    # the owner moves the safe ones and, from a stale page, two unsafe ones, in the background in batches of 3
    monkeypatch.setattr(migration_jobs, "BATCH", 3)
    with unit_of_work(scenario.host.session_factory) as session:
        job = migration_jobs.queue(session, target=session.get(ProcessDefinition, v2), actor=OWNER,
                                   instance_ids=[checks[n].instance_id for n in waiting + accepted[:2]],
                                   reason="pick up the new review record")
        job_id = job.id
    assert migration_jobs.run_pending(scenario.host, max_batches=1) == (3, True)  # then the worker stops, say
    with unit_of_work(scenario.host.session_factory) as session:
        job = session.get(MigrationJob, job_id)
        assert (job.status, job.position, job.moved) == ("running", 3, 3)
    assert migration_jobs.run_pending(scenario.host) == (3, False)  # picked up again: continues where it stopped
    with unit_of_work(scenario.host.session_factory) as session:
        job = session.get(MigrationJob, job_id)
        assert (job.status, job.position, job.moved) == ("done", 8, 6) and job.finished_at is not None
        assert [r["id"] for r in job.refused] == [checks[n].instance_id for n in accepted[:2]]
        assert "record_review (Record the review) already ran" in job.refused[0]["reason"]
        finished = session.scalars(select(AuditEvent.details).where(AuditEvent.action == "migration.finished")).all()
        assert [d["moved"] for d in finished] == [6]
    assert all(_version_of(scenario, n) == 2 for n in waiting)
    assert all(_version_of(scenario, n) == 1 for n in accepted)
    assert len(scenario.audit(waiting[0], "instance.migrated")) == 1

    scenario.do(waiting[0], "review", "auditor", decision="accept")  # the moved order runs the new script
    assert '"review_rules":"v2"' in _data(scenario, waiting[0])
    scenario.do(accepted[0], "dispatch", "auditor", team_id=str(scenario.order(accepted[0]).team_id), worker_id="")
    assert _version_of(scenario, accepted[0]) == 1 and "review_rules" not in _data(scenario, accepted[0])


def test_an_unsafe_move_is_refused_and_changes_nothing(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    v2 = _deploy_changed(scenario)
    before = scenario.instance(number)
    with unit_of_work(scenario.host.session_factory) as session:
        target = session.get(ProcessDefinition, v2)
        try:
            migrate(scenario.host, session, instance_id=before.id, target=target, actor=OWNER)
        except Exception as err:  # noqa: BLE001 - the refusal type is checked below
            assert type(err).__name__ == "MigrationRefused" and "record_review" in str(err)
        else:
            raise AssertionError("an unsafe move went through")
    after = scenario.instance(number)
    assert (after.definition_id, after.version, after.state) == (before.definition_id, before.version, before.state)


def test_versions_diff_and_roll_back(scenario):
    _deploy_changed(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        listed = versions(session, "repair")
        assert [(d.version, d.active, d.deployed_by) for d in listed] == [(2, True, "owner"), (1, False, None)]
        diff = diff_versions(scenario.host.specs, listed[1], listed[0])
        assert diff.changed == ("record_review",) and not diff.added and not diff.removed
        roll_back(session, process_key="repair", version=1, actor="owner")
    fresh = scenario.report()
    assert _version_of(scenario, fresh) == 1
