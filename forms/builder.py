"""Build a WTForms class from a :class:`~forms.schema.FormDefinition` at run time.

One builder for every form: server-side validation always (required, ranges, lengths,
patterns, conditional required), labels in the request's locale.
"""
from __future__ import annotations

from typing import Any, Callable

from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from forms.schema import FieldDef, FormDefinition, text_of

_MESSAGES = {
    "required": {"zh_CN": "此项必填", "en": "This field is required."},
    "required_if": {"zh_CN": "在当前选择下此项必填", "en": "This field is required for your choice."},
}


class RequiredIf:
    """Required when another field has one of the given values (e.g. reason when rejected)."""

    def __init__(self, other: str, values: list[Any], message: str):
        self.other, self.values, self.message = other, [str(v) for v in values], message

    def __call__(self, form, field) -> None:
        other = form._fields.get(self.other)
        if other is not None and str(other.data) in self.values and not (field.data or "").strip():
            raise ValidationError(self.message)


def _validators(f: FieldDef, locale: str) -> list:
    validators: list = []
    if f.required and f.type != "checkbox":
        validators.append(InputRequired(message=_MESSAGES["required"][locale]))
    else:
        validators.append(Optional())
    if f.required_if:
        validators.insert(0, RequiredIf(f.required_if["field"], f.required_if["in"], _MESSAGES["required_if"][locale]))
    if f.min_length is not None or f.max_length is not None:
        validators.append(Length(min=f.min_length or -1, max=f.max_length or -1))
    if f.min is not None or f.max is not None:
        validators.append(NumberRange(min=f.min, max=f.max))
    if f.pattern:
        validators.append(Regexp(f.pattern))
    return validators


ChoiceSource = Callable[[str], list[tuple[str, str]]]


def _wtf_field(f: FieldDef, locale: str, source: ChoiceSource | None):
    label = text_of(f.label, locale)
    kwargs = {"label": label, "description": text_of(f.help, locale), "default": f.default}
    pairs = [(value, text_of(text, locale)) for value, text in f.choices]
    if f.choices_from:
        if source is None:
            raise ValueError(f"field {f.name} needs data source {f.choices_from!r} but none was given")
        pairs = [("", "—")] + list(source(f.choices_from))
    choices = [SelectChoice(value, text) for value, text in pairs]
    validators = _validators(f, locale)
    if f.required_if:
        validators = [v for v in validators if not isinstance(v, Optional)]
    factories = {
        "text": lambda: StringField(validators=validators, **kwargs),
        "textarea": lambda: TextAreaField(validators=validators, **kwargs),
        "number": lambda: DecimalField(validators=validators, **kwargs),
        "select": lambda: SelectField(choices=choices, validators=validators, **kwargs),
        "radio": lambda: RadioField(choices=choices, validators=validators, **kwargs),
        "checkbox": lambda: BooleanField(**kwargs),
        "date": lambda: DateField(validators=validators, **kwargs),
        "datetime": lambda: DateTimeLocalField(validators=validators, format="%Y-%m-%dT%H:%M", **kwargs),
        "stars": lambda: RadioField(choices=[SelectChoice(str(i), "★" * i) for i in range(1, 6)], validators=validators, **kwargs),
    }
    return factories[f.type]()


def build_form_class(definition: FormDefinition, *, base: type, locale: str = "zh_CN",
                     source: ChoiceSource | None = None) -> type:
    """A ``base`` subclass (e.g. ``FlaskForm`` for CSRF) with one WTForms field per input field.

    ``source(name)`` supplies the choices of fields declared with ``choices_from``.
    """
    attrs = {f.name: _wtf_field(f, locale, source) for f in definition.fields if f.type not in ("display", "instructions")}
    return type(f"Form_{definition.key}", (base,), attrs)


def submitted_data(definition: FormDefinition, form) -> dict[str, Any]:
    """Plain JSON-able values of the input fields, under ``store_as`` when the definition says so."""
    values: dict[str, Any] = {}
    for f in definition.fields:
        if f.type in ("display", "instructions"):
            continue
        value = form[f.name].data
        if f.type == "number" and value is not None:
            value = float(value)
        elif f.type == "stars" and value:
            value = int(value)
        elif f.type in ("date", "datetime") and value is not None:
            value = value.isoformat()
        values[f.name] = value
    return {definition.store_as: values} if definition.store_as else values


def validate_mapping(definition: FormDefinition, data: dict[str, Any], *, locale: str = "en",
                     source: ChoiceSource | None = None) -> tuple[bool, dict, dict]:
    """Validate a JSON object (API submissions) with the same rules as the HTML form.

    Returns (valid, errors by field, cleaned data ready for the task).
    """
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    formdata = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item is True:
                formdata.add(key, "y")
            elif item not in (None, False):
                formdata.add(key, str(item))
    form = build_form_class(definition, base=Form, locale=locale, source=source)(formdata=formdata)
    valid = form.validate()
    return valid, form.errors, submitted_data(definition, form) if valid else {}
