"""Inbox queries over the human-task projection and the audit log (never over workflow state).

Four tabs, each one SQL query on indexed columns, with counts, filters, sorting and pages:

- ``mine``: assigned to the actor, or unassigned and listing the actor as a candidate;
- ``group``: unassigned, listing no candidates (a task that lists some is theirs alone), open to a role the actor
  holds in the task's unit;
- ``delegated``: still open, handed to someone else by the actor (audit ``task.reassigned``/``task.delegated``);
- ``completed``: ``task.completed`` audit rows of the actor.

``mine`` and ``group`` together are exactly the tasks :meth:`engine.policy.TaskPolicy.may_complete` allows. The domain
narrows lists by what only it knows (order colour, campus, requester) by passing a SELECT of business keys
(:attr:`TaskFilter.only_keys`, :attr:`TaskFilter.search_keys`); the engine never learns what they mean.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, cast, exists, false, func, or_, select, true, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import QueryableAttribute, Session

from engine.actor import Actor
from engine.audit_actions import AuditAction
from engine.models import AuditEvent, HumanTask, ProcessDefinition, ProcessInstance
from engine.paging import PER_PAGE, Page, paged

TABS = ("mine", "group", "delegated", "completed")
OPEN_TABS = ("mine", "group", "delegated")
DELEGATION_ACTIONS = (AuditAction.TASK_REASSIGNED, AuditAction.TASK_DELEGATED)
SORTS = ("due", "created", "title", "key")


@dataclass(frozen=True)
class TaskFilter:
    """What the inbox narrows a tab by; every part is optional and they combine with AND.

    ``search`` matches part of the business key, or any key in ``search_keys`` (a SELECT of business keys the
    domain found for the same words, e.g. orders of a requester with that name). ``only_keys`` keeps tasks
    whose business key is in it (a SELECT or a collection).
    """

    process_key: str | None = None
    title: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    overdue: bool = False
    search: str | None = None
    search_keys: Any = None
    only_keys: Any = None


# --- who may see what -----------------------------------------------------------------------

def _school(actor: Actor) -> ColumnElement[bool]:
    if actor.school_id is None:
        return true()
    return or_(HumanTask.school_id == actor.school_id, HumanTask.school_id.is_(None))


def _candidate(actor: Actor, dialect: str) -> ColumnElement[bool]:
    """SQL for "the actor is listed in ``candidate_ids``" (a JSON list), on SQLite and PostgreSQL."""
    if actor.id is None:
        return false()
    if dialect == "postgresql":
        return type_coerce(HumanTask.candidate_ids, JSONB).contains([actor.id])  # the GIN index's @>
    if dialect == "sqlite":
        each = func.json_each(HumanTask.candidate_ids).table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value == actor.id))
    # elsewhere: the JSON text of the list, e.g. "[3, 12]", holds the id as a whole number
    text = func.replace(func.replace(func.replace(cast(HumanTask.candidate_ids, String), "[", ","), "]", ","), " ", "")
    return text.contains(f",{actor.id},")


def _grants(actor: Actor) -> ColumnElement[bool]:
    """SQL for ``actor.takes(role, org_unit_id)``: a role held everywhere, or in the task's unit, or anywhere when the
    task names no unit."""
    everywhere = sorted({role for role, unit in actor.grants if unit is None})
    anywhere = sorted({role for role, _unit in actor.grants} - set(everywhere))
    by_role: dict[str, set[int]] = {}
    for role, unit in actor.grants:
        if unit is not None and role not in everywhere:
            by_role.setdefault(role, set()).add(unit)
    clauses: list[ColumnElement[bool]] = [HumanTask.role.in_(everywhere)] if everywhere else []
    clauses += [and_(HumanTask.role == role, HumanTask.org_unit_id.in_(sorted(units))) for role, units in sorted(by_role.items())]
    if anywhere:
        clauses.append(and_(HumanTask.org_unit_id.is_(None), HumanTask.role.in_(anywhere)))
    return or_(*clauses) if clauses else false()


def _mine(actor: Actor, dialect: str) -> ColumnElement[bool]:
    if actor.id is None:
        return false()
    return or_(HumanTask.assignee_id == actor.id, and_(HumanTask.assignee_id.is_(None), _candidate(actor, dialect)))


def _no_candidates(dialect: str) -> ColumnElement[bool]:
    """SQL for "``candidate_ids`` lists nobody" (an empty JSON list, or none at all)."""
    if dialect == "postgresql":
        empty = func.jsonb_array_length(type_coerce(HumanTask.candidate_ids, JSONB)) == 0
    elif dialect == "sqlite":
        empty = func.json_array_length(HumanTask.candidate_ids) == 0
    else:  # elsewhere: the JSON text of an empty list
        empty = func.replace(cast(HumanTask.candidate_ids, String), " ", "") == "[]"
    return or_(HumanTask.candidate_ids.is_(None), empty)


def _group(actor: Actor, dialect: str) -> ColumnElement[bool]:
    return and_(HumanTask.assignee_id.is_(None), _no_candidates(dialect), _grants(actor))


def _delegated(actor: Actor) -> ColumnElement[bool]:
    handed = (select(AuditEvent.id).where(AuditEvent.instance_id == HumanTask.instance_id,
                                         AuditEvent.task_id == HumanTask.id, AuditEvent.actor == actor.label,
                                         AuditEvent.action.in_(DELEGATION_ACTIONS)).correlate(HumanTask).exists())
    still_elsewhere = or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id != actor.id) if actor.id is not None else true()
    return and_(handed, still_elsewhere)


def tab_clause(session: Session, actor: Actor, tab: str) -> ColumnElement[bool]:
    """The WHERE clause of an open-task tab (``mine``, ``group``, ``delegated``), school included."""
    dialect = session.get_bind().dialect.name
    clauses = {"mine": lambda: _mine(actor, dialect), "group": lambda: _group(actor, dialect),
               "delegated": lambda: _delegated(actor)}
    if tab not in clauses:
        raise ValueError(f"unknown inbox tab {tab!r}")
    return and_(_school(actor), clauses[tab]())


def may_do_clause(session: Session, actor: Actor) -> ColumnElement[bool]:
    """Tasks the actor may complete now (``mine`` or ``group``)."""
    dialect = session.get_bind().dialect.name
    return and_(_school(actor), or_(_mine(actor, dialect), _group(actor, dialect)))


# --- filters and sorting --------------------------------------------------------------------

def _keys_in(column: QueryableAttribute[str | None], keys: Any) -> ColumnElement[bool]:
    return column.in_(keys) if keys is not None else true()


def _task_filters(flt: TaskFilter, at: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.process_key:
        conditions.append(HumanTask.process_key == flt.process_key)
    if flt.title:
        conditions.append(HumanTask.title == flt.title)
    if flt.created_from:
        conditions.append(HumanTask.created_at >= flt.created_from)
    if flt.created_before:
        conditions.append(HumanTask.created_at < flt.created_before)
    if flt.overdue:
        conditions.append(HumanTask.due_at < at)
    if flt.search:
        match = HumanTask.business_key.icontains(flt.search, autoescape=True)
        conditions.append(or_(match, _keys_in(HumanTask.business_key, flt.search_keys)) if flt.search_keys is not None else match)
    if flt.only_keys is not None:
        conditions.append(HumanTask.business_key.in_(flt.only_keys))
    return conditions


def _task_order(sort: str, descending: bool) -> list[ColumnElement[Any] | QueryableAttribute[Any]]:
    column: QueryableAttribute[Any]
    if sort == "created":
        column = HumanTask.created_at
    elif sort == "title":
        column = HumanTask.title
    elif sort == "key":
        column = HumanTask.business_key
    else:  # due: tasks without a due time last, whichever the direction
        return [HumanTask.due_at.is_(None), HumanTask.due_at.desc() if descending else HumanTask.due_at,
                HumanTask.created_at, HumanTask.id]
    return [column.desc() if descending else column, HumanTask.id]


def task_page(session: Session, actor: Actor, *, tab: str, at: datetime, flt: TaskFilter = TaskFilter(),
              sort: str = "due", descending: bool = False, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of an open-task tab; ``page`` is clamped to the pages that exist."""
    where = [tab_clause(session, actor, tab), *_task_filters(flt, at)]
    stmt = select(HumanTask).where(*where).order_by(*_task_order(sort, descending))
    return paged(session, stmt, select(func.count(HumanTask.id)).where(*where), page, per_page)


def _completed_where(actor: Actor, flt: TaskFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AuditEvent.actor == actor.label, AuditEvent.action == AuditAction.TASK_COMPLETED]
    if flt.process_key:
        conditions.append(AuditEvent.instance_id.in_(
            select(ProcessInstance.id).where(ProcessInstance.process_key == flt.process_key)))
    if flt.title:
        conditions.append(AuditEvent.task_name == flt.title)
    if flt.created_from:
        conditions.append(AuditEvent.at >= flt.created_from)
    if flt.created_before:
        conditions.append(AuditEvent.at < flt.created_before)
    if flt.search:
        match = AuditEvent.business_key.icontains(flt.search, autoescape=True)
        conditions.append(or_(match, _keys_in(AuditEvent.business_key, flt.search_keys)) if flt.search_keys is not None else match)
    if flt.only_keys is not None:
        conditions.append(AuditEvent.business_key.in_(flt.only_keys))
    return conditions


def completed_page(session: Session, actor: Actor, *, flt: TaskFilter = TaskFilter(), sort: str = "created",
                   descending: bool = True, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the actor's ``task.completed`` audit rows (newest first by default)."""
    where = _completed_where(actor, flt)
    column = {"title": AuditEvent.task_name, "key": AuditEvent.business_key}.get(sort, AuditEvent.at)
    stmt = select(AuditEvent).where(*where).order_by(column.desc() if descending else column,
                                                     AuditEvent.id.desc() if descending else AuditEvent.id)
    return paged(session, stmt, select(func.count(AuditEvent.id)).where(*where), page, per_page)


# --- counts and look-ups --------------------------------------------------------------------

def counts(session: Session, actor: Actor, *, at: datetime) -> dict[str, int]:
    """Tasks per tab, plus ``open`` (mine + group: what the actor may do now) and ``overdue`` among those."""
    dialect = session.get_bind().dialect.name
    mine, group = _mine(actor, dialect), _group(actor, dialect)
    # one pass over the tasks the actor may do gives mine, group and overdue (a round trip each before)
    result = dict(zip(("mine", "group", "overdue"), session.execute(
        select(func.count(HumanTask.id).filter(mine), func.count(HumanTask.id).filter(group),
               func.count(HumanTask.id).filter(HumanTask.due_at < at))
        .where(_school(actor), or_(mine, group))).one(), strict=True))
    result["delegated"] = session.scalar(select(func.count(HumanTask.id)).where(tab_clause(session, actor, "delegated"))) or 0
    result["completed"] = session.scalar(select(func.count(AuditEvent.id)).where(*_completed_where(actor, TaskFilter()))) or 0
    result["open"] = result["mine"] + result["group"]
    return result


def titles(session: Session, actor: Actor, *, tab: str) -> list[str]:
    """The task types (titles) present in a tab, for its filter list."""
    if tab == "completed":
        stmt = select(AuditEvent.task_name).where(*_completed_where(actor, TaskFilter())).distinct()
    else:
        stmt = select(HumanTask.title).where(tab_clause(session, actor, tab)).distinct()
    return sorted(filter(None, session.scalars(stmt)))


def processes(session: Session) -> list[tuple[str, str]]:
    """(process key, name) of every active process definition, for the filter list."""
    rows = session.execute(select(ProcessDefinition.process_key, ProcessDefinition.name)
                           .where(ProcessDefinition.active.is_(True)).order_by(ProcessDefinition.name))
    return [(key, name) for key, name in rows]


def next_task(session: Session, actor: Actor, *, business_key: str | None = None,
              exclude: str | None = None) -> HumanTask | None:
    """Where to go after completing a task: the most urgent open task of the same business key the actor may do,
    else the most urgent task of the ``mine`` tab; None when there is neither. ``exclude`` is a task id to skip."""
    skip = [HumanTask.id != exclude] if exclude else []
    if business_key:
        same = session.scalars(select(HumanTask).where(*skip, may_do_clause(session, actor),
                                                       HumanTask.business_key == business_key)
                               .order_by(*_task_order("due", False)).limit(1)).first()
        if same is not None:
            return same
    return session.scalars(select(HumanTask).where(*skip, tab_clause(session, actor, "mine"))
                           .order_by(*_task_order("due", False)).limit(1)).first()


_OPEN_OF = (select(HumanTask).where(HumanTask.business_key == bindparam("key"), HumanTask.school_id == bindparam("school"))
            .order_by(HumanTask.created_at, HumanTask.id))  # built once: every answer that changes an object asks it


def open_of(session: Session, *, school_id: int, business_key: str) -> list[HumanTask]:
    """Every open task of one business object (an order, with its appeal), oldest first: what comes next for it."""
    return list(session.scalars(_OPEN_OF, {"key": business_key, "school": school_id}))


def open_tasks_by_key(session: Session, actor: Actor, business_keys: set[str]) -> dict[str, str]:
    """For each business key, the id of the most urgent open task the actor may do (notification links)."""
    if not business_keys:
        return {}
    rows = session.scalars(select(HumanTask).where(may_do_clause(session, actor), HumanTask.business_key.in_(business_keys))
                           .order_by(*_task_order("due", False)))
    found: dict[str, str] = {}
    for row in rows:
        if row.business_key is not None:  # always: the query asked for these keys
            found.setdefault(row.business_key, row.id)
    return found


def may_do_page(session: Session, actor: Actor, *, process_key: str | None = None, page: int = 1,
                per_page: int = PER_PAGE) -> Page:
    """One page of the open tasks ``actor`` may complete, filtered by process before paging, with the total."""
    where = [may_do_clause(session, actor)]
    if process_key:
        where.append(HumanTask.process_key == process_key)
    stmt = select(HumanTask).where(*where).order_by(*_task_order("due", False))
    return paged(session, stmt, select(func.count(HumanTask.id)).where(*where), page, per_page)
