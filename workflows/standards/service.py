"""Writing the standards library: a document's first version, each new version (the old ones stay readable),
reading a version, searching, and the items a repair task's service shows its worker.

Items are written one a line, optionally starting with their number (``1.2 公共区域每日清扫两次``); lines without a
number are numbered in order. Search is a substring search over the current version's title and items, so a
Chinese word finds what it is part of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine import audit
from engine.clock import now
from engine.db import get_locked
from workflows.catalogue.models import CatalogueItem
from workflows.errors import FieldError
from workflows.people.models import User
from workflows.standards.enums import ServiceType, StandardAction
from workflows.standards.models import StandardDocument, StandardVersion

NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)[.、\s]\s*(.+)$")
MAX_ITEMS = 200


class StandardError(FieldError):
    """The document cannot be saved as written; ``field`` names the input at fault."""


@dataclass(frozen=True)
class Writing:
    """What the edit page sends for a version."""

    title: str
    items: str  # one item a line
    note: str = ""


def parse_items(lines: str) -> list[dict]:
    """``[{"number": "1", "text": …}]`` from one item a line; a line's own number is kept."""
    items: list[dict] = []
    for line in (raw.strip() for raw in lines.splitlines()):
        if not line:
            continue
        match = NUMBERED.match(line)
        number, text = (match.group(1), match.group(2).strip()) if match else (str(len(items) + 1), line)
        items.append({"number": number, "text": text})
    return items


def _version(document: StandardDocument, writing: Writing, author: User, version: int) -> StandardVersion:
    items = parse_items(writing.items)
    if not writing.title.strip():
        raise StandardError("title", "a standard needs a title")
    if not items or len(items) > MAX_ITEMS:
        raise StandardError("items", "one to 200 items, one a line")
    search_text = "\n".join([writing.title.strip(), *(f"{item['number']} {item['text']}" for item in items)])
    return StandardVersion(school_id=document.school_id, document_id=document.id, version=version,
                           title=writing.title.strip(), items=items, note=writing.note.strip(),
                           search_text=search_text, created_by_id=author.id, created_at=now())


def _check_item(session: Session, school_id: int, catalogue_item_id: int | None) -> None:
    if catalogue_item_id is None:
        return
    item = session.get(CatalogueItem, catalogue_item_id)
    if item is None or item.school_id != school_id:
        raise StandardError("catalogue_item_id", "not of this school's catalogue")


def create(session: Session, *, school_id: int, code: str, service_type: str, catalogue_item_id: int | None,
           writing: Writing, author: User) -> StandardDocument:
    if not code.strip():
        raise StandardError("code", "a standard needs a code")
    if service_type not in set(ServiceType):
        raise StandardError("service_type", "unknown service type")
    _check_item(session, school_id, catalogue_item_id)
    if session.scalar(select(StandardDocument.id).where(StandardDocument.school_id == school_id,
                                                        StandardDocument.code == code.strip())):
        raise StandardError("code", "this code is taken")
    document = StandardDocument(school_id=school_id, code=code.strip(), service_type=service_type,
                                catalogue_item_id=catalogue_item_id, current_version=1, created_at=now())
    session.add(document)
    session.flush()
    session.add(_version(document, writing, author, 1))
    audit.record(session, action=StandardAction.created, actor=author.username, school_id=school_id,
                 business_key=document.code, details={"version": 1, "title": writing.title.strip()})
    return document


def revise(session: Session, document: StandardDocument, *, writing: Writing, author: User,
           catalogue_item_id: int | None) -> StandardVersion:
    """A new version; the document row is locked so two editors at once make two versions, not one lost."""
    locked = get_locked(session, StandardDocument, document.id)
    assert locked is not None
    _check_item(session, locked.school_id, catalogue_item_id)
    if not writing.note.strip():
        raise StandardError("note", "say what changed")
    version = _version(locked, writing, author, locked.current_version + 1)
    session.add(version)
    locked.current_version, locked.catalogue_item_id = version.version, catalogue_item_id
    audit.record(session, action=StandardAction.revised, actor=author.username, school_id=locked.school_id,
                 business_key=locked.code, details={"version": version.version, "note": version.note})
    return version


def by_code(session: Session, *, school_id: int, code: str) -> StandardDocument | None:
    return session.scalar(select(StandardDocument).where(StandardDocument.school_id == school_id,
                                                         StandardDocument.code == code))


def version_of(session: Session, document: StandardDocument, version: int | None = None) -> StandardVersion | None:
    """One version (the current one by default)."""
    return session.scalar(select(StandardVersion).where(StandardVersion.document_id == document.id,
                                                        StandardVersion.version == (version or document.current_version)))


def versions(session: Session, document: StandardDocument) -> list[StandardVersion]:
    return list(session.scalars(select(StandardVersion).where(StandardVersion.document_id == document.id)
                                .order_by(StandardVersion.version.desc())))


def with_current_version(school_id: int) -> Select[StandardDocument, StandardVersion]:
    """The school's documents, each with its current version, by code: the select every listing of the library (a
    search, a service's standards, the picker of standard items) starts from."""
    return (select(StandardDocument, StandardVersion)
            .join(StandardVersion, (StandardVersion.document_id == StandardDocument.id)
                  & (StandardVersion.version == StandardDocument.current_version))
            .where(StandardDocument.school_id == school_id).order_by(StandardDocument.code))


def _like(words: str) -> str:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(session: Session, *, school_id: int, words: str = "",
           service_type: str | None = None) -> list[tuple[StandardDocument, StandardVersion]]:
    """The school's documents (current versions) whose title or items contain ``words``, by code."""
    stmt = with_current_version(school_id)
    if words.strip():
        stmt = stmt.where(StandardVersion.search_text.ilike(_like(words.strip()), escape="\\"))
    if service_type:
        stmt = stmt.where(StandardDocument.service_type == service_type)
    return [(document, version) for document, version in session.execute(stmt)]


def for_service(session: Session, *, school_id: int, catalogue_item_id: int) -> list[tuple[StandardDocument, StandardVersion]]:
    """The current standards of a service item and of its category (what a worker on such a job should meet)."""
    item = session.get(CatalogueItem, catalogue_item_id)
    if item is None or item.school_id != school_id:
        return []
    ids = [item.id] + ([item.parent_id] if item.parent_id else [])
    stmt = with_current_version(school_id).where(StandardDocument.catalogue_item_id.in_(ids))
    return [(document, version) for document, version in session.execute(stmt)]
