"""Build a WTForms class from a :class:`~forms.schema.FormDefinition` at run time.

One builder for every form: server-side validation always (required, ranges, lengths, patterns, conditional
required, choice counts, upload types and sizes), labels and messages in the request's locale.

Data sources (``choices_from``) come in through ``source(name)``, which returns ``(value, label)`` pairs, or
``(value, label, parents)`` triples where an option belongs to another field's value (a building to its campus, a
worker to the teams they work in; ``parents`` is one value or several). A field that ``depends_on`` another accepts
only options belonging to that field's value, and the page offers only those. Uploads are checked here and handed to
a storage callback in :func:`submitted_data`; forms never write files.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Field,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.form import BaseForm
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, FileInput, ListWidget

from forms import markdown
from forms.schema import UPLOAD_TYPES, FieldDef, FormDefinition, text_of
from forms.uploads import SHORT_NAMES, Store, Upload, is_upload, read_limited, safe_name, sniff

ChoiceSource = Callable[[str], list[tuple]]
Validator = Callable[[BaseForm, Field], object]
UploadValidator = Callable[[BaseForm, "UploadField"], object]
ROOM_MAX = 60

_MESSAGES = {
    "required": {"zh_CN": "此项必填", "en": "This field is required."},
    "required_if": {"zh_CN": "在当前选择下此项必填", "en": "This field is required for your choice."},
    "too_short": {"zh_CN": "至少 {n} 个字", "en": "Enter at least {n} characters."},
    "too_long": {"zh_CN": "最多 {n} 个字", "en": "Enter at most {n} characters."},
    "below": {"zh_CN": "不能小于 {n}", "en": "Enter a number of at least {n}."},
    "above": {"zh_CN": "不能大于 {n}", "en": "Enter a number of at most {n}."},
    "pattern": {"zh_CN": "格式不正确", "en": "This is not in the expected format."},
    "too_many_choices": {"zh_CN": "最多选择 {n} 项", "en": "Choose at most {n}."},
    "too_many_files": {"zh_CN": "最多上传 {n} 个文件", "en": "Attach at most {n} files."},
    "too_many_photos": {"zh_CN": "最多上传 {n} 张照片", "en": "Attach at most {n} photos."},
    "file_too_large": {"zh_CN": "文件“{name}”超过 {mb} MB", "en": "“{name}” is larger than {mb} MB."},
    "file_type": {"zh_CN": "文件“{name}”的类型不被接受（可接受：{types}）",
                  "en": "“{name}” is not an accepted type (accepted: {types})."},
    "building_campus": {"zh_CN": "该楼宇不在所选校区", "en": "This building is not on the chosen campus."},
    "not_in_parent": {"zh_CN": "“{choice}”不属于所选的{other}，请重新选择",
                      "en": "“{choice}” does not belong to the chosen {other}; choose again."},
}


def message(key: str, locale: str, **values: object) -> str:
    texts = _MESSAGES[key]
    return texts.get(locale, texts["en"]).format(**values)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _is_empty(data: Any) -> bool:
    if data is None or data is False:
        return True
    if isinstance(data, str):
        return not data.strip()
    if isinstance(data, (list, tuple, dict)):
        return not data or (isinstance(data, dict) and all(_is_empty(v) for v in data.values()))
    return False


# --- validators -----------------------------------------------------------------------------

class RequiredIf:
    """Required when another field has one of the given values (e.g. reason when rejected)."""

    def __init__(self, other: str, values: list[Any], message: str) -> None:
        self.other, self.values, self.message = other, [str(v) for v in values], message

    def __call__(self, form: BaseForm, field: Field) -> None:
        other = form._fields.get(self.other)
        if other is None:
            return
        chosen = other.data if isinstance(other.data, list) else [other.data]
        if any(str(value) in self.values for value in chosen) and _is_empty(field.data):
            field.errors = []
            raise StopValidation(self.message)
        if _is_empty(field.data):
            field.errors = []
            raise StopValidation()


class LengthBetween:
    def __init__(self, low: int | None, high: int | None, locale: str) -> None:
        self.low, self.high, self.locale = low, high, locale

    def __call__(self, form: BaseForm, field: Field) -> None:
        size = len(field.data or "")
        if self.low is not None and size < self.low:
            raise ValidationError(message("too_short", self.locale, n=self.low))
        if self.high is not None and size > self.high:
            raise ValidationError(message("too_long", self.locale, n=self.high))


class NumberBetween:
    def __init__(self, low: float | None, high: float | None, locale: str) -> None:
        self.low, self.high, self.locale = low, high, locale

    def __call__(self, form: BaseForm, field: Field) -> None:
        if field.data is None:
            return
        if self.low is not None and field.data < self.low:
            raise ValidationError(message("below", self.locale, n=_number(self.low)))
        if self.high is not None and field.data > self.high:
            raise ValidationError(message("above", self.locale, n=_number(self.high)))


class FullMatch:
    """The whole value matches the pattern (not just its start, as WTForms' Regexp)."""

    def __init__(self, pattern: str, locale: str) -> None:
        self.regex, self.locale = re.compile(pattern), locale

    def __call__(self, form: BaseForm, field: Field) -> None:
        if field.data and not self.regex.fullmatch(field.data):
            raise ValidationError(message("pattern", self.locale))


class BelongsTo:
    """The chosen option belongs to the value chosen in field ``other`` (its ``data-parent`` names it), e.g. a
    worker to the chosen team or a building to the chosen campus. Options without parents, and an empty ``other``
    (its own check speaks then), pass."""

    def __init__(self, other: str, message: str | None = None, *, locale: str = "en") -> None:
        self.other, self.message, self.locale = other, message, locale

    def __call__(self, form: BaseForm, field: Field) -> None:
        other = form._fields.get(self.other)
        if not field.data or other is None or other.data in (None, ""):
            return
        # the stubs (3.2) type choices as tuples; WTForms 3.3 keeps the SelectChoice objects _choices makes
        options = cast("list[SelectChoice]", getattr(field, "choices", None) or [])
        chosen = next((c for c in options if c.value == str(field.data)), None)
        parents = (chosen.render_kw or {}).get("data-parent") if chosen is not None else None
        if chosen is not None and parents is not None and str(other.data) not in parents.split():
            raise ValidationError(self.message or message("not_in_parent", self.locale, choice=chosen.label,
                                                          other=other.label.text))


class AtMostChosen:
    def __init__(self, most: int, locale: str) -> None:
        self.most, self.locale = most, locale

    def __call__(self, form: BaseForm, field: Field) -> None:
        if len(field.data or []) > self.most:
            raise ValidationError(message("too_many_choices", self.locale, n=self.most))


class UploadsCheck:
    """Count, size and real type of the uploaded files; keeps the checked files on ``field.uploads``."""

    def __init__(self, f: FieldDef, locale: str) -> None:
        self.f, self.locale = f, locale

    def __call__(self, form: BaseForm, field: UploadField) -> None:
        f, locale = self.f, self.locale
        field.uploads = []
        # set for every upload field by schema._upload_options
        assert f.max_files is not None and f.max_size_mb is not None
        if len(field.data) > f.max_files:
            raise ValidationError(message("too_many_photos" if f.pictures_only else "too_many_files", locale, n=f.max_files))
        types = ", ".join(SHORT_NAMES[t] for t in f.accept)
        checked = []
        for value in field.data:
            name = safe_name(value.filename)
            data = read_limited(value, f.max_bytes)
            if len(data) > f.max_bytes:
                raise ValidationError(message("file_too_large", locale, name=name, mb=_number(f.max_size_mb)))
            mime = sniff(data)
            if mime not in f.accept:
                raise ValidationError(message("file_type", locale, name=name, types=types))
            checked.append(Upload(filename=name, data=data, mime=mime))
        field.uploads = checked


# --- fields ---------------------------------------------------------------------------------

class UploadField(Field):
    """File input whose data is the list of uploaded files (nothing else a request may carry under its name)."""

    def __init__(self, label: str | None = None, validators: list[UploadValidator] | None = None, *, multiple: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.widget = FileInput(multiple=multiple)
        self.uploads: list[Upload] = []

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [value for value in valuelist if is_upload(value)]

    def process_data(self, value: Any) -> None:
        self.data = []

    def _value(self) -> bool:
        return False


def strip_spaces(value: object) -> object:
    """A text field's filter: what was typed without the spaces around it (other values as they are)."""
    return value.strip() if isinstance(value, str) else value


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LocationForm(Form):
    """Campus → building → room: two selects from data sources and a typed room (the building belongs to the
    campus, see :func:`_location_field`)."""

    campus = SelectField(validate_choice=True)
    building = SelectField(validate_choice=True)
    room = StringField(filters=[strip_spaces])


def _parents(parents: object) -> str:
    """One parent value or several, as the space-separated ``data-parent`` the page and :class:`BelongsTo` read."""
    if isinstance(parents, (list, tuple, set, frozenset)):
        return " ".join(sorted(str(p) for p in parents))
    return str(parents)


def _choices(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Options from a source's entries: (value, label), plus the parents it belongs to, plus why it may not be
    chosen (an uncertified worker): such an option is shown disabled with its reason, and refused if sent."""
    choices = []
    for entry in pairs:
        value, label, *rest = entry
        render_kw: dict[str, Any] = {"data-parent": _parents(rest[0])} if rest and rest[0] is not None else {}
        if len(rest) > 1 and rest[1]:
            render_kw.update({"data-refused": rest[1], "disabled": True})
            label = f"{label} — {rest[1]}"
        choices.append(SelectChoice(str(value), label, render_kw))
    return choices


class NotRefused:
    """The chosen option is not one its source refuses (see :func:`_choices`); the refusal says why."""

    def __call__(self, form: BaseForm, field: Field) -> None:
        options = cast("list[SelectChoice]", getattr(field, "choices", None) or [])
        chosen = next((c for c in options if field.data not in (None, "") and c.value == str(field.data)), None)
        refused = (chosen.render_kw or {}).get("data-refused") if chosen is not None else None
        if refused:
            raise ValidationError(refused)


def _validators(f: FieldDef, locale: str) -> list[Validator]:
    validators: list[Validator] = []
    if f.required_if:
        validators.append(RequiredIf(f.required_if["field"], f.required_if["in"], message("required_if", locale)))
    elif f.required and f.type not in UPLOAD_TYPES and f.type != "location":
        validators.append(InputRequired(message=message("required", locale)))
    elif f.type not in UPLOAD_TYPES and f.type != "location":
        validators.append(Optional())
    if f.min_length is not None or f.max_length is not None:
        validators.append(LengthBetween(f.min_length, f.max_length, locale))
    if f.min is not None or f.max is not None:
        validators.append(NumberBetween(f.min, f.max, locale))
    if f.pattern:
        validators.append(FullMatch(f.pattern, locale))
    if f.max_choices:
        validators.append(AtMostChosen(f.max_choices, locale))
    if f.depends_on:
        validators.append(BelongsTo(f.depends_on, locale=locale))
    if f.choices_from:
        validators.append(NotRefused())
    return validators


class _UploadRequired:
    def __init__(self, locale: str) -> None:
        self.message = message("required", locale)

    def __call__(self, form: BaseForm, field: Field) -> None:
        if not field.data:
            raise StopValidation(self.message)


def _source_choices(f: FieldDef, name: str, source: ChoiceSource | None, blank: bool = True) -> list[SelectChoice]:
    if source is None:
        raise ValueError(f"field {f.name} needs data source {name!r} but none was given")
    return ([SelectChoice("", "—")] if blank else []) + _choices(source(name))


def _location_field(f: FieldDef, locale: str, source: ChoiceSource | None, kwargs: dict[str, Any]) -> FormField[LocationForm]:
    campuses = _source_choices(f, "campuses", source, blank=False)
    buildings = _source_choices(f, "buildings", source)
    required = [InputRequired(message=message("required", locale))] if f.required else [Optional()]
    names = {"campus": {"zh_CN": "校区", "en": "Campus"}, "building": {"zh_CN": "楼宇", "en": "Building"},
             "room": {"zh_CN": "房间或位置", "en": "Room or place"}}
    attrs = {
        "campus": SelectField(names["campus"][locale], choices=([SelectChoice("", "—")] if not f.required else []) + campuses,
                              validators=required),
        "building": SelectField(names["building"][locale], choices=buildings,
                                validators=[Optional(), BelongsTo("campus", message("building_campus", locale))]),
        "room": StringField(names["room"][locale], filters=[strip_spaces],
                            validators=[Optional(), LengthBetween(None, ROOM_MAX, locale)]),
    }
    return FormField(type(f"Location_{f.name}", (LocationForm,), {**attrs, "Meta": _meta(locale)}), **kwargs)


def _wtf_field(f: FieldDef, locale: str, source: ChoiceSource | None, task_data: dict[str, Any] | None) -> Field:
    kwargs: dict[str, Any] = {"label": text_of(f.label, locale), "description": text_of(f.help, locale)}
    validators = _validators(f, locale)
    if f.type == "location":
        return _location_field(f, locale, source, kwargs)
    if f.type in UPLOAD_TYPES:
        checks: list[UploadValidator] = ([_UploadRequired(locale)] if f.required else []) + [UploadsCheck(f, locale)]
        return UploadField(validators=checks, multiple=(f.max_files or 1) > 1,
                           render_kw={"accept": ",".join(f.accept)}, **kwargs)
    suggested = lookup(task_data, f.default_from) if f.default_from else None
    kwargs["default"] = suggested if suggested is not None else f.default
    if f.choices_from:
        choices = _source_choices(f, f.choices_from, source, blank=f.type in ("select", "user", "org", "person"))
    else:
        choices = [SelectChoice(value, text_of(text, locale)) for value, text in f.choices]
    text_filters = [strip_spaces]
    factories: dict[str, Callable[[], Field]] = {
        "text": lambda: StringField(validators=validators, filters=text_filters, **kwargs),
        "textarea": lambda: TextAreaField(validators=validators, filters=text_filters, **kwargs),
        "number": lambda: DecimalField(validators=validators, **kwargs),
        "select": lambda: SelectField(choices=choices, validators=validators, **kwargs),
        "user": lambda: SelectField(choices=choices, validators=validators, **kwargs),
        "org": lambda: SelectField(choices=choices, validators=validators, **kwargs),
        "person": lambda: SelectField(choices=choices, validators=validators, **kwargs),
        "radio": lambda: RadioField(choices=choices, validators=validators, **kwargs),
        "checkboxes": lambda: CheckboxListField(choices=choices, validators=validators, **kwargs),
        "checkbox": lambda: BooleanField(validators=validators if f.required else [], **kwargs),
        "date": lambda: DateField(validators=validators, **kwargs),
        "datetime": lambda: DateTimeLocalField(validators=validators, format="%Y-%m-%dT%H:%M", **kwargs),
        "stars": lambda: RadioField(choices=[SelectChoice(str(i), "★" * i) for i in range(1, 6)],
                                    validators=validators, **kwargs),
    }
    return factories[f.type]()


def build_form_class(definition: FormDefinition, *, base: type[Form], locale: str = "zh_CN",
                     source: ChoiceSource | None = None, task_data: dict[str, Any] | None = None) -> type[Form]:
    """A ``base`` subclass (e.g. ``FlaskForm`` for CSRF) with one WTForms field per input field.

    ``source(name)`` supplies the choices of fields declared with ``choices_from`` and of location pickers;
    ``task_data`` the values of fields declared with ``default_from`` (what the process suggests, e.g. the team
    of the service item), which the page shows chosen until the user changes them.
    """
    attrs: dict[str, Any] = {f.name: _wtf_field(f, locale, source, task_data) for f in definition.fields if f.is_input}
    return type(f"Form_{definition.key}", (base,), {**attrs, "Meta": _meta(locale)})


def _meta(locale: str) -> type:
    """WTForms' own messages ("Not a valid choice.") in ``locale``, from the catalogs WTForms ships, as ours are
    (an API submission's errors). A Flask-WTF form takes them in the request's language instead."""
    return type("Meta", (), {"locales": [locale]})


# --- what the page shows besides inputs -----------------------------------------------------

def lookup(data: dict[str, Any] | None, path: str) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    value: Any = data or {}
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def static_parts(definition: FormDefinition, *, locale: str, task_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the template shows for fields that take no input, by field name.

    ``instructions``: sanitised HTML from the markdown (safe to insert unescaped). ``display``: the raw value
    from task data (the template escapes it), or its ``when_empty`` text where there is none.
    """
    parts: dict[str, Any] = {}
    for f in definition.fields:
        if f.type == "instructions":
            parts[f.name] = markdown.render(text_of(f.text if f.text is not None else f.label, locale))
        elif f.type == "display":
            assert f.source is not None  # the schema requires a source on display fields
            value = lookup(task_data, f.source)
            parts[f.name] = text_of(f.when_empty, locale) if value in (None, "") and f.when_empty is not None else value
    return parts


# --- submitted values -----------------------------------------------------------------------

def _as_int(value: Any) -> int | None:
    return int(value) if value not in (None, "") and str(value).lstrip("-").isdigit() else None


def submitted_data(definition: FormDefinition, form: BaseForm, *, store: Store | None = None) -> dict[str, Any]:
    """Plain JSON-able values of the input fields, under ``store_as`` when the definition says so.

    Uploaded files go to ``store(field, upload)``, which returns what task data keeps for each file (it may
    raise :class:`~forms.uploads.UploadRejected`). A form with files and no ``store`` is a programming error.
    """
    values: dict[str, Any] = {}
    for f in definition.fields:
        if not f.is_input:
            continue
        value = form[f.name].data
        if f.type == "number" and value is not None:
            value = float(value)
        elif f.type == "stars" and value:
            value = int(value)
        elif f.type in ("user", "org", "person"):
            value = _as_int(value)
        elif f.type in ("date", "datetime") and value is not None:
            value = value.isoformat()
        elif f.type == "checkboxes":
            value = list(value or [])
        elif f.type == "location":
            value = {"campus_id": _as_int(value.get("campus")), "building_id": _as_int(value.get("building")),
                     "room": value.get("room") or None}
        elif f.type in UPLOAD_TYPES:
            uploads = getattr(form[f.name], "uploads", [])
            if uploads and store is None:
                raise ValueError(f"form {definition.key} has files in {f.name} but no storage was given")
            value = [store(f, upload) for upload in uploads] if store is not None else []
        values[f.name] = value
    return {definition.store_as: values} if definition.store_as else values


def validate_mapping(definition: FormDefinition, data: dict[str, Any], *, locale: str = "en",
                     source: ChoiceSource | None = None) -> tuple[bool, dict[str, Any], dict[str, Any]]:
    """Validate a JSON object (API submissions) with the same rules as the HTML form.

    Files cannot come this way: a required upload field fails, an optional one stays empty.
    Location pickers take ``{"campus": id, "building": id, "room": text}``.
    Returns (valid, errors by field, cleaned data ready for the task).
    """
    from werkzeug.datastructures import MultiDict

    formdata: MultiDict[str, str] = MultiDict()
    for key, value in data.items():
        if isinstance(value, dict):
            for part, item in value.items():
                if item not in (None, False):
                    formdata.add(f"{key}-{part}", str(item))
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is True:
                formdata.add(key, "y")
            elif item not in (None, False):
                formdata.add(key, str(item))
    form = build_form_class(definition, base=Form, locale=locale, source=source)(formdata=formdata)
    valid = form.validate()
    return valid, form.errors, submitted_data(definition, form) if valid else {}
