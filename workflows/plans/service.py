"""Entering plans (one at a time or from a sheet) and generating their occurrences, idempotently.

Every occurrence is its own ``work_plan`` process instance, started by :func:`generate_occurrences`
when its start comes within the rule ``plans.generate.ahead_for``; the unique (plan, date) pair
makes a second run, a second worker or a re-delivered beat task create nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.advance import start
from engine.audit import record
from engine.clock import now
from engine.host import Host
from rules.book import RuleBook
from rules.store import RuleStore
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import OrgUnit, User
from workflows.plans.enums import Evidence, PlanAction, Recurrence
from workflows.plans.generation import generate
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.standards import links
from workflows.standards.links import LinkedItem, LinkError, StandardRef

PROCESS_KEY = "work_plan"
MAX_DURATION_DAYS = 366


class PlanError(FieldError):
    """The plan cannot be saved; ``field`` names the input at fault."""


@dataclass(frozen=True)
class PlanInput:
    title: str
    unit_id: int
    responsible_id: int
    recurrence: str
    starts_on: date
    interval: int = 1
    until: date | None = None
    duration_days: int = 1
    season_from: int | None = None
    season_to: int | None = None
    weekdays: list[int] = field(default_factory=list)  # several days of a weekly or seasonal plan's weeks (0 Monday)
    places: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)  # a line may end with the standard item it checks: [BJ-01 1.2]
    evidence: list[str] = field(default_factory=list)


def check(session: Session, school_id: int, entry: PlanInput) -> None:
    """Raise :class:`PlanError` for the first thing wrong with ``entry``."""
    if not entry.title.strip():
        raise PlanError("title", N_("a plan needs a title"))
    unit = session.get(OrgUnit, entry.unit_id)
    if unit is None or unit.school_id != school_id:
        raise PlanError("unit_id", N_("unknown service unit"))
    person = session.get(User, entry.responsible_id)
    if person is None or person.school_id != school_id or not person.active:
        raise PlanError("responsible_id", N_("unknown responsible person"))
    if entry.recurrence not in set(Recurrence):
        raise PlanError("recurrence", N_("unknown recurrence"))
    if not 1 <= entry.interval <= 52:
        raise PlanError("interval", N_("the interval must be from 1 to 52"))
    if entry.until is not None and entry.until < entry.starts_on:
        raise PlanError("until", N_("the end date is before the start date"))
    if not 1 <= entry.duration_days <= MAX_DURATION_DAYS:
        raise PlanError("duration_days", N_("the duration must be from 1 to 366 days"))
    if entry.recurrence == Recurrence.seasonal:
        for name in ("season_from", "season_to"):
            value = getattr(entry, name)
            if value is None or not 1 <= value <= 12:
                raise PlanError(name, N_("a seasonal plan needs the months of its season (1–12)"))
    if entry.weekdays and entry.recurrence not in (Recurrence.weekly, Recurrence.seasonal):
        raise PlanError("weekdays", N_("only a weekly or seasonal plan falls on several weekdays"))
    if any(not 0 <= day <= 6 for day in entry.weekdays):
        raise PlanError("weekdays", N_("weekdays are 0 (Monday) to 6 (Sunday)"))
    unknown = set(entry.evidence) - set(Evidence)
    if unknown:
        raise PlanError("evidence", N_("unknown evidence %(names)s"), names=", ".join(sorted(unknown)))
    checklist_lines(session, school_id, entry.checklist)


def checklist_lines(session: Session, school_id: int, lines: list[str]) -> tuple[list[str], list[dict | None]]:
    """The checklist's plain lines and, beside each, the standards library item its ``[code number]`` names
    (``{"document_id", "number"}`` or None; an empty list when no line names one); PlanError when a line names
    an item this school's library lacks, with the line's number (1 for the first of ``lines``) and the link's
    own refusal as values, so that a page says both in its language."""
    texts: list[str] = []
    refs: list[dict | None] = []
    for number, line in enumerate(lines, start=1):
        try:
            text, ref = links.split_marker(line, session, school_id=school_id, field="checklist")
        except LinkError as err:
            raise PlanError("checklist", N_("line %(number)d: %(why)s"), number=number, why=err) from err
        if text:
            texts.append(text)
            refs.append({"document_id": ref.document_id, "number": ref.number} if ref else None)
    return texts, refs if any(refs) else []  # a plan without links stores none, as plans written before links


def checklist_refs(plan: WorkPlan) -> list[StandardRef | None]:
    """The standard item beside each checklist line (None for a line without one)."""
    stored = list(plan.checklist_standards or [])
    stored += [None] * (len(plan.checklist) - len(stored))
    return [StandardRef(ref["document_id"], ref["number"]) if ref else None for ref in stored[:len(plan.checklist)]]


def linked_checklist(session: Session, plan: WorkPlan) -> list[tuple[str, LinkedItem | None]]:
    """Each checklist line with the standards library item it checks, as the worker and the edit form see it."""
    refs = checklist_refs(plan)
    shown = links.resolve(session, school_id=plan.school_id, refs=refs)
    return [(line, shown.get(ref) if ref else None) for line, ref in zip(plan.checklist, refs, strict=True)]


def create_plan(session: Session, *, school_id: int, entry: PlanInput, created_by: User) -> WorkPlan:
    """Validate and store a plan; its occurrences come from the next generator run."""
    check(session, school_id, entry)
    checklist, standards = checklist_lines(session, school_id, entry.checklist)
    plan = WorkPlan(school_id=school_id, title=entry.title.strip(), unit_id=entry.unit_id, responsible_id=entry.responsible_id,
                    recurrence=entry.recurrence, interval=entry.interval, starts_on=entry.starts_on, until=entry.until,
                    duration_days=entry.duration_days, season_from=entry.season_from, season_to=entry.season_to,
                    weekdays=sorted(set(entry.weekdays)), places=[p for p in entry.places if p],
                    checklist=checklist, checklist_standards=standards, evidence=list(entry.evidence), created_by_id=created_by.id,
                    created_at=now())
    session.add(plan)
    session.flush()
    record(session, action=PlanAction.created, actor=f"{created_by.username}#{created_by.id}",
           details={"school_id": school_id, "plan_id": plan.id, "title": plan.title, "recurrence": plan.recurrence,
                    "starts_on": plan.starts_on.isoformat()})
    return plan


def window(book: RuleBook, day: date, duration_days: int) -> tuple[datetime, datetime]:
    """When an occurrence on ``day`` starts (office opening) and is due (closing of its last day), in UTC."""
    zone = ZoneInfo(book.calendar.timezone)
    starts = datetime.combine(day, book.calendar.opens, zone)
    due = datetime.combine(day + timedelta(days=duration_days - 1), book.calendar.closes, zone)
    return starts.astimezone(ZoneInfo("UTC")), due.astimezone(ZoneInfo("UTC"))


def _numbered(plan: WorkPlan, day: date) -> str:
    return f"JH{plan.id:05d}-{day:%Y%m%d}"


def start_occurrence(session: Session, host: Host, book: RuleBook, plan: WorkPlan, day: date) -> PlanOccurrence | None:
    """Create the occurrence of ``plan`` on ``day`` and start its process; None if it already exists."""
    starts_at, due_at = window(book, day, plan.duration_days)
    occurrence = PlanOccurrence(school_id=plan.school_id, plan_id=plan.id, number=_numbered(plan, day), occurs_on=day,
                                starts_at=starts_at, due_at=due_at)
    try:
        with session.begin_nested():
            session.add(occurrence)
            session.flush()
    except IntegrityError:  # another run created it first
        return None
    instance = start(host, session, process_key=PROCESS_KEY, business_key=occurrence.number, school_id=plan.school_id, data={
        "occurrence_id": occurrence.id, "number": occurrence.number, "plan_title": plan.title, "unit_id": plan.unit_id,
        "responsible_id": plan.responsible_id, "starts_at": starts_at.isoformat(), "due_at": due_at.isoformat(),
        "checklist_text": "\n".join(f"{i}. {item}" for i, item in enumerate(plan.checklist, start=1)),
        "places_text": "、".join(plan.places), "rect_round": 0,
    })
    occurrence.instance_id = instance.id
    return occurrence


def generate_occurrences(session: Session, host: Host, store: RuleStore, at: datetime | None = None) -> int:
    """Start every occurrence due within the school's look-ahead that does not exist yet; return how many."""
    plans = session.scalars(select(WorkPlan).where(WorkPlan.active.is_(True)).order_by(WorkPlan.id)).all()
    return generate(session, store, plans, ahead="plans.generate.ahead_for", made_by=PlanOccurrence.plan_id,
                    made_on=PlanOccurrence.occurs_on, at=at or now(),
                    make=lambda book, plan, day: start_occurrence(session, host, book, plan, day))
