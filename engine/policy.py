"""The one task-permission policy: who may see, complete, claim, release, hand over or manage an open task.

Pages, the API and the engine's own routines (:func:`engine.advance.complete_task`, :mod:`engine.assignment`)
all ask :meth:`TaskPolicy.rights`, so the answer cannot differ between them. The school comes first in every
decision: a role held "for the whole school" never reaches a task of another school.

What only the domain knows is configuration: which roles manage (reassign) the tasks of the units where they
hold them, and which roles mark a task as one person's own (never released or handed on). The bootstrap puts the
configured policy on the :class:`~engine.registry.Registry`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class TaskLike(Protocol):
    """What the policy reads of a task: the ``human_task`` projection row or anything shaped like it."""

    @property
    def school_id(self) -> int | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def org_unit_id(self) -> int | None: ...
    @property
    def assignee_id(self) -> int | None: ...
    @property
    def candidate_ids(self) -> list[int] | None: ...


class ActorLike(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def school_id(self) -> int | None: ...

    def may(self, role: str | None, org_unit_id: int | None) -> bool: ...

    def takes(self, role: str | None, org_unit_id: int | None) -> bool: ...

    def in_school(self, school_id: int | None) -> bool: ...


@dataclass(frozen=True)
class TaskRights:
    """Everything one actor may do with one task, decided at once."""

    see: bool = False
    complete: bool = False
    claim: bool = False
    release: bool = False
    hand_over: bool = False
    manage: bool = False
    reassign: bool = False  # give it to a named person directly (holder, manager, or an administrator)


NO_RIGHTS = TaskRights()


@dataclass(frozen=True)
class TaskPolicy:
    """``manager_roles`` reassign any task in the units where they hold the role; ``personal_roles`` mark tasks
    that belong to one person; ``admin_roles`` may reassign any task of their school (handing over a leaving
    person's work) without seeing it in their inbox."""

    manager_roles: frozenset[str] = frozenset()
    personal_roles: frozenset[str] = frozenset()
    admin_roles: frozenset[str] = frozenset()

    def rights(self, actor: ActorLike, row: TaskLike) -> TaskRights:
        """What ``actor`` may do with ``row``; nothing at all for a task of another school."""
        if not actor.in_school(row.school_id):
            return NO_RIGHTS
        complete = self._may_complete(actor, row)
        manage = self._manages(actor, row)
        holds = row.assignee_id is not None and row.assignee_id == actor.id
        shared = row.role is not None and row.role not in self.personal_roles
        in_group = row.assignee_id is None and not row.candidate_ids and actor.takes(row.role, row.org_unit_id)
        return TaskRights(
            see=complete or manage or holds,
            complete=complete,
            claim=complete and row.assignee_id is None and shared,  # a personal task is never taken from the others
            release=holds and shared,
            hand_over=shared and (holds or in_group or manage),
            manage=manage,
            reassign=holds or manage or any(actor.may(role, None) for role in self.admin_roles),
        )

    def may_complete(self, actor: ActorLike, row: TaskLike) -> bool:
        return self.rights(actor, row).complete

    def manages(self, actor: ActorLike, row: TaskLike) -> bool:
        return self.rights(actor, row).manage

    @staticmethod
    def _may_complete(actor: ActorLike, row: TaskLike) -> bool:
        """The assignee; else, when the task lists candidates, one of them and nobody else; else a holder of the
        task's role in its unit (any unit when the task names none)."""
        if row.assignee_id is not None:
            return actor.id == row.assignee_id
        if row.candidate_ids:
            return actor.id is not None and actor.id in row.candidate_ids
        return actor.takes(row.role, row.org_unit_id)

    def _manages(self, actor: ActorLike, row: TaskLike) -> bool:
        if row.role in self.personal_roles:
            return False
        return any(actor.may(role, row.org_unit_id) for role in self.manager_roles)
