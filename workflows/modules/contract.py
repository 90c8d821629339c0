"""What one process module registers, in one place in its own folder.

A module owns one or more diagrams (``process_keys``) whose instances carry the module's business key (an
order number, an occurrence number …). The generic parts never import a module; they ask the
:class:`~workflows.modules.registry.Modules` built at bootstrap, which holds these records:

- how to find the business object from a task and summarise it in an inbox row (:attr:`summaries`),
- the panel shown beside its tasks on the task page (:attr:`panel`),
- its form data sources and its audit actions' labels (the vocabulary of the instance viewer, as catalog msgids),
- its business timeline (:attr:`timeline`): which audit rows people read on the object's page and what each says,
- who may see the object (the panel and the API ask it, always within the object's school),
- its figures for the leaders' dashboard (:attr:`figures`) and its API resource (:attr:`resource`),
- its computed assessment indicators (:attr:`indicators`), which assessment schemes score units by,
- its diagram helpers and periodic jobs for the engine (:attr:`register`).

Labels are msgids marked with :func:`workflows.i18n.N_`; pages translate them with the request's locale and
background jobs with :func:`workflows.i18n.translate`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session

from workflows.i18n import Message

if TYPE_CHECKING:
    from engine.actor import Actor
    from engine.host import Host
    from engine.models import AuditEvent, HumanTask
    from engine.registry import Registry
    from forms.schema import FieldDef
    from forms.uploads import Upload
    from rules.book import RuleBook
    from rules.store import RuleStore
    from workflows.people.models import User

Source = Callable[..., Sequence[tuple[Any, ...]]]  # (value, label) or (value, label, parents), see forms.builder


@dataclass(frozen=True)
class Summary:
    """One line about the business object beside each of its tasks in the inbox (one query per page)."""

    text: str  # what it is about: a service item, a plan's title, a delegated task's title
    place: str | None = None
    colour: str | None = None  # the escalation colour, when the module has them
    urgency: str | None = None
    link: tuple[str, dict[str, Any]] | None = None  # (endpoint, values) of the object's own page


@dataclass(frozen=True)
class Fact:
    label: Message
    value: str


@dataclass(frozen=True)
class Panel:
    """The business object beside a task: a heading, badges, facts and its timeline.

    ``template`` names a module's own panel template (the repair order's richer one); without it the generic
    panel renders the heading, facts and timeline. ``extra`` carries what a module's own template needs.
    """

    kind: Message  # "Order", "Plan occurrence" …
    number: str
    link: tuple[str, dict[str, Any]] | None
    facts: list[Fact] = field(default_factory=list)
    colour: str | None = None
    status: Message | None = None
    timeline: list[dict[str, Any]] = field(default_factory=list)  # business events, oldest first (timeline.as_dicts)
    template: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    photo_link: tuple[str, str] | None = None  # how the timeline's photos are served (BusinessTimeline.photo_link)


@dataclass(frozen=True)
class Figure:
    """One number a module shows on the leaders' dashboard, with the page that lists what it counts."""

    key: str
    label: Message
    value: int
    link: tuple[str, dict[str, Any]] | None = None


class FiguresOf(Protocol):
    """The module's dashboard figures for the school's objects due in ``[start, end)``."""

    def __call__(self, session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
                 rules: RuleStore) -> list[Figure]: ...


@dataclass(frozen=True)
class Measured:
    """An indicator's value for one unit and period (None: nothing to measure), with the number of records it
    counted (``basis``), so an assessor sees "98 % of 50 ratings" rather than a bare rate."""

    value: float | None
    basis: int = 0


class MeasureOf(Protocol):
    """An indicator for the school's service unit ``unit_id`` (its teams included) over ``[start, end)``,
    counted ``at``."""

    def __call__(self, session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                 at: datetime, rules: RuleBook) -> Measured: ...


@dataclass(frozen=True)
class Indicator:
    """One computed assessment indicator a module offers (repair good-rating rate, complaints per month …).

    ``higher_is_better`` says which way its scoring rule runs (a rate: higher; complaints: lower); ``unit`` is
    what its value counts in (``%``, ``h``, ``count``), shown beside the value; ``scale`` is how a value maps to
    points unless a scheme says otherwise: (no points at, full points at), linear in between."""

    key: str
    label: Message
    unit: str
    higher_is_better: bool
    measure: MeasureOf
    scale: tuple[float, float] = (0.0, 100.0)


class SummariesOf(Protocol):
    def __call__(self, session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]: ...


class PanelOf(Protocol):
    def __call__(self, session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
                 locale: str) -> Panel | None: ...


class KeysWhere(Protocol):
    """Business keys of the school's objects matching inbox filters (None: this module has no such filter)."""

    def __call__(self, *, school_id: int, colour: str | None, campus_id: int | None) -> Select[Any] | None: ...


class KeysSearched(Protocol):
    """Business keys of the school's objects whose people match ``words`` (a requester's name …)."""

    def __call__(self, *, school_id: int, words: str) -> Select[Any] | None: ...


class UploadStore(Protocol):
    """Keep a file uploaded on one of the module's task forms; None: the generic store keeps it."""

    def __call__(self, session: Session, *, school_dir: Path, row: HumanTask, user_id: int | None, field: FieldDef,
                 upload: Upload) -> dict[str, Any] | None: ...


class ResourceOf(Protocol):
    """The business object as the API shows it (None: not found or not visible to ``user``)."""

    def __call__(self, session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
                 locale: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Note:
    """Something a person wrote or chose at a step, under its field's label (None: no label). ``word``: the text is
    a catalog msgid (a choice's label), shown in the reader's language."""

    label: Message | None
    text: str
    word: bool = False


@dataclass(frozen=True)
class Said:
    """What one business step says on its object's timeline beyond its name, as its module reads it from the audit
    row and the object's records. People are user ids: the generic timeline turns them into the names people know."""

    label: Message | None = None  # instead of the action's own label (a declined job, a rating counted as good)
    outcome: Message | None = None  # the decision: accepted, returned, upheld …
    warning: bool = False  # the outcome needs attention (a bad rating, a rejection, sent back)
    notes: tuple[Note, ...] = ()
    by: int | None = None  # who did it, when the audit row's actor is the system (the requester who reported)
    automatic: bool = False  # it followed on its own (closing after a good rating): nobody's name goes with it
    people: tuple[tuple[Message, int | None], ...] = ()  # (their part, user id): dispatched to, handed over to
    stars: int | None = None
    colour: str | None = None
    photos: tuple[int | str, ...] = ()  # what the step photographed, as keys of BusinessTimeline.photo_link
    task: str | None = None  # the diagram task the step concerns (a hand-over), a diagram name
    moved: tuple[str | None, str] | None = None  # a deadline moved: from, to (ISO times)


Describe = Callable[["AuditEvent", Any], Said | None]


class RecordsOf(Protocol):
    """What a module's describers read besides the audit rows (an order's callbacks, rectifications, photos …),
    loaded once per timeline. ``rows`` are the object's business rows, oldest first, so the module can pair each
    row with the record it wrote."""

    def __call__(self, session: Session, *, school_id: int, key: str, rows: Sequence[AuditEvent]) -> Any: ...


@dataclass(frozen=True)
class BusinessTimeline:
    """Which of a business object's audit rows its pages show, and what each says: who did what, with their notes.

    A row is a business event when its action is one of the module's ``actions``, one of the engine's that people
    act on (hand-overs, holds, cancellations, deadlines moved by a rule change), or one ``describe`` names (an engine
    row the module gives a business meaning: the repair process starting is the report). ``describe`` reads a row's
    details (with what ``records`` loaded); a describer returning None leaves its row out. Rows of ``reminders`` (an
    audit action, or the diagram element of a script task that reminds someone) fold into one line per kind with
    their count and last time. Every other row (steps passed, tasks opened and closed, gateways, events between
    processes) is the engine's business: the instance viewer shows it, the object's timeline never does.
    """

    describe: Mapping[str, Describe] = field(default_factory=dict)
    reminders: Mapping[str, Message] = field(default_factory=dict)
    records: RecordsOf | None = None
    deadlines: Mapping[str, Message] = field(default_factory=dict)  # rule key → the deadline it sets (named on re-arms)
    photo_link: tuple[str, str] | None = None  # (endpoint, parameter): one photo, served with number=<business key>


class CompleteAs(Protocol):
    """``actor`` completes ``task`` with ``data`` checked by the task's form as its page checks it (a ValueError
    names the fields refused), so a step a demo takes is one a person could have taken on the page."""

    def __call__(self, session: Session, task: HumanTask, actor: Actor, data: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class DemoSetting:
    """What a module's demo seeder is handed: the host that starts processes, the deployment's rules and
    assessment indicators, the demo school (its people and places made already) and how its people do tasks."""

    host: Host
    rules: RuleStore
    indicators: Mapping[str, Indicator]
    school_id: int
    complete: CompleteAs


DemoSeeder = Callable[[Session, DemoSetting], object]


@dataclass(frozen=True)
class ProcessModule:
    """One business process plugged in. Only ``name``, ``label`` and ``process_keys`` are required: a module
    without a panel still lists its tasks in the inbox with their titles."""

    name: str
    label: Message
    process_keys: frozenset[str]
    summaries: SummariesOf | None = None
    panel: PanelOf | None = None
    resource: ResourceOf | None = None
    sources: Mapping[str, Source] = field(default_factory=dict)
    actions: Mapping[str, Message] = field(default_factory=dict)  # its audit actions → labels (its business events)
    timeline: BusinessTimeline = field(default_factory=BusinessTimeline)
    keys_where: KeysWhere | None = None
    keys_searched: KeysSearched | None = None
    store_upload: UploadStore | None = None
    figures: FiguresOf | None = None  # its cards on the leaders' dashboard (repair's own figures are the dashboard's)
    indicators: tuple[Indicator, ...] = ()  # what assessment schemes may compute from its records
    register: Callable[[Registry, RuleStore], None] | None = None  # its diagram helpers and periodic jobs
    demo: DemoSeeder | None = None  # fills its part of the demo school, after the modules before it (idempotent)
