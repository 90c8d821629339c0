"""Inspection rounds: a spot check started on the spot (随机抽查) or a round a schedule planned, carried out on
the phone page item by item, then scored; every failed item becomes a finding with its own process, and so does
every problem the inspector reports beside the checklist (one the checklist has no item for).

Everything a round touches belongs to the round's school, and only the school's inspectors (the rule
``inspections.inspector.role``) start or carry out rounds; a refused round stores nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.advance import start
from engine.clock import now
from engine.db import get_locked
from engine.host import Host
from rules.book import RuleBook
from workflows.catalogue.models import Building
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.inspections.checklists import active_items
from workflows.inspections.enums import (
    FindingStatus,
    InspectionAction,
    ReportPart,
    RoundKind,
    RoundStatus,
    Scoring,
    Severity,
    WhyNotRecorded,
)
from workflows.inspections.models import (
    InspectionFinding,
    InspectionItem,
    InspectionResult,
    InspectionRound,
    InspectionTemplate,
)
from workflows.numbering import day_number, store_numbered
from workflows.people.models import OrgUnit, User
from workflows.people.service import role_names
from workflows.repair import photos

PROCESS_KEY = "inspection_finding"
REPEAT_WITHIN = timedelta(days=90)  # a finding repeats one of the same item at the same place this recent
MAX_PHOTOS, MAX_PHOTO_MB = 4, photos.MAX_BYTES // (1024 * 1024)  # a result's or problem's photos, each at most as big as storage keeps
MAX_EXTRA = 10  # problems beside the checklist one round reports
MAX_DESCRIPTION, MAX_SPOT = 2000, 200


class RoundError(FieldError):
    """The round cannot be started or recorded; ``field`` names the input at fault as the forms name it
    (``items-3-photos``, ``confirmed_by``). A refused report also says which of its parts is at fault, so that no
    caller takes ``field`` apart: ``part``, ``index`` (its place in its list; None for the list itself), ``name``
    (its field; the whole ``field`` for an input of no part) and, for an item's result, ``item_id``."""

    def __init__(self, field: str, message: str, *, part: ReportPart | None = None, index: int | None = None,
                 name: str | None = None, item_id: int | None = None, **params: Any):
        super().__init__(field, message, **params)
        self.part, self.index, self.name, self.item_id = part, index, field if name is None else name, item_id

    @classmethod
    def of(cls, part: ReportPart, index: int | None, name: str, message: str, *, item_id: int | None = None,
           **params: Any) -> RoundError:
        """The refusal of field ``name`` of the ``index``-th of ``part`` (``items-3-photos``), or of ``part``'s list."""
        field = str(part) if index is None else f"{part}-{index}-{name}"
        return cls(field, message, part=part, index=index, name=name, item_id=item_id, **params)


class RoundRefused(RoundError):
    """The round is not recorded at all, whatever its report says (field ``round``); ``why`` says which of the
    reasons, for a caller that answers each its own way."""

    WORDS = {WhyNotRecorded.not_inspector: N_("only inspectors record rounds"),
             WhyNotRecorded.missing: N_("no such round"),
             WhyNotRecorded.already_recorded: N_("this round is already recorded")}

    def __init__(self, why: WhyNotRecorded):
        super().__init__("round", self.WORDS[why])
        self.why = why


def actor_label(user: User) -> str:
    """The audit log's stable name for a person (``username#id``), which timelines turn into their name."""
    return f"{user.username}#{user.id}"


def is_inspector(book: RuleBook, user: User) -> bool:
    return str(book.value("inspections.inspector.role")) in role_names(user)


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    passed: bool = True
    deduction: int = 0  # points taken off a points item
    note: str = ""
    severity: str = Severity.minor
    photos: Sequence[dict] = field(default_factory=tuple)


@dataclass(frozen=True)
class Problem:
    """A problem to follow up as a finding: what is wrong, how serious, where within the round's place and its
    photos. A failed item is one (its note says what); the inspector reports those the checklist has no item for
    ("3号楼2层走廊灯不亮") as a round's ``extra``."""

    description: str
    severity: str = Severity.minor
    spot: str = ""  # where within the place, in words
    photos: Sequence[dict] = field(default_factory=tuple)


@dataclass(frozen=True)
class RoundReport:
    results: Sequence[ItemResult]
    extra: Sequence[Problem] = ()  # problems seen beside the checklist
    note: str = ""
    confirmed_by: str = ""  # the unit's representative on site, when they confirm
    confirmed: bool = False


def _of_school(session: Session, model: type, row_id: int | None, school_id: int) -> bool:
    row = session.get(model, row_id) if row_id else None
    return row is not None and row.school_id == school_id


def start_spot_check(session: Session, book: RuleBook, *, inspector: User, template_id: int, building_id: int,
                     unit_id: int, spot: str = "") -> InspectionRound:
    """A spot check (随机抽查) by ``inspector`` at a building of their school, to carry out now."""
    school_id = inspector.school_id
    if school_id is None or not is_inspector(book, inspector):
        raise RoundError("template_id", N_("only inspectors start rounds"))
    template = session.get(InspectionTemplate, template_id)
    if template is None or template.school_id != school_id or not template.active:
        raise RoundError("template_id", N_("no such checklist"))
    if not _of_school(session, Building, building_id, school_id):
        raise RoundError("building_id", N_("no such place"))
    if not _of_school(session, OrgUnit, unit_id, school_id):
        raise RoundError("unit_id", N_("no such unit"))
    row = InspectionRound(school_id=school_id, kind=RoundKind.spot, status=RoundStatus.planned,
                          template_id=template_id, building_id=building_id, spot=spot.strip()[:200], unit_id=unit_id,
                          inspector_id=inspector.id, created_at=now())
    store_numbered(session, row, lambda: day_number(session, InspectionRound, letters="XC", school_id=school_id,
                                                    per_school=False))
    audit.record(session, action=InspectionAction.round_started, actor=actor_label(inspector), school_id=school_id,
                 business_key=row.number, details={"kind": RoundKind.spot, "template_id": template_id})
    return row


def _scored(item_points: int, scoring: str, result: ItemResult) -> tuple[bool, int]:
    """(passed, points kept) of one item's result."""
    if scoring == Scoring.points:
        kept = max(0, item_points - max(0, result.deduction))
        return kept == item_points, kept
    return result.passed, item_points if result.passed else 0


def _by_item(items: Sequence[InspectionItem], results: Sequence[ItemResult]) -> dict[int, ItemResult]:
    """The results by item: each of an item of the checklist, and of none twice (the refusal names the result
    that is not), so no result is dropped or overwritten unsaid."""
    known, given = {item.id for item in items}, {}
    for index, result in enumerate(results):
        if result.item_id not in known:
            raise RoundError.of(ReportPart.result, index, "item_id", N_("not an item of this round's checklist"))
        if result.item_id in given:
            raise RoundError.of(ReportPart.result, index, "item_id", N_("this item has a result already"))
        given[result.item_id] = result
    return given


def _item_refused(index: int, item: InspectionItem, name: str, message: str) -> RoundError:
    """The refusal of field ``name`` of the result of ``item``, the checklist's ``index``-th."""
    return RoundError.of(ReportPart.item, index, name, message, item_id=item.id)


def _check_report(template: InspectionTemplate, report: RoundReport) -> dict[int, ItemResult]:
    items = active_items(template)
    given = _by_item(items, report.results)
    for index, item in enumerate(items):
        result = given.get(item.id)
        if result is None:
            raise _item_refused(index, item, "passed", N_("every item needs a result"))
        if item.scoring == Scoring.points and not 0 <= result.deduction <= item.points:
            raise _item_refused(index, item, "deduction", N_("deduction out of range"))
        passed, _kept = _scored(item.points, item.scoring, result)
        if not passed and result.severity not in set(Severity):
            raise _item_refused(index, item, "severity", N_("unknown severity"))
        if not passed and item.photo_required and not result.photos:
            raise _item_refused(index, item, "photos", N_("this item needs a photo"))
        if not passed and not result.note.strip():
            raise _item_refused(index, item, "note", N_("say what is wrong"))
        if len(result.photos) > MAX_PHOTOS:
            raise _item_refused(index, item, "photos", N_("too many photos"))
    _check_extra(report.extra)
    if report.confirmed and not report.confirmed_by.strip():
        raise RoundError("confirmed_by", N_("name who confirms"))
    return given


def _check_extra(extra: Sequence[Problem]) -> None:
    """Each problem beside the checklist says what is wrong, at a known severity, with at most the photos and
    words an item's result has; the refusal names the one at fault."""
    if len(extra) > MAX_EXTRA:
        raise RoundError.of(ReportPart.extra, None, "", N_("at most %(n)d problems beside the checklist"), n=MAX_EXTRA)
    for index, problem in enumerate(extra):
        if not problem.description.strip():
            raise RoundError.of(ReportPart.extra, index, "description", N_("say what is wrong"))
        if len(problem.description.strip()) > MAX_DESCRIPTION:
            raise RoundError.of(ReportPart.extra, index, "description", N_("at most %(n)d characters"), n=MAX_DESCRIPTION)
        if problem.severity not in set(Severity):
            raise RoundError.of(ReportPart.extra, index, "severity", N_("unknown severity"))
        if len(problem.spot.strip()) > MAX_SPOT:
            raise RoundError.of(ReportPart.extra, index, "spot", N_("at most %(n)d characters"), n=MAX_SPOT)
        if len(problem.photos) > MAX_PHOTOS:
            raise RoundError.of(ReportPart.extra, index, "photos", N_("too many photos"))


def round_to_record(session: Session, book: RuleBook, *, inspector: User, number: str,
                    lock: bool = True) -> InspectionRound:
    """Round ``number`` of the inspector's school, if ``inspector`` may record it now; :class:`RoundRefused` saying
    why not. The one rule of who records which round. Locked until the transaction ends (a second submission waits,
    then finds it recorded) unless ``lock`` is false: a caller that is about to read a large body (the API's photos)
    asks first without the lock, so a refused round is answered before it is read and the lock is not held while
    it arrives, then asks again with it. Files kept for a report that is then refused go with the rollback."""
    if not is_inspector(book, inspector):
        raise RoundRefused(WhyNotRecorded.not_inspector)
    found = session.scalar(select(InspectionRound.id).where(InspectionRound.number == number,
                                                            InspectionRound.school_id == inspector.school_id))
    if found is None:
        raise RoundRefused(WhyNotRecorded.missing)
    row = get_locked(session, InspectionRound, found) if lock else session.get(InspectionRound, found)
    if row is None:  # deleted meanwhile
        raise RoundRefused(WhyNotRecorded.missing)
    if row.status != RoundStatus.planned:
        raise RoundRefused(WhyNotRecorded.already_recorded)
    return row


def carry_out(session: Session, host: Host, book: RuleBook, *, inspector: User, number: str,
              report: RoundReport) -> list[InspectionFinding]:
    """Record round ``number``'s report by ``inspector``: :func:`round_to_record`, then :func:`record_report`."""
    row = round_to_record(session, book, inspector=inspector, number=number)
    return record_report(session, host, book, row, inspector=inspector, report=report)


def record_report(session: Session, host: Host, book: RuleBook, row: InspectionRound, *, inspector: User,
                  report: RoundReport) -> list[InspectionFinding]:
    """Record the results and score of ``row``, as :func:`round_to_record` gave it (locked, to record by
    ``inspector``), and start a finding for each failed item and each problem reported beside the checklist
    (numbered after them). RoundError (nothing stored) for bad input."""
    template = session.get(InspectionTemplate, row.template_id)
    assert template is not None  # a round's checklist is never deleted
    given = _check_report(template, report)
    at, total, kept_total = now(), 0, 0
    problems: list[tuple[Problem, InspectionItem | None]] = []
    for item in active_items(template):
        result = given[item.id]
        passed, kept = _scored(item.points, item.scoring, result)
        total, kept_total = total + item.points, kept_total + kept
        row.results.append(InspectionResult(item_id=item.id, passed=passed, points=kept, note=result.note.strip(),
                                            photos=list(result.photos)))
        if not passed:
            problems.append((Problem(result.note, severity=result.severity, photos=result.photos), item))
    problems += [(problem, None) for problem in report.extra]
    findings = [_open_finding(session, host, book, row, problem, at, n, item=item)  # a planned round has none yet
                for n, (problem, item) in enumerate(problems, start=1)]
    row.status, row.done_at, row.inspector_id = RoundStatus.done, at, inspector.id
    row.score = (200 * kept_total + total) // (2 * total) if total else 100  # a percentage, halves rounded up
    row.note, row.confirmed = report.note.strip(), report.confirmed
    row.confirmed_by = report.confirmed_by.strip() if report.confirmed else ""
    audit.record(session, action=InspectionAction.round_done, actor=actor_label(inspector), school_id=row.school_id,
                 business_key=row.number, details={"score": row.score, "findings": [f.number for f in findings],
                                                   "confirmed_by": row.confirmed_by, "note": row.note})
    return findings


def _finding_number(round_number: str, index: int) -> str:
    return f"{round_number}-{index:02d}"


def _is_repeat(session: Session, row: InspectionRound, item_id: int, at: datetime) -> bool:
    return bool(session.scalar(select(func.count(InspectionFinding.id)).where(
        InspectionFinding.school_id == row.school_id, InspectionFinding.building_id == row.building_id,
        InspectionFinding.item_id == item_id, InspectionFinding.created_at >= at - REPEAT_WITHIN)))


def _open_finding(session: Session, host: Host, book: RuleBook, row: InspectionRound, problem: Problem, at: datetime,
                  index: int, *, item: InspectionItem | None = None) -> InspectionFinding:
    """The round's ``index``-th finding, of a failed ``item``, or without one of a problem beside the checklist
    (never a repeat: there is no item to compare), and its process."""
    due_at = book.deadline(f"inspections.finding.{problem.severity}.due_after", at)
    finding = InspectionFinding(
        school_id=row.school_id, number=_finding_number(row.number, index), round_id=row.id,
        item_id=item.id if item else None, building_id=row.building_id, spot=problem.spot.strip(), unit_id=row.unit_id,
        inspector_id=row.inspector_id, severity=problem.severity, description=problem.description.strip(),
        photos=list(problem.photos), status=FindingStatus.rectifying, first_due_at=due_at, due_at=due_at,
        repeat=item is not None and _is_repeat(session, row, item.id, at), created_at=at)
    session.add(finding)
    session.flush()
    instance = start(host, session, process_key=PROCESS_KEY, business_key=finding.number, school_id=row.school_id, data={
        "finding_id": finding.id, "number": finding.number, "unit_id": finding.unit_id,
        "inspector_id": row.inspector_id, "severity": finding.severity, "due_at": due_at.isoformat(),
        "item_text": item.text if item else "", "description": finding.description, "recheck_round": 0,
    })
    finding.instance_id = instance.id
    return finding
