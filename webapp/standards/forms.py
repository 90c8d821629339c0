"""The standards edit form and the words of its refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.admin.forms import choices
from webapp.shared import optional_int
from workflows.catalogue.models import CatalogueItem
from workflows.i18n import translate
from workflows.standards.labels import SERVICE_WORDS

ERRORS = {"title": _l("Give the standard a title."), "items": _l("Write one to 200 items, one a line."),
          "code": _l("This code is taken; choose another."), "service_type": _l("Choose a service type."),
          "catalogue_item_id": _l("Choose a service of this school's catalogue."),
          "note": _l("Say what changed in this version.")}


class StandardForm(FlaskForm):
    code = StringField(_l("Code"), [DataRequired(), Length(max=40)], description=_l("For example BJ-01; it cannot change later."))
    service_type = SelectField(_l("Service type"), [DataRequired()])
    catalogue_item_id = SelectField(_l("Shown on repair tasks of"), [Optional()], coerce=optional_int,
                                    description=_l("Workers on a job of this service (or any service in this category) see the items."))
    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    items = TextAreaField(_l("Items"), [DataRequired()],
                          description=_l("One item a line. A line may start with its number, such as 2.1; others are numbered in order."))
    note = TextAreaField(_l("What changed"), [Optional(), Length(max=2000)])


def fill_choices(form: StandardForm, session: Session, *, school_id: int, locale: str) -> None:
    form.service_type.choices = choices([(key, translate(word, locale)) for key, word in SERVICE_WORDS.items()])
    rows = session.execute(select(CatalogueItem.id, CatalogueItem.name_zh, CatalogueItem.name_en, CatalogueItem.parent_id)
                           .where(CatalogueItem.school_id == school_id, CatalogueItem.active.is_(True))
                           .order_by(CatalogueItem.code))
    english = locale.startswith("en")
    form.catalogue_item_id.choices = choices([("", "—"), *((item_id, ("· " if parent else "") + (en if english else zh))
                                                           for item_id, zh, en, parent in rows)])
