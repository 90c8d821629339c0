"""What the process-owner pages share: who may use them, the loaded definition or 404, problems as JSON (those
about rule keys worded in the reader's language, with the rule's label), and the primary diagram file of a version
(with a drawing added when it has none)."""
from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine import versions
from engine.diagram_names import with_translations
from engine.errors import NotFound, Problem
from engine.layout import BPMN, with_drawing
from engine.models import ProcessDefinition
from engine.xmlsafety import parse_untrusted
from rules.helpers import DURATION_RULE, RULE
from webapp import db
from webapp.auth import roles_required
from webapp.rule_labels import key_label
from workflows.people.enums import Role

OWNERS = (Role.process_owner.value, Role.admin.value)
owners_only = roles_required(*OWNERS)


def scope() -> int | None:
    """Whose versions the signed-in owner works on: their school's (deployed for it only), or the platform's for
    an account above every school (the shipped diagrams every school follows)."""
    school_id: int | None = current_user.school_id
    return school_id


def definition_or_404(process_key: str, version: int) -> ProcessDefinition:
    """A version the owner may see (the platform's, or their school's own); another school's is not found."""
    try:
        return versions.definition(db.session(), process_key, version, scope())
    except NotFound:
        abort(404)


def active_or_404(process_key: str) -> ProcessDefinition:
    """The version the owner's new instances start from: their school's own active one, else the platform's."""
    listed = versions.versions(db.session(), process_key, scope())
    if not listed:
        abort(404)
    active = [d for d in listed if d.active]
    return next((d for d in active if d.school_id is not None), None) or next(iter(active), listed[0])


def primary_file(definition: ProcessDefinition) -> str:
    """The file that declares the definition's main process."""
    for name, text in sorted(definition.sources.items()):
        if name.endswith(".bpmn"):
            root = parse_untrusted(text, name)
            if root.find(f"{{{BPMN}}}process[@id='{definition.process_key}']") is not None:
                return name
    return sorted(definition.sources)[0]


def _catalog_name(name: str, locale: str) -> str | None:
    """A shipped diagram's name in ``locale`` from the catalog; None when the catalog does not know it."""
    with force_locale(locale):
        translated = _(name)
    return translated if translated != name else None


def with_names(xml: str) -> str:
    """The diagram with each element's name in every language (its own, else the catalog's), so the editor and
    the viewers draw the names in the reader's language."""
    return with_translations(xml, _catalog_name)


def drawn_source(definition: ProcessDefinition) -> str:
    """A version's diagram as the pages draw it: with a drawing and its names in every language."""
    return with_names(with_drawing(definition.sources[primary_file(definition)]))


KIND_WORDS = {RULE: _l("rule"), DURATION_RULE: _l("duration rule")}


def problem_message(problem: Problem) -> str:
    """The problem's message in the reader's language where the engine gave it a code, else as the engine wrote it."""
    params = dict(problem.params)
    if problem.code not in ("unknown_key", "key_of_another_kind"):
        return problem.message
    kind, key = params["kind"], params["key"]
    words = {"helper": params["helper"], "key": key, "kind": str(KIND_WORDS.get(kind, kind))}
    if problem.code == "unknown_key":
        return _("%(helper)s() names “%(key)s”, which is not a known %(kind)s.", **words)
    return _("%(helper)s() needs a %(kind)s, but “%(label)s” (%(key)s) is a rule of another kind.",
             label=key_label(key), **words)


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem for the editor: ``element_id`` is the bare BPMN id it highlights."""
    element_id = problem.element.split(" ", 1)[0] if problem.element else None
    message = problem_message(problem)
    return {"file": problem.file, "line": problem.line, "element": problem.element, "element_id": element_id,
            "message": message, "text": f"{problem.where}: {message}"}
