"""A business object's timeline: who did what, with their notes, as its process module declares it.

The audit log keeps every row an object's processes wrote (:func:`audit_rows`; the instance viewer shows them
all). Its pages and the API show only the business events (:func:`business`): the module's own actions and
the engine rows people act on (:mod:`workflows.modules.engine_events`), each described by its module;
reminders folded into one line per kind with their count; actors as the names people know. :func:`as_dicts`
gives them the one shape pages and the API share, in the reader's language.
"""
from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.i18n import N_, Message, translate
from workflows.modules.contract import BusinessTimeline, ProcessModule, Said
from workflows.modules.engine_events import shared_describers
from workflows.people.models import User

SYSTEM = "system"  # the actor of steps nobody did by hand (timers, the engine)


def audit_rows(session: Session, *, school_id: int, key: str) -> list[AuditEvent]:
    """Every audit row filed under the business key in its school, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == key, AuditEvent.school_id == school_id)
                                .order_by(AuditEvent.at, AuditEvent.id)))


@dataclass(frozen=True)
class Entry:
    """One line of a business timeline; a folded reminder line has ``kind``, its ``count`` and the ``first_at``."""

    at: datetime
    action: str
    label: Message
    actor: str | None
    said: Said
    kind: str | None = None
    count: int = 1
    first_at: datetime | None = None


def _reminder_kind(row: AuditEvent, reminders: Container[str]) -> str | None:
    """The kind of reminder a row is (its action, or the diagram element of the step it passed), or None."""
    if row.action in reminders:
        return row.action
    element = (row.details or {}).get("element") if row.action == AuditAction.STEP_COMPLETED else None
    return element if element in reminders else None


def business(session: Session, module: ProcessModule, *, school_id: int, key: str) -> list[Entry]:
    """The business events of ``module``'s object ``key``, oldest first; each kind of reminder is one line where
    its last one happened."""
    spec: BusinessTimeline = module.timeline
    describers = {**shared_describers(spec.deadlines), **spec.describe}
    folded: dict[str, list[AuditEvent]] = {}
    shown: list[tuple[AuditEvent, str | None]] = []
    for row in audit_rows(session, school_id=school_id, key=key):
        kind = _reminder_kind(row, spec.reminders)
        if kind is not None:
            folded.setdefault(kind, []).append(row)
        if kind is not None or row.action in module.actions or row.action in describers:
            shown.append((row, kind))
    steps = [row for row, kind in shown if kind is None]
    records = spec.records(session, school_id=school_id, key=key, rows=steps) if spec.records is not None else None
    entries = []
    for row, kind in shown:
        if kind is not None:
            group = folded[kind]
            if row is group[-1]:
                entries.append(Entry(at=row.at, action=row.action, label=spec.reminders[kind], actor=None, said=Said(),
                                     kind=kind, count=len(group), first_at=group[0].at))
            continue
        describe = describers.get(row.action)
        said = describe(row, records) if describe is not None else Said()
        if said is not None:
            label = said.label or module.actions.get(row.action) or row.action
            entries.append(Entry(at=row.at, action=row.action, label=label, actor=row.actor, said=said))
    return entries


def on_its_own(_row: AuditEvent, _records: Any) -> Said:
    """Describes a step the process took on its own (closing after the last step), written in the advance of
    whoever acted before it: their name does not go with it."""
    return Said(automatic=True)


def user_id(label: str | None) -> int | None:
    """The user id in an audit actor label (``username#id``), if it has one."""
    _name, sep, raw_id = (label or "").rpartition("#")
    return int(raw_id) if sep and raw_id.isdigit() else None


def people_named(session: Session, *, school_id: int, ids: Iterable[int | None] = (),
                 usernames: Iterable[str] = ()) -> tuple[dict[int, str], dict[str, str]]:
    """Display names of the school's users, by id and by username, in one query. The audit log keeps stable labels;
    people reading a timeline want the names they know. Users of other schools are left out."""
    wanted_ids, wanted_names = {i for i in ids if i}, set(usernames)
    if not wanted_ids and not wanted_names:
        return {}, {}
    rows = session.execute(select(User.id, User.username, User.display_name).where(
        User.school_id == school_id, or_(User.id.in_(wanted_ids), User.username.in_(wanted_names))))
    by_id, by_username = {}, {}
    for uid, username, name in rows:
        by_id[uid], by_username[username] = name, name
    return by_id, by_username


def as_dicts(session: Session, entries: list[Entry], *, school_id: int, locale: str) -> list[dict[str, Any]]:
    """The entries as pages and the API show them: names for people, every label in ``locale``."""
    labels = {e.actor for e in entries if e.actor and e.actor != SYSTEM}
    ids = {user_id(label) for label in labels} | {e.said.by for e in entries} | {
        uid for e in entries for _part, uid in e.said.people}
    by_id, by_username = people_named(session, school_id=school_id, ids=ids,
                                      usernames={label for label in labels if user_id(label) is None})

    def say(message: Message | None) -> str | None:
        return translate(message, locale) if message else None

    def who(entry: Entry) -> str | None:
        if entry.said.automatic:
            return None
        if entry.said.by is not None:
            return by_id.get(entry.said.by)
        if entry.actor == SYSTEM:
            return say(N_("System"))
        uid = user_id(entry.actor)
        return by_id.get(uid) if uid is not None else by_username.get(entry.actor or "")

    return [{
        "at": e.at.isoformat(), "action": e.action, "kind": e.kind, "what": say(e.label), "who": who(e),
        "count": e.count, "first_at": e.first_at.isoformat() if e.first_at else None,
        "outcome": say(e.said.outcome), "warning": e.said.warning,
        "notes": [{"label": say(part), "text": by_id[uid]} for part, uid in e.said.people if uid in by_id]
        + [{"label": say(n.label), "text": say(n.text) if n.word else n.text} for n in e.said.notes if n.text],
        "stars": e.said.stars, "colour": e.said.colour, "photos": list(e.said.photos),
        "task": say(e.said.task),
        "moved": {"from": e.said.moved[0], "to": e.said.moved[1]} if e.said.moved else None,
    } for e in entries]


def business_dicts(session: Session, module: ProcessModule, *, school_id: int, key: str, locale: str) -> list[dict[str, Any]]:
    """:func:`business` as :func:`as_dicts`: what an object's page, task panel and API resource show."""
    return as_dicts(session, business(session, module, school_id=school_id, key=key), school_id=school_id, locale=locale)
