"""A task's form as JSON for API clients: each field's type, label, limits and the choices it accepts.

The web page and ``POST /tasks/{id}/complete`` check a submission with the same definition and data sources
(:func:`forms.builder.validate_mapping`); this tells a client beforehand what they will accept — the teams and
workers a dispatch offers included — so it needs no other call (and no administrator's token) to fill a form.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from forms.builder import lookup
from forms.schema import CHOICE_TYPES, FieldDef, FormDefinition, text_of

Source = Callable[[str], Iterable[tuple[Any, ...]]]
_LIMITS = ("min", "max", "min_length", "max_length", "pattern", "max_choices", "max_files", "max_size_mb", "default")


def _choices(pairs: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    choices = []
    for value, label, *parent in pairs:
        choice = {"value": str(value), "label": str(label)}
        if parent and parent[0] is not None:  # a building's campus; a worker's teams (several)
            owners = parent[0]
            choice["parent"] = " ".join(str(o) for o in owners) if isinstance(owners, list | tuple | set) else str(owners)
        choices.append(choice)
    return choices


def field_json(f: FieldDef, *, locale: str, source: Source, task_data: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": f.name, "type": f.type, "label": text_of(f.label, locale),
                            "help": text_of(f.help, locale) or None, "required": f.required}
    body.update({name: getattr(f, name) for name in _LIMITS if getattr(f, name) is not None})
    if f.required_if:
        body["required_if"] = dict(f.required_if)
    if f.accept:
        body["accept"] = list(f.accept)
    if f.type == "location":
        body["campuses"], body["buildings"] = _choices(source("campuses")), _choices(source("buildings"))
    elif f.choices_from:
        body["choices"] = _choices(source(f.choices_from))
    elif f.type in CHOICE_TYPES:
        body["choices"] = [{"value": value, "label": text_of(label, locale)} for value, label in f.choices]
    if f.type == "instructions":
        body["text"] = text_of(f.text if f.text is not None else f.label, locale)  # markdown
    elif f.type == "display":
        assert f.source is not None  # the schema requires a source on display fields
        body["value"] = lookup(task_data, f.source)
        if f.when_empty is not None:
            body["when_empty"] = text_of(f.when_empty, locale)
    return body


def form_json(definition: FormDefinition, *, locale: str, source: Source,
              task_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """``definition`` with its choices read from ``source`` and its display fields' values from ``task_data``."""
    return {"key": definition.key, "title": text_of(definition.title, locale),
            "fields": [field_json(f, locale=locale, source=source, task_data=task_data) for f in definition.fields]}
