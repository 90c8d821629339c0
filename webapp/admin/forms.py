"""The forms of the admin pages (people, org chart, catalogue, locations, imports) and the labels they share.

Choice lists that depend on the school (units, people) are filled by the views before validation, so a posted
value outside them is refused as any other invalid input.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from webapp.shared import ROLE_LABELS, optional_int
from workflows.people.accounts import PASSWORD_MIN
from workflows.people.enums import PersonKind, Role, UnitKind
from workflows.people.phones import BadPhone, clean_phone
from workflows.people.sso import UnknownPeople
from workflows.people.timezone import zone_names
from workflows.repair.importing import PROBLEM_WORDS as ORDER_PROBLEMS
from workflows.staff.importing import PROBLEM_WORDS as STAFF_PROBLEMS

ADMIN = Role.admin
KIND_LABELS = {PersonKind.staff: _l("Staff"), PersonKind.student: _l("Student")}
UNIT_KIND_LABELS = {UnitKind.department: _l("Department"), UnitKind.service_unit: _l("Service unit or contractor"),
                    UnitKind.team: _l("Team"), UnitKind.service_hall: _l("Service hall")}
SCOPE_LABELS = {"read": _l("Read only"), "write": _l("Read and write")}
# a refused profile value and the field it belongs to (a taken username or number is a clash with another person)
VALUE_FIELDS = {"bad_phone": "phone", "weak_password": "password", "bad_campus": "campus_id"}
CLASH_FIELDS = {"username_taken": "username", "number_taken": "number"}
PROBLEMS = {  # the codes services and imports report, as people read them
    "required": _l("Required."), "too_long": _l("Too long."), "duplicate": _l("Appears twice in the sheet."),
    "username_taken": _l("This username is already taken."),
    "weak_password": _l("A password needs at least 8 characters."), "number_taken": _l("Another person has this number."),
    "bad_kind": _l("Must be staff or student (教职工/学生)."), "unknown_role": _l("Unknown role."),
    "unknown_unit": _l("No active unit has this name."), "bad_email": _l("Not an e-mail address."),
    "bad_phone": _l("Not a phone number: enter a mobile number such as 13812345678 or a landline with its area code "
                    "such as 010-12345678 (an extension may follow: 010-12345678-123)."),
    "open_tasks": _l("This person still holds open tasks: hand each one to someone else first."),
    "dates_reversed": _l("The end date is before the start date."), "covers_self": _l("A person cannot stand in for themselves."),
    "role_held": _l("This person already holds this role in this unit."), "no_such_person": _l("No such person."),
    "no_such_role": _l("No such role."), "no_such_token": _l("No such token."),
    "expiry_past": _l("The expiry date must be in the future."), "cycle": _l("A unit cannot move under itself."),
    "bad_parent": _l("Choose a parent of this school."), "empty_name": _l("Required."),
    "code_taken": _l("Another entry has this code."), "bad_team": _l("Choose a team of this school."),
    "bad_campus": _l("Choose a campus of this school."),
    "empty": _l("Code and both names are required."),
    "unreadable": _l("This is not a readable .xlsx or .csv (UTF-8 or GB18030) file."),
    "empty_sheet": _l("The sheet has no rows."), "no_such_place": _l("No such place."),
    "duplicate_room": _l("This building already has a room with this number."),
    "missing_columns": _l("Columns missing from the first row:"),
}
PROBLEMS.update({code: _l(text) for code, text in ORDER_PROBLEMS.items() if code not in PROBLEMS})  # the order import's
PROBLEMS.update({code: _l(text) for code, text in STAFF_PROBLEMS.items()})  # the staff register import's


class PhoneNumber:
    """A phone field holds a mobile or landline number (:func:`workflows.people.phones.clean_phone`)."""

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        try:
            clean_phone(field.data or "")
        except BadPhone as err:
            raise ValidationError(str(PROBLEMS["bad_phone"])) from err


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def role_choices() -> list[SelectChoice]:
    return choices((role.value, ROLE_LABELS[role.value]) for role in Role)


class PersonForm(FlaskForm):
    display_name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=120)])
    number = StringField(_l("Staff or student number"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()), validators=[InputRequired()])
    campus_id = SelectField(_l("Campus"), coerce=optional_int, validators=[Optional()])  # the school's: see people.py
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), PhoneNumber()],
                        description=_l("A mobile number, or a landline with its area code such as 010-12345678"))
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200),
                                                 Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not an e-mail address."))])
    locale = SelectField(_l("Language"), choices=choices([("", _l("Default")), ("zh_CN", "中文"), ("en", "English")]),
                         validators=[Optional()])


class NewPersonForm(PersonForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=80),
                                                       Regexp(r"^[A-Za-z0-9_.@-]+$", message=_l("Letters, digits and _ . @ - only."))])
    password = PasswordField(_l("First password"), validators=[InputRequired(), Length(min=PASSWORD_MIN, max=200)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[InputRequired()])
    org_unit_id = SelectField(_l("Unit"), validators=[Optional()])
    starts_on = DateField(_l("From (optional)"), validators=[Optional()])
    ends_on = DateField(_l("Until (optional)"), validators=[Optional()])
    covers_user_id = SelectField(_l("Standing in for (acting)"), validators=[Optional()])


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[InputRequired(), Length(max=120)])
    scope = SelectField(_l("Scope"), choices=choices(SCOPE_LABELS.items()), validators=[InputRequired()])
    expires_on = DateField(_l("Expires on (optional)"), validators=[Optional()])


class ActionForm(FlaskForm):
    """A button only: the CSRF token travels with it."""


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(UNIT_KIND_LABELS.items()), validators=[InputRequired()])
    parent_id = SelectField(_l("Parent unit"), validators=[Optional()])


class CatalogueForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[InputRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[InputRequired(), Length(max=120)])
    parent_id = SelectField(_l("Category"), validators=[Optional()])
    default_team_id = SelectField(_l("Default team"), validators=[Optional()])
    active = BooleanField(_l("In use"), default=True)


class ImportForm(FlaskForm):
    sheet = FileField(_l("Sheet (.xlsx or .csv)"), validators=[FileRequired(), FileAllowed(["xlsx", "csv"],
                                                                                            _l("Only .xlsx and .csv files."))])


class ConfirmImportForm(FlaskForm):
    upload = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}\.(xlsx|csv)$")])


class AppointForm(FlaskForm):
    """Who is in charge of a unit: leader or deputy, optionally dated and acting for someone."""

    username = StringField(_l("Username of the person"), validators=[InputRequired(), Length(max=80)])
    role = SelectField(_l("Position"), validators=[InputRequired()])
    starts_on = DateField(_l("From (optional)"), validators=[Optional()])
    ends_on = DateField(_l("Until (optional)"), validators=[Optional()])
    covers_user_id = SelectField(_l("Standing in for (acting)"), validators=[Optional()])


class PlaceForm(FlaskForm):
    """A campus, building or room: the service checks which fields each needs."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    floor = StringField(_l("Floor"), validators=[Optional(), Length(max=20)])
    number = StringField(_l("Room"), validators=[Optional(), Length(max=40)])
    parent_id = HiddenField(validators=[Optional(), Regexp(r"^\d+$")])


class SchoolForm(FlaskForm):
    name = StringField(_l("School name"), validators=[InputRequired(), Length(max=200)])
    timezone = SelectField(_l("Time zone"), choices=lambda: choices((z, z) for z in zone_names()), validate_choice=False,
                           validators=[Optional()])  # the service checks it; left out, the zone stays
    sso_unknown = SelectField(_l("Someone single sign-on vouches for but this school does not know"),
                              choices=lambda: choices([(UnknownPeople.refuse, _l("Refuse them")),
                                                       (UnknownPeople.create, _l("Create them as requesters"))]),
                              validate_choice=False, validators=[Optional()])  # left out, the choice stays


class NewSchoolForm(FlaskForm):
    """A new school needs its first campus (orders are placed on a campus) and its first administrator (admins
    manage their own school, so without one nobody could set the new school up from these pages)."""

    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("School name"), validators=[InputRequired(), Length(max=200)])
    campus = StringField(_l("First campus"), validators=[InputRequired(), Length(max=200)])
    admin_name = StringField(_l("First administrator's name"), validators=[InputRequired(), Length(max=120)])
    admin_username = StringField(_l("First administrator's username"), validators=[InputRequired(), Length(max=80)])
    admin_password = PasswordField(_l("First password"), validators=[InputRequired(), Length(min=PASSWORD_MIN, max=200)])
