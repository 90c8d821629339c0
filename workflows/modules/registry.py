"""The process modules of one deployment, looked up by the generic inbox, task page, timeline and API.

Built once at bootstrap from the modules' records (:data:`workflows.bootstrap.MODULES`); read-only afterwards.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select, union
from sqlalchemy.orm import Session

from forms.sources import SourceTable
from rules.store import RuleStore
from workflows.i18n import Message
from workflows.modules import timeline
from workflows.modules.contract import Figure, Indicator, Panel, ProcessModule, Source, Summary


@dataclass(frozen=True)
class _Keyed:
    """A business key whose module is unknown (a notification's, a completed task's)."""

    business_key: str


class ModuleConflict(ValueError):
    """Two modules claim the same diagram, data source, audit action or assessment indicator with different
    meanings."""


@dataclass(frozen=True)
class Modules:
    modules: tuple[ProcessModule, ...]
    by_process: Mapping[str, ProcessModule]
    sources: SourceTable
    actions: Mapping[str, Message]
    indicators: Mapping[str, Indicator]  # by key, in the modules' order: what assessment schemes may compute

    @classmethod
    def of(cls, modules: Iterable[ProcessModule], *, shared_sources: Mapping[str, Source] = {},
           shared_actions: Mapping[str, Message] = {}) -> Modules:
        """Check the modules against each other and index them. ``shared_*`` are the vocabulary every module
        uses (the engine's own audit actions, the people and place pickers)."""
        modules = tuple(modules)
        by_process: dict[str, ProcessModule] = {}
        sources: dict[str, Source] = dict(shared_sources)
        actions: dict[str, Message] = dict(shared_actions)
        for module in modules:
            for key in module.process_keys:
                _claim(by_process, key, module, f"diagram {key!r}")
            kinds: tuple[tuple[dict[str, Any], Mapping[str, Any], str], ...] = (
                (sources, module.sources, "data source"), (actions, module.actions, "audit action"))
            for table, entries, what in kinds:
                for name, value in entries.items():
                    if name in table and table[name] != value:
                        raise ModuleConflict(f"{what} {name!r} of module {module.name!r} is registered already")
                    table[name] = value
        return cls(modules, by_process, SourceTable(sources), actions, _indicators(modules))

    def of_process(self, process_key: str | None) -> ProcessModule | None:
        return self.by_process.get(process_key or "")

    def named(self, name: str) -> ProcessModule | None:
        return next((m for m in self.modules if m.name == name), None)

    def summaries(self, session: Session, *, school_id: int, rows: Iterable[Any], locale: str) -> dict[str, Summary]:
        """Each row's business object in one line, by business key; one query per module for a whole page.

        ``rows`` are task rows (with their ``process_key``) or completed-task audit rows (without: every module
        is asked for those keys)."""
        wanted: dict[str, set[str]] = defaultdict(set)
        anywhere: set[str] = set()
        for row in rows:
            if not row.business_key:
                continue
            if not hasattr(row, "process_key"):
                anywhere.add(row.business_key)
                continue
            module = self.of_process(row.process_key)
            if module is not None and module.summaries is not None:
                wanted[module.name].add(row.business_key)
        found: dict[str, Summary] = {}
        for module in self.modules:
            keys = wanted.get(module.name, set()) | (anywhere - found.keys())
            if module.summaries is not None and keys:
                found.update(module.summaries(session, school_id=school_id, keys=keys, locale=locale))
        return found

    def links(self, session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """The page of each business key's object, whatever module it belongs to (notifications carry no process)."""
        rows = [_Keyed(key) for key in keys]
        return {key: summary.link for key, summary in self.summaries(session, school_id=school_id, rows=rows,
                                                                      locale=locale).items() if summary.link}

    def panel(self, session: Session, *, process_key: str | None, user: Any, rules: RuleStore, school_id: int | None,
              key: str | None, locale: str) -> Panel | None:
        """The panel beside a task, or None (no module, no business key, or the user may not see the object)."""
        module = self.of_process(process_key)
        if module is None or module.panel is None or not key or school_id is None:
            return None
        return module.panel(session, user=user, rules=rules, school_id=school_id, key=key, locale=locale)

    def resource(self, session: Session, *, module_name: str, user: Any, rules: RuleStore, school_id: int, key: str,
                 locale: str) -> dict[str, Any] | None:
        module = self.named(module_name)
        if module is None or module.resource is None:
            return None
        return module.resource(session, user=user, rules=rules, school_id=school_id, key=key, locale=locale)

    def timeline(self, session: Session, *, module_name: str, school_id: int, key: str, locale: str) -> list[dict[str, Any]]:
        """The business timeline of a module's object (see :mod:`workflows.modules.timeline`); the caller has
        checked that the reader may see the object."""
        module = self.named(module_name)
        if module is None:
            raise KeyError(f"no process module {module_name!r}")
        return timeline.business_dicts(session, module, school_id=school_id, key=key, locale=locale)

    def photo_link(self, module_name: str) -> tuple[str, str] | None:
        """How the module's timeline photos are served (see :class:`~workflows.modules.contract.BusinessTimeline`)."""
        module = self.named(module_name)
        return module.timeline.photo_link if module is not None else None

    def figures(self, session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
                rules: RuleStore) -> list[tuple[ProcessModule, list[Figure]]]:
        """Every module's dashboard figures for the school and period, module by module."""
        return [(m, m.figures(session, school_id=school_id, start=start, end=end, at=at, rules=rules))
                for m in self.modules if m.figures is not None]

    def keys_where(self, *, school_id: int, colour: str | None, campus_id: int | None) -> Select[Any] | None:
        """Business keys matching the inbox's colour and campus filters, over every module that has them."""
        if colour is None and campus_id is None:
            return None
        parts = [m.keys_where(school_id=school_id, colour=colour, campus_id=campus_id)
                 for m in self.modules if m.keys_where is not None]
        return _union([p for p in parts if p is not None])

    def keys_searched(self, *, school_id: int, words: str) -> Select[Any] | None:
        parts = [m.keys_searched(school_id=school_id, words=words) for m in self.modules if m.keys_searched is not None]
        return _union([p for p in parts if p is not None])


def _claim(table: dict[str, ProcessModule], key: str, module: ProcessModule, what: str) -> None:
    if key in table:
        raise ModuleConflict(f"{what} belongs to module {table[key].name!r}; {module.name!r} cannot claim it")
    table[key] = module


def _indicators(modules: tuple[ProcessModule, ...]) -> dict[str, Indicator]:
    """Every module's assessment indicators by key, indexed once here so pages, API and diagram helper share one
    table; a key claimed twice is refused whatever the indicators say (a scheme names its indicator by key)."""
    table: dict[str, Indicator] = {}
    for module in modules:
        for indicator in module.indicators:
            if indicator.key in table:
                raise ModuleConflict(f"indicator {indicator.key!r} of module {module.name!r} is registered already")
            table[indicator.key] = indicator
    return table


def _union(parts: list[Select[Any]]) -> Select[Any] | None:
    """One select of business keys; a filter no module supports matches nothing."""
    if not parts:
        return select(literal("")).where(literal(False))
    if len(parts) == 1:
        return parts[0]
    return select(union(*parts).subquery().c[0])
