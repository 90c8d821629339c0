"""Reading and saving a school's rule set, with a per-process cache checked against the version.

Every advance that reads a rule asks for the school's stamp (its time zone and the version of its rules in force)
and reuses the parsed book while the version is unchanged, so a save in the web app is seen by the next tick of
every worker without restarts. The host keeps the stamp on the school's own row, which a request has usually read
already (the token check, the time zone): asking the rule table instead cost a query on every request.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.clock import now
from rules.book import RuleBook, load_defaults
from rules.enums import RuleAction
from rules.models import RuleSet
from rules.validation import RuleProblem, validate


class RulesRefused(ValueError):
    def __init__(self, problems: list[RuleProblem]):
        super().__init__("; ".join(f"{p.scope} {p.key}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SchoolStamp:
    """What every rule lookup needs of a school: the version of its rules in force, and its time zone, which its
    working-day calendar counts in (a school has one time zone, a setting of the school, not a second one in its
    rules; ``None`` keeps the rules' own)."""

    zone: str | None
    version: int


class SchoolRecords(Protocol):
    """Where the host keeps each school's :class:`SchoolStamp`, told of every save."""

    def stamp(self, session: Session, school_id: int) -> SchoolStamp: ...

    def saved(self, session: Session, school_id: int, version: int) -> None: ...


def current_version(session: Session, school_id: int) -> int:
    """The newest saved version in the rule table (0: the shipped defaults): what a save counts on from."""
    return session.scalar(select(func.max(RuleSet.version)).where(RuleSet.school_id == school_id)) or 0


class RuleTableRecords:
    """Stamps read from the rule table itself, with no time zone: for a store whose host keeps no school rows."""

    def stamp(self, session: Session, school_id: int) -> SchoolStamp:
        return SchoolStamp(zone=None, version=current_version(session, school_id))

    def saved(self, session: Session, school_id: int, version: int) -> None:
        """Nothing to keep: the saved row is the stamp."""


@dataclass
class RuleStore:
    """The shipped defaults plus a cache of each school's current book; ``records`` give each school's stamp."""

    defaults: dict[str, Any]
    roles: set[str]
    records: SchoolRecords = field(default_factory=RuleTableRecords)

    def __post_init__(self) -> None:
        self._cache: dict[int, RuleBook] = {}
        self._lock = threading.Lock()
        self.default_book = RuleBook(self.defaults)

    @classmethod
    def with_shipped_defaults(cls, roles: set[str], records: SchoolRecords | None = None) -> RuleStore:
        return cls(load_defaults(), roles, records or RuleTableRecords())

    def book(self, session: Session, school_id: int | None) -> RuleBook:
        if school_id is None:
            return self.default_book
        stamp = self.records.stamp(session, school_id)
        version, zone = stamp.version, stamp.zone
        cached = self._cache.get(school_id)
        if cached is not None and cached.version == version and zone in (None, cached.calendar.timezone):
            return cached
        row = session.scalar(select(RuleSet).where(RuleSet.school_id == school_id, RuleSet.version == version)) if version else None
        book = RuleBook.from_content(self.defaults, row.content, version=version) if row else self.default_book
        if zone is not None and book.calendar.timezone != zone:
            book = replace(book, calendar=replace(book.calendar, timezone=zone))
        with self._lock:
            self._cache[school_id] = book
        return book

    def check(self, content: dict[str, Any]) -> RuleBook:
        """Build and validate a book from submitted content; raise :class:`RulesRefused` listing every problem."""
        try:
            book = RuleBook.from_content(self.defaults, content, version=0)
        except (ValueError, TypeError) as err:  # unreadable calendar times or dates
            raise RulesRefused([RuleProblem("calendar", "bad_calendar", "calendar", str(err))]) from err
        problems = validate(book, roles=self.roles)
        if problems:
            raise RulesRefused(problems)
        return book

    def save(self, session: Session, *, school_id: int, content: dict[str, Any], author: str, comment: str,
             restored_from: int | None = None) -> RuleSet:
        """Store ``content`` as the next version (nothing is stored if it is invalid)."""
        proposed = self.check(content)
        previous = self.book(session, school_id)
        version = current_version(session, school_id) + 1
        row = RuleSet(school_id=school_id, version=version, content=content, author=author, comment=comment,
                      created_at=now(), restored_from=restored_from)
        session.add(row)
        session.flush()
        self.records.saved(session, school_id, version)
        changes = diff(previous.content(), proposed.content())  # both normalised: no phantom changes
        record(session, action=RuleAction.saved, actor=author,
               details={"school_id": school_id, "version": version, "comment": comment, "changes": changes,
                        "restored_from": restored_from})
        return row

    def history(self, session: Session, school_id: int) -> list[RuleSet]:
        return list(session.scalars(select(RuleSet).where(RuleSet.school_id == school_id).order_by(RuleSet.version.desc())))

    def restore(self, session: Session, *, school_id: int, version: int, author: str) -> RuleSet:
        old = session.scalar(select(RuleSet).where(RuleSet.school_id == school_id, RuleSet.version == version))
        if old is None:
            raise LookupError(f"no rule set version {version}")
        return self.save(session, school_id=school_id, content=old.content, author=author,
                         comment=f"restored version {version}", restored_from=version)


def _flat(content: dict[str, Any]) -> dict[str, Any]:
    flat = {f"school {k}": v for k, v in content.get("school", {}).items()}
    for code, layer in content.get("categories", {}).items():
        flat.update({f"category {code} {k}": v for k, v in layer.items()})
    flat.update({f"working days {k}": True for k in content.get("working_days", [])})
    for k, v in content.get("calendar", {}).items():
        flat[f"calendar {k}"] = v
    return flat


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Readable changes between two rule-set contents: [{"what", "before", "after"}], sorted."""
    old, new = _flat(before), _flat(after)
    return [{"what": k, "before": old.get(k), "after": new.get(k)} for k in sorted(old.keys() | new.keys())
            if old.get(k) != new.get(k)]
