"""The supervision board: task trees with rolled-up progress, colour, owner and last report."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session, aliased

from workflows.delegation.enums import TaskStatus
from workflows.delegation.models import DelegatedTask, ProgressReport


@dataclass
class Node:
    task: DelegatedTask
    children: list[Node] = field(default_factory=list)
    last_report: ProgressReport | None = None

    @property
    def progress(self) -> int:
        """A closed task is done; a task split into sub-tasks is as far as their mean; else its own report."""
        if self.task.status == TaskStatus.closed:
            return 100
        if self.children:
            return round(sum(child.progress for child in self.children) / len(self.children))
        return self.task.progress

    @property
    def open_children(self) -> int:
        return sum(child.task.status != TaskStatus.closed for child in self.children)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Node]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def _linked(tasks: Iterable[DelegatedTask], reports: Iterable[ProgressReport]) -> tuple[dict[int, Node], list[Node]]:
    """The tasks as nodes by id, each under its parent when the parent is among them (in the order given), each with
    its report among ``reports`` (the last of each task's, :func:`_last_reports`); and the nodes whose parent is not
    among them."""
    nodes = {t.id: Node(t) for t in tasks}
    for report in reports:
        if report.task_id in nodes:
            nodes[report.task_id].last_report = report
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.task.parent_id) if node.task.parent_id else None
        (parent.children if parent else roots).append(node)
    return nodes, roots


def _last_reports(session: Session, task_ids: Select[Any]) -> Iterable[ProgressReport]:
    """The last report of each task whose id ``task_ids`` selects, picked in the database: never a task's history."""
    latest = (select(ProgressReport.id, func.row_number().over(
        partition_by=ProgressReport.task_id, order_by=(ProgressReport.created_at.desc(), ProgressReport.id.desc())
    ).label("recency")).where(ProgressReport.task_id.in_(task_ids)).subquery())
    return session.scalars(select(ProgressReport).join(latest, latest.c.id == ProgressReport.id)
                           .where(latest.c.recency == 1))


def forest(session: Session, *, school_id: int) -> list[Node]:
    """Every open root task of the school (with all sub-tasks below it), most urgent deadline first."""
    tasks = list(session.scalars(select(DelegatedTask).where(DelegatedTask.school_id == school_id)
                                 .order_by(DelegatedTask.deadline, DelegatedTask.id)))
    _nodes, roots = _linked(tasks, _last_reports(session, select(DelegatedTask.id)
                                                 .where(DelegatedTask.school_id == school_id)))
    return [r for r in roots if r.task.status != TaskStatus.closed]


def subtrees(session: Session, chosen: Select[int]) -> dict[int, Node]:
    """The tasks whose ids ``chosen`` selects, each with its sub-tasks at every depth (their progress rolls up), by
    id, and those sub-tasks too; each with its last report. Two queries whatever the number of tasks or the depth
    (one recursive query for the tasks, one for their last reports): only those tasks are read, never the school's
    whole forest."""
    below = select(DelegatedTask.id).where(DelegatedTask.id.in_(chosen)).cte("below", recursive=True)
    below = below.union(select(DelegatedTask.id).where(DelegatedTask.parent_id == below.c.id))
    tasks = session.scalars(select(DelegatedTask).where(DelegatedTask.id.in_(select(below.c.id)))
                            .order_by(DelegatedTask.deadline, DelegatedTask.id)).all()
    nodes, _roots = _linked(tasks, _last_reports(session, select(below.c.id)))
    return nodes


def tasks_query(*, school_id: int, status: str | None = None) -> Select[*tuple[Any, ...]]:  # paged() reads it whole
    """The school's tasks at every depth with their parent's number, most urgent deadline first (the API's list)."""
    parent = aliased(DelegatedTask)
    stmt = (select(DelegatedTask, parent.number).outerjoin(parent, parent.id == DelegatedTask.parent_id)
            .where(DelegatedTask.school_id == school_id).order_by(DelegatedTask.deadline, DelegatedTask.id))
    return stmt.where(DelegatedTask.status == status) if status else stmt


def subtree(session: Session, task: DelegatedTask) -> Node:
    """``task`` with its sub-tasks at every depth."""
    node = subtrees(session, select(literal(task.id))).get(task.id)
    if node is None:
        raise LookupError(task.id)
    return node


def reports(session: Session, task: DelegatedTask) -> list[ProgressReport]:
    return list(session.scalars(select(ProgressReport).where(ProgressReport.task_id == task.id)
                                .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())))


def kept_item(session: Session, task: DelegatedTask, stored: str) -> dict | None:
    """The attachment or report evidence of ``task`` stored under ``stored``, if there is one."""
    items = [*task.attachments, *(item for report in reports(session, task) for item in report.evidence)]
    return next((item for item in items if isinstance(item, dict) and item.get("stored") == stored), None)
