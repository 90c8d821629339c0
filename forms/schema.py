"""Typed form definitions parsed from YAML, checked when loaded rather than when rendered.

A definition is a title, a list of fields and ``store_as`` (the task-data key the submitted values land
under). Everything a field may say is a :class:`FieldDef` attribute; an unknown field type, option, data
source, MIME type, a broken pattern or a ``required_if`` naming a missing field fails at load with the file
and field in the message.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

import yaml

from forms.uploads import IMAGE_TYPES, KNOWN_TYPES, all_pictures

DEFINITIONS = Path(__file__).with_name("definitions")
CHOICE_TYPES = {"select", "radio", "checkboxes"}
PICKER_TYPES = {"user", "org", "person"}  # from a data source; the value lands as an integer id
SEARCHED_TYPES = {"person"}  # a searchable picker over a long list (the source must offer a search)
UPLOAD_TYPES = {"photo", "file"}
STATIC_TYPES = {"display", "instructions"}  # shown, never submitted
FIELD_TYPES = ({"text", "textarea", "number", "checkbox", "date", "datetime", "stars", "location"}
               | CHOICE_TYPES | PICKER_TYPES | UPLOAD_TYPES | STATIC_TYPES)
LOCATION_SOURCES = ("campuses", "buildings")  # the location picker's two selects (the room is typed)
# options that only make sense for some field types
_ONLY_FOR = {
    "choices": CHOICE_TYPES, "choices_from": CHOICE_TYPES | PICKER_TYPES, "max_choices": {"checkboxes"},
    "accept": UPLOAD_TYPES, "max_size_mb": UPLOAD_TYPES, "max_files": UPLOAD_TYPES, "purpose": UPLOAD_TYPES,
    "source": {"display"}, "when_empty": {"display"}, "text": {"instructions"}, "min": {"number"}, "max": {"number"},
    "min_length": {"text", "textarea"}, "max_length": {"text", "textarea"}, "pattern": {"text", "textarea"},
    "depends_on": {"select", "user", "org"},
    "default_from": FIELD_TYPES - UPLOAD_TYPES - STATIC_TYPES - {"location"},
}
DEFAULT_UPLOAD = {"photo": {"max_size_mb": 8.0, "max_files": 6}, "file": {"max_size_mb": 10.0, "max_files": 1}}


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
    source: str | None = None  # display fields: the task-data key (dotted for nested values) shown read-only
    when_empty: Any = None  # display fields: what they say when the task data holds no value there
    choices_from: str | None = None  # a named data source ("workers", "teams", "users_of_role:auditor"…)
    default: Any = None
    text: Any = None  # instructions: the markdown body (defaults to the label)
    max_choices: int | None = None  # checkboxes: at most this many ticked
    accept: tuple[str, ...] = ()  # uploads: accepted MIME types, checked against the file's content
    max_size_mb: float | None = None  # uploads: per file
    max_files: int | None = None  # uploads: how many files at most
    purpose: str | None = None  # uploads: passed to the storage callback (e.g. "result" photos of a repair)
    depends_on: str | None = None  # another choice field; only options belonging to its value are offered and accepted
    default_from: str | None = None  # a task-data key (dotted for nested values) whose value is pre-selected or pre-filled

    @property
    def is_input(self) -> bool:
        return self.type not in STATIC_TYPES

    @property
    def pictures_only(self) -> bool:
        """An upload field whose accepted types are all pictures: its box and messages say photos, not files."""
        return all_pictures(self.accept)

    @property
    def max_bytes(self) -> int:
        return int((self.max_size_mb or 0) * 1024 * 1024)

    def sources(self) -> tuple[str, ...]:
        """The data sources this field reads its choices from."""
        if self.type == "location":
            return LOCATION_SOURCES
        return (self.choices_from,) if self.choices_from else ()


@dataclass(frozen=True)
class FormDefinition:
    key: str
    title: Any
    fields: tuple[FieldDef, ...]
    store_as: str | None = None
    submit_label: Any = field(default_factory=lambda: {"zh_CN": "提交", "en": "Submit"})

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def has_uploads(self) -> bool:
        return any(f.type in UPLOAD_TYPES for f in self.fields)

    @property
    def reads_task_data(self) -> bool:
        """Whether the page needs the task's data: to show it, or to pre-fill a field from it."""
        return any(f.type == "display" or f.default_from for f in self.fields)


_KNOWN_OPTIONS = {f.name for f in dataclass_fields(FieldDef)}
_CHOOSERS = {"select", "radio", "user", "org"}  # fields whose one chosen value another field may depend on


def _field(raw: dict[str, Any], where: str) -> FieldDef:  # noqa: C901  (one check after another, each with its message)
    if not isinstance(raw, dict):
        raise FormDefinitionError(f"{where}: expected a mapping")
    if raw.get("name"):
        where = f"{where} ({raw['name']})"
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        raise FormDefinitionError(f"{where}: unknown field type {kind!r}; known: {', '.join(sorted(FIELD_TYPES))}")
    if not raw.get("name") or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(raw["name"])):
        raise FormDefinitionError(f"{where}: every field needs a name made of letters, digits and _")
    unknown = set(raw) - _KNOWN_OPTIONS
    if unknown:
        raise FormDefinitionError(f"{where}: unknown field options {sorted(unknown)}")
    misplaced = sorted(option for option, kinds in _ONLY_FOR.items() if option in raw and kind not in kinds)
    if misplaced:
        raise FormDefinitionError(f"{where}: options {misplaced} do not apply to a {kind} field")
    if "label" not in raw and kind != "instructions":
        raise FormDefinitionError(f"{where}: field without a label")
    values = dict(raw)
    values.setdefault("label", "")
    values["choices"] = _choices(raw.get("choices", []), where)
    if kind in CHOICE_TYPES and not values["choices"] and not raw.get("choices_from"):
        raise FormDefinitionError(f"{where}: {kind} field needs choices or choices_from")
    if (kind in PICKER_TYPES or raw.get("depends_on")) and not raw.get("choices_from"):
        raise FormDefinitionError(f"{where}: {kind} field needs choices_from (a data source)")
    if kind == "display" and not raw.get("source"):
        raise FormDefinitionError(f"{where}: display field needs source (the task-data key to show)")
    if kind in UPLOAD_TYPES:
        values.update(_upload_options(kind, raw, where))
    _check_bounds(raw, where)
    if raw.get("pattern") is not None:
        try:
            re.compile(raw["pattern"])
        except (re.error, TypeError) as err:
            raise FormDefinitionError(f"{where}: pattern {raw['pattern']!r} is not a valid regular expression: {err}") from err
    condition = raw.get("required_if")
    if condition is not None and (not isinstance(condition, dict) or set(condition) != {"field", "in"}
                                  or not isinstance(condition["in"], list)):
        raise FormDefinitionError(f"{where}: required_if needs {{field: <name>, in: [values…]}}")
    return FieldDef(**values)


def _choices(raw: Any, where: str) -> tuple[tuple[str, Any], ...]:
    if not isinstance(raw, list):
        raise FormDefinitionError(f"{where}: choices must be a list")
    choices = []
    for choice in raw:
        if not isinstance(choice, dict) or "value" not in choice:
            raise FormDefinitionError(f"{where}: each choice needs a value")
        choices.append((str(choice["value"]), choice.get("label", choice["value"])))
    if len({value for value, _label in choices}) != len(choices):
        raise FormDefinitionError(f"{where}: duplicate choice values")
    return tuple(choices)


def _upload_options(kind: str, raw: dict[str, Any], where: str) -> dict[str, Any]:
    accept = tuple(raw.get("accept") or (sorted(IMAGE_TYPES) if kind == "photo" else ()))
    if not accept:
        raise FormDefinitionError(f"{where}: a file field needs accept (a list of MIME types)")
    unknown = [t for t in accept if t not in KNOWN_TYPES]
    if unknown:
        raise FormDefinitionError(f"{where}: cannot check MIME types {unknown}; known: {', '.join(sorted(KNOWN_TYPES))}")
    if kind == "photo" and not set(accept) <= IMAGE_TYPES:
        raise FormDefinitionError(f"{where}: a photo field accepts images only ({', '.join(sorted(IMAGE_TYPES))})")
    options = {**DEFAULT_UPLOAD[kind], **{k: raw[k] for k in ("max_size_mb", "max_files") if raw.get(k) is not None}}
    if not (0 < float(options["max_size_mb"]) <= 50) or not (1 <= int(options["max_files"]) <= 20):
        raise FormDefinitionError(f"{where}: max_size_mb must be in (0, 50] and max_files in [1, 20]")
    return {"accept": accept, "max_size_mb": float(options["max_size_mb"]), "max_files": int(options["max_files"])}


def _check_bounds(raw: dict[str, Any], where: str) -> None:
    for low, high in (("min", "max"), ("min_length", "max_length")):
        for key in (low, high):
            if raw.get(key) is not None and not isinstance(raw[key], (int, float)):
                raise FormDefinitionError(f"{where}: {key} must be a number")
        if raw.get(low) is not None and raw.get(high) is not None and raw[low] > raw[high]:
            raise FormDefinitionError(f"{where}: {low} is greater than {high}")
    if raw.get("max_choices") is not None and (not isinstance(raw["max_choices"], int) or raw["max_choices"] < 1):
        raise FormDefinitionError(f"{where}: max_choices must be a positive whole number")


def parse_definition(key: str, raw: dict[str, Any]) -> FormDefinition:
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        raise FormDefinitionError(f"form {key}: expected a mapping with a 'fields' list")
    unknown = set(raw) - {"title", "fields", "store_as", "submit_label"}
    if unknown:
        raise FormDefinitionError(f"form {key}: unknown keys {sorted(unknown)}")
    fields = tuple(_field(f, f"form {key}, field {i + 1}") for i, f in enumerate(raw["fields"]))
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise FormDefinitionError(f"form {key}: duplicate field names")
    inputs = {f.name: f for f in fields if f.is_input}
    for f in fields:
        if f.required_if and f.required_if["field"] not in inputs:
            raise FormDefinitionError(
                f"form {key}, field {f.name}: required_if names {f.required_if['field']!r}, which is not an input field here")
        if f.depends_on and (f.depends_on == f.name or getattr(inputs.get(f.depends_on), "type", None) not in _CHOOSERS):
            raise FormDefinitionError(
                f"form {key}, field {f.name}: depends_on names {f.depends_on!r}, which is not another choice field here")
    extra = {k: raw[k] for k in ("store_as", "submit_label") if k in raw}
    return FormDefinition(key=key, title=raw.get("title", key), fields=fields, **extra)


def source_names(definitions: dict[str, FormDefinition]) -> set[str]:
    """Every data source name the definitions use (``name:argument`` kept whole)."""
    return {name for d in definitions.values() for f in d.fields for name in f.sources()}


def check_sources(definitions: dict[str, FormDefinition], known: Iterable[str]) -> None:
    """Fail at start-up when a definition names a data source nobody registered.

    Given names only, ``users_of_role:auditor`` is checked as ``users_of_role`` (the part after the colon is the
    source's argument); given the table itself (:class:`forms.sources.SourceTable`), the argument is checked too,
    and so is that a ``person`` field's source can be searched.
    """
    table = known if isinstance(known, dict) else None
    names = set(known)
    for definition in definitions.values():
        for f in definition.fields:
            for name in f.sources():
                if table is not None:
                    try:
                        table[name]
                        found = True
                    except KeyError:
                        found = False
                else:
                    found = name.partition(":")[0] in names
                if not found:
                    raise FormDefinitionError(f"form {definition.key}, field {f.name}: unknown data source {name!r}; "
                                              f"known: {', '.join(sorted(names))}")
                if table is not None and f.type in SEARCHED_TYPES and not callable(getattr(table[name], "search", None)):
                    raise FormDefinitionError(f"form {definition.key}, field {f.name}: a {f.type} field needs a data source "
                                              f"that can be searched; {name!r} cannot")


def load_all(directory: Path = DEFINITIONS) -> dict[str, FormDefinition]:
    """Load every ``*.yaml`` definition; raise :class:`FormDefinitionError` on the first bad one."""
    definitions = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise FormDefinitionError(f"{path.name}: not valid YAML: {err}") from err
        try:
            definitions[path.stem] = parse_definition(path.stem, raw)
        except FormDefinitionError as err:
            raise FormDefinitionError(f"{path.name}: {err}") from err
    return definitions
