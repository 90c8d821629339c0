"""Versions of a process: the list, rolling back by activating an older one, and what changed between two.

Running instances always stay on the version they started with (``process_instance.definition_id``);
only new instances follow the active version, so activating an older one is a safe roll back.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn.util.diff import SpecDiff
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.deployments import SpecCache, make_active
from engine.errors import NotFound
from engine.models import ProcessDefinition, ProcessInstance
from engine.serializer import spec_registry
from engine.statuses import InstanceStatus

if TYPE_CHECKING:
    from SpiffWorkflow.specs.base import TaskSpec


@dataclass(frozen=True)
class VersionDiff:
    """BPMN element ids added, changed and removed going from one version to another."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def versions(session: Session, process_key: str) -> list[ProcessDefinition]:
    return list(session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_key == process_key)
                                .order_by(ProcessDefinition.version.desc())))


def process_keys(session: Session) -> list[ProcessDefinition]:
    """The active (else newest) definition of every deployed process."""
    rows = session.scalars(select(ProcessDefinition).order_by(ProcessDefinition.process_key,
                                                              ProcessDefinition.active.desc(),
                                                              ProcessDefinition.version.desc()))
    seen: dict[str, ProcessDefinition] = {}
    for row in rows:
        seen.setdefault(row.process_key, row)
    return list(seen.values())


def definition(session: Session, process_key: str, version: int) -> ProcessDefinition:
    found = session.scalar(select(ProcessDefinition).where(ProcessDefinition.process_key == process_key,
                                                           ProcessDefinition.version == version))
    if found is None:
        raise NotFound(f"process {process_key!r} has no version {version}")
    return found


def instance_counts(session: Session, process_key: str) -> dict[int, int]:
    """Unfinished instances per definition id."""
    rows = session.execute(select(ProcessInstance.definition_id, func.count()).where(
        ProcessInstance.process_key == process_key, ProcessInstance.status.notin_((InstanceStatus.COMPLETED, InstanceStatus.TERMINATED)))
        .group_by(ProcessInstance.definition_id))
    return dict(rows.all())


def roll_back(session: Session, *, process_key: str, version: int, actor: str | None,
              reason: str | None = None) -> ProcessDefinition:
    """Make ``version`` the one new instances start from; audited with the reason."""
    target = definition(session, process_key, version)
    if not target.active:
        make_active(session, target, actor=actor)
        record(session, action=AuditAction.DEFINITION_ROLLED_BACK, actor=actor,
               details={"process_key": process_key, "version": version, "reason": reason})
    return target


def diff_versions(specs: SpecCache, old: ProcessDefinition, new: ProcessDefinition) -> VersionDiff:
    """Compare every process of two versions element by element (the library's alignment by BPMN id)."""
    before, after = specs.get(old), specs.get(new)
    pairs = [(before.spec, after.spec)]
    pairs += [(spec, after.subprocess_specs.get(name)) for name, spec in before.subprocess_specs.items()]
    added, changed, removed = set[str](), set[str](), set[str]()
    registry = spec_registry()
    for original, updated in pairs:
        if updated is None:
            removed |= _ids(original.task_specs.values())
            continue
        diff = SpecDiff(registry, original, updated)
        added |= _ids(diff.added)
        changed |= _ids(diff.changed)
        removed |= _ids(diff.removed)
    for name, spec in after.subprocess_specs.items():
        if name not in before.subprocess_specs:
            added |= _ids(spec.task_specs.values())
    return VersionDiff(tuple(sorted(added)), tuple(sorted(changed - removed)), tuple(sorted(removed)))


def _ids(task_specs: Iterable[TaskSpec]) -> set[str]:
    return {spec.bpmn_id for spec in task_specs if getattr(spec, "bpmn_id", None)}
