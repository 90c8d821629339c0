"""Typed form definitions parsed from YAML, checked when loaded rather than when rendered."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFINITIONS = Path(__file__).with_name("definitions")
FIELD_TYPES = {"text", "textarea", "number", "select", "radio", "checkbox", "date", "datetime", "stars", "display", "instructions"}
CHOICE_TYPES = {"select", "radio"}


class FormDefinitionError(ValueError):
    pass


def text_of(value: Any, locale: str) -> str:
    """Pick the locale's text from ``{zh_CN: …, en: …}`` (or return a plain string)."""
    if isinstance(value, dict):
        return value.get(locale) or value.get("zh_CN") or next(iter(value.values()), "")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Any
    help: Any = None
    required: bool = False
    choices: tuple[tuple[str, Any], ...] = ()
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    required_if: dict[str, Any] | None = None
    source: str | None = None  # display fields: the task-data key shown read-only
    choices_from: str | None = None  # select/radio: a named data source (workers of my unit, teams…)
    default: Any = None


@dataclass(frozen=True)
class FormDefinition:
    key: str
    title: Any
    fields: tuple[FieldDef, ...]
    store_as: str | None = None
    submit_label: Any = field(default_factory=lambda: {"zh_CN": "提交", "en": "Submit"})


def _field(raw: dict[str, Any], where: str) -> FieldDef:
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        raise FormDefinitionError(f"{where}: unknown field type {kind!r}; known: {', '.join(sorted(FIELD_TYPES))}")
    if "name" not in raw:
        raise FormDefinitionError(f"{where}: field without a name")
    choices = tuple((str(c["value"]), c.get("label", c["value"])) for c in raw.get("choices", []))
    if kind in CHOICE_TYPES and not choices and not raw.get("choices_from"):
        raise FormDefinitionError(f"{where}: {kind} field {raw['name']!r} needs choices or choices_from")
    known = set(FieldDef.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise FormDefinitionError(f"{where}: unknown field options {sorted(unknown)}")
    return FieldDef(**{**raw, "choices": choices})


def parse_definition(key: str, raw: dict[str, Any]) -> FormDefinition:
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        raise FormDefinitionError(f"form {key}: expected a mapping with a 'fields' list")
    fields = tuple(_field(f, f"form {key}, field {i + 1}") for i, f in enumerate(raw["fields"]))
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise FormDefinitionError(f"form {key}: duplicate field names")
    extra = {k: raw[k] for k in ("store_as", "submit_label") if k in raw}
    return FormDefinition(key=key, title=raw.get("title", key), fields=fields, **extra)


def check_sources(definitions: dict[str, FormDefinition], known: set[str]) -> None:
    """Fail at start-up when a definition names a data source nobody registered."""
    for definition in definitions.values():
        for f in definition.fields:
            if f.choices_from and f.choices_from not in known:
                raise FormDefinitionError(
                    f"form {definition.key}, field {f.name}: unknown data source {f.choices_from!r}; known: {', '.join(sorted(known))}")


def load_all(directory: Path = DEFINITIONS) -> dict[str, FormDefinition]:
    """Load every ``*.yaml`` definition; raise :class:`FormDefinitionError` on the first bad one."""
    definitions = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise FormDefinitionError(f"{path.name}: not valid YAML: {err}") from err
        definitions[path.stem] = parse_definition(path.stem, raw)
    return definitions
