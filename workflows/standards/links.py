"""Links from other modules' lines (an inspection checklist item, a work plan's checklist line) to one item of the
standards library, and what such a link shows.

A standard's items have no rows of their own: each version is a new ``StandardVersion`` row whose items are
numbered (``1.2``), and the edit page writes the next version starting from the current items with their numbers.
So a link is the **document and the item's number**: a new version that carries the item on (reworded or not)
keeps its number, and the link shows the current wording without anyone re-linking. Should a later version drop
the number, the link shows the last version that still had it, marked as no longer current, rather than pointing
at whatever now carries that number's neighbour. A document of another school is refused, never stored.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.standards.models import StandardDocument, StandardVersion
from workflows.standards.service import version_of, with_current_version

MARKER = re.compile(r"\s*[\[【]\s*([^\s\[\]【】]+)\s+(\d+(?:\.\d+)*)\s*[\]】]\s*$")


class LinkError(FieldError):
    """The standard item cannot be linked: not in this school's library, or no such item number."""


@dataclass(frozen=True)
class StandardRef:
    """What a line stores: the document and the item's number (see the module's docstring for why)."""

    document_id: int
    number: str

    @property
    def value(self) -> str:
        """The picker's value for this item (``12:1.2``)."""
        return f"{self.document_id}:{self.number}"

    @staticmethod
    def parse(value: str | None) -> StandardRef | None:
        """The reference a picker sent, None for none; LinkError for a value no picker makes."""
        if not value:
            return None
        document, _sep, number = value.partition(":")
        if not document.isdigit() or not number:
            raise LinkError("standard_ref", N_("not a standard item"))
        return StandardRef(int(document), number)


@dataclass(frozen=True)
class LinkedItem:
    """What a linked line shows: the document's code and title, the item's number and text, the version it was read
    from and whether that is still the current one."""

    code: str
    title: str
    number: str
    text: str
    version: int
    current: bool


def _text_of(version: StandardVersion, number: str) -> str | None:
    return next((item["text"] for item in version.items if item.get("number") == number), None)


def check(session: Session, *, school_id: int, ref: StandardRef | None, field: str) -> None:
    """LinkError (on ``field``) unless ``ref`` is none or an item of the current version of this school's document."""
    if ref is None:
        return
    document = session.get(StandardDocument, ref.document_id)
    if document is None or document.school_id != school_id:
        raise LinkError(field, N_("not a standard of this school"))
    version = version_of(session, document)
    if version is None or _text_of(version, ref.number) is None:
        raise LinkError(field, N_("no such item in the standard"))


def resolve(session: Session, *, school_id: int, refs: Iterable[StandardRef | None]) -> dict[StandardRef, LinkedItem]:
    """What each reference shows now: the current version's item, or the last version that still had it."""
    wanted = {ref for ref in refs if ref is not None}
    if not wanted:
        return {}
    documents = {d.id: d for d in session.scalars(select(StandardDocument).where(
        StandardDocument.school_id == school_id, StandardDocument.id.in_({ref.document_id for ref in wanted})))}
    versions: dict[int, list[StandardVersion]] = {}
    for version in session.scalars(select(StandardVersion).where(StandardVersion.document_id.in_(documents))
                                   .order_by(StandardVersion.version.desc())):
        versions.setdefault(version.document_id, []).append(version)
    shown: dict[StandardRef, LinkedItem] = {}
    for ref in wanted:
        document = documents.get(ref.document_id)
        for version in versions.get(ref.document_id, []) if document is not None else []:
            text = _text_of(version, ref.number)
            if text is not None and document is not None:
                shown[ref] = LinkedItem(code=document.code, title=version.title, number=ref.number, text=text,
                                        version=version.version, current=version.version == document.current_version)
                break
    return shown


def choices(session: Session, *, school_id: int, service_type: str | None = None) -> list[tuple[str, str]]:
    """The picker's ``(value, label)`` pairs: every item of the school's current standards, those of
    ``service_type`` first, then by code and the items' order."""
    rows: list[tuple[StandardDocument, StandardVersion]] = sorted(
        ((document, version) for document, version in session.execute(with_current_version(school_id))),
        key=lambda row: row[0].service_type != service_type)  # stable: by code within each group
    return [(StandardRef(document.id, item["number"]).value, f"{document.code} {item['number']} {item['text']}"[:120])
            for document, version in rows for item in version.items]


def split_marker(line: str, session: Session, *, school_id: int, field: str) -> tuple[str, StandardRef | None]:
    """A plain-text line and the standard item its trailing ``[code number]`` names (``清扫大厅 [BJ-01 1.2]``), so
    lines typed in a form or a spreadsheet link too; LinkError for a code or item this school does not have."""
    match = MARKER.search(line)
    if match is None:
        return line.strip(), None
    document = session.scalar(select(StandardDocument).where(StandardDocument.school_id == school_id,
                                                             StandardDocument.code == match.group(1)))
    if document is None:
        raise LinkError(field, N_("not a standard of this school"))
    ref = StandardRef(document.id, match.group(2))
    check(session, school_id=school_id, ref=ref, field=field)
    return line[:match.start()].strip(), ref


def marker(linked: LinkedItem | None) -> str:
    """The ``[code number]`` a line is written back with on its edit form."""
    return f" [{linked.code} {linked.number}]" if linked is not None else ""
