"""What one process module registers, in one place in its own folder.

A module owns one or more diagrams (``process_keys``) whose instances carry the module's business key (an
order number, an occurrence number …). The generic parts never import a module; they ask the
:class:`~workflows.modules.registry.Modules` built at bootstrap, which holds these records:

- how to find the business object from a task and summarise it in an inbox row (:attr:`summaries`),
- the panel shown beside its tasks on the task page (:attr:`panel`),
- its form data sources, its timeline vocabulary (audit actions and decision words, as catalog msgids),
- who may see the object (the panel and the API ask it, always within the object's school),
- its figures for the leaders' dashboard (:attr:`figures`) and its API resource (:attr:`resource`),
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
    from engine.models import HumanTask
    from engine.registry import Registry
    from forms.schema import FieldDef
    from forms.uploads import Upload
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
    timeline: list[dict[str, Any]] = field(default_factory=list)  # event dicts, oldest first
    names: dict[str, str] = field(default_factory=dict)  # audit actor labels → people's names
    template: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One number a module shows on the leaders' dashboard, with the page that lists what it counts."""

    key: str
    label: Message
    value: int
    link: tuple[str, dict[str, Any]] | None = None


class FiguresOf(Protocol):
    """The module's dashboard figures for the school's objects due in ``[start, end)``."""

    def __call__(self, session: Session, *, school_id: int, start: datetime, end: datetime,
                 at: datetime) -> list[Figure]: ...


class SummariesOf(Protocol):
    def __call__(self, session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]: ...


class PanelOf(Protocol):
    def __call__(self, session: Session, *, user: User, school_id: int, key: str, locale: str) -> Panel | None: ...


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

    def __call__(self, session: Session, *, user: User, school_id: int, key: str, locale: str) -> dict[str, Any] | None: ...


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
    actions: Mapping[str, Message] = field(default_factory=dict)  # audit action → label (the timeline vocabulary)
    words: Mapping[str, Message] = field(default_factory=dict)  # decision and outcome values in audit details
    keys_where: KeysWhere | None = None
    keys_searched: KeysSearched | None = None
    store_upload: UploadStore | None = None
    figures: FiguresOf | None = None  # its cards on the leaders' dashboard (repair's own figures are the dashboard's)
    register: Callable[[Registry, RuleStore], None] | None = None  # its diagram helpers and periodic jobs
