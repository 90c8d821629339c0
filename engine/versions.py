"""Versions of a process: the list, rolling back by activating an older one, and what changed between two.

Running instances always stay on the version they started with (``process_instance.definition_id``);
only new instances follow the active version, so activating an older one is a safe roll back.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn.util.diff import SpecDiff
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.deployments import SpecCache, deploy, make_active
from engine.errors import NotFound
from engine.models import ProcessDefinition, ProcessInstance
from engine.registry import Registry
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


def _visible(school_id: int | None) -> ColumnElement[bool]:
    """What a scope sees: the platform's versions, and a school also its own (never another school's)."""
    column = ProcessDefinition.school_id
    return column.is_(None) if school_id is None else or_(column.is_(None), column == school_id)


def versions(session: Session, process_key: str, school_id: int | None = None) -> list[ProcessDefinition]:
    """The versions ``school_id``'s process owners see (``None``: the platform's), newest first."""
    return list(session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_key == process_key,
                                                                _visible(school_id))
                                .order_by(ProcessDefinition.version.desc())))


def process_keys(session: Session, school_id: int | None = None) -> list[ProcessDefinition]:
    """For every deployed process, the version ``school_id``'s new instances start from (its own active one, else
    the platform's active one, else the newest it sees)."""
    rows = session.scalars(select(ProcessDefinition).where(_visible(school_id))
                           .order_by(ProcessDefinition.process_key, ProcessDefinition.active.desc(),
                                     ProcessDefinition.school_id.is_(None), ProcessDefinition.version.desc()))
    seen: dict[str, ProcessDefinition] = {}
    for row in rows:
        seen.setdefault(row.process_key, row)
    return list(seen.values())


def definition(session: Session, process_key: str, version: int, school_id: int | None = None) -> ProcessDefinition:
    """One version ``school_id`` may see; another school's version is not found."""
    found = session.scalar(select(ProcessDefinition).where(ProcessDefinition.process_key == process_key,
                                                           ProcessDefinition.version == version, _visible(school_id)))
    if found is None:
        raise NotFound(f"process {process_key!r} has no version {version}")
    return found


def instance_counts(session: Session, process_key: str, school_id: int | None = None) -> dict[int, int]:
    """Unfinished instances per definition id; of one school when ``school_id`` is given."""
    where = [ProcessInstance.process_key == process_key,
             ProcessInstance.status.notin_((InstanceStatus.COMPLETED, InstanceStatus.TERMINATED))]
    if school_id is not None:
        where.append(ProcessInstance.school_id == school_id)
    rows = session.execute(select(ProcessInstance.definition_id, func.count()).where(*where)
                           .group_by(ProcessInstance.definition_id))
    return dict(rows.all())


def roll_back(session: Session, *, process_key: str, version: int, actor: str | None, reason: str | None = None,
              school_id: int | None = None, registry: Registry | None = None) -> ProcessDefinition:
    """Make ``version`` the one ``school_id``'s new instances start from (``None``: the platform's); audited with
    the reason. A school choosing the platform's active version stops overriding it; choosing an older platform
    version gets that as a version of its own (deployed for the school, or its identical earlier copy
    re-activated). The platform and other schools are untouched either way."""
    target = definition(session, process_key, version, school_id)
    if target.school_id != school_id and target.active:  # the platform's current version: stop overriding it
        own = session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_key == process_key,
                                                              ProcessDefinition.school_id == school_id,
                                                              ProcessDefinition.active.is_(True))).all()
        for row in own:
            row.active = False
        if own:
            record(session, action=AuditAction.DEFINITION_ROLLED_BACK, actor=actor, school_id=school_id,
                   details={"process_key": process_key, "version": version, "reason": reason})
        return target
    if target.school_id != school_id:
        if registry is None:
            raise ValueError("copying a platform version for a school needs the registry to check it")
        target, _created = deploy(session, files=target.sources, registry=registry, deployed_by=actor, school_id=school_id,
                                  comment=f"v{version}" + (f": {reason}" if reason else ""))
    if not target.active:
        make_active(session, target, actor=actor)
        record(session, action=AuditAction.DEFINITION_ROLLED_BACK, actor=actor, school_id=school_id,
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
