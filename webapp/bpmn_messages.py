"""Names people read in diagrams (processes, tasks, lanes, and in the instance viewer every element), in the reader's
language.

A diagram may carry its names in both languages (:mod:`engine.diagram_names`: the English ``name`` and the Chinese
beside it), which is how a process owner names the tasks of a diagram drawn or edited in the editor. The shipped
diagrams' names are also catalog msgids: a Babel extractor (named in ``babel.cfg``) reads them from ``bpmn/``.
:func:`diagram_text` prefers the diagram's own translation (the school's own versions over the platform's, newer
over older) and falls back on the catalog.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import IO, Any

from flask import g, has_request_context
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import or_, select

from engine.diagram_names import Names, translations
from engine.models import ProcessDefinition
from webapp import db
from workflows.i18n import normalise

# every named element: tasks and lanes on the inbox and timelines, gateways, events and flows in the instance viewer
_NAMED = re.compile(r'<bpmn:(?:process|userTask|manualTask|lane|participant|exclusiveGateway|parallelGateway|'
                    r'inclusiveGateway|eventBasedGateway|startEvent|endEvent|intermediateCatchEvent|'
                    r'intermediateThrowEvent|boundaryEvent|scriptTask|serviceTask|sendTask|receiveTask|callActivity|'
                    r'subProcess|task|businessRuleTask|sequenceFlow)\b[^>]*?\bname="([^"]+)"')
_BY_CONTENT: dict[str, Names] = {}  # by content hash: a deployed version never changes, its names are read once
_LOCK = threading.Lock()


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor protocol: (line, function, message, comments) for every name a person sees."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        for name in _NAMED.findall(line):
            yield number, None, name, ["a name in a shipped diagram"]


def _names_of(definition_id: int, content_hash: str) -> Names:
    names = _BY_CONTENT.get(content_hash)
    if names is None:
        names = translations(db.session().get_one(ProcessDefinition, definition_id).sources)
        with _LOCK:
            _BY_CONTENT[content_hash] = names
    return names


def school_names() -> Names:
    """The names the diagrams the signed-in user's school runs carry in other languages (once per request)."""
    if "diagram_names" not in g:
        school_id = getattr(current_user, "school_id", None)
        scope = ProcessDefinition.school_id.is_(None) if school_id is None else \
            or_(ProcessDefinition.school_id.is_(None), ProcessDefinition.school_id == school_id)
        rows = db.session().execute(select(ProcessDefinition.id, ProcessDefinition.content_hash).where(scope).order_by(
            ProcessDefinition.school_id.is_not(None), ProcessDefinition.version))
        merged: Names = {}
        for definition_id, content_hash in rows:  # the platform's, then the school's own; later versions win
            for name, languages in _names_of(definition_id, content_hash).items():
                merged.setdefault(name, {}).update(languages)
        g.diagram_names = merged
    names: Names = g.diagram_names
    return names


def diagram_text(text: str | None) -> str:
    """A diagram's name (a task's title, a process, a lane) in the page's language: the diagram's own translation,
    else the catalog's, else as written."""
    if not text:
        return ""
    if has_request_context():
        own = school_names().get(text, {}).get(normalise(str(get_locale())))
        if own:
            return own
    return gettext(text)
