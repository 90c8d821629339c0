"""The requester's pages: report a problem on the web portal (``/report``) or on the phone page a WeChat menu or a
QR code posted in a building opens (``/m/report``, location pre-filled from the query), follow an order on the
phone (``/m/orders/<number>``: where it is, what happened last, what to do), and "my requests".

The intake form and :func:`submit_intake` are shared with the counter pages (``webapp.counter``): every channel
validates the same way and creates the order through ``workflows.repair.service.create_order``.
"""
from __future__ import annotations

from typing import cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from forms.builder import strip_spaces
from webapp import db
from webapp.auth import current_actor
from webapp.i18n import locale_code
from webapp.orders.rating import link_for
from webapp.orders.views import MODULE, URGENCY_LABELS, order_timeline, viewable_order
from webapp.shared import optional_int
from workflows.catalogue.service import locations, tree
from workflows.people.permissions import TASK_POLICY
from workflows.repair import photos
from workflows.repair.enums import Channel, Urgency
from workflows.repair.models import WorkOrder
from workflows.repair.rating_links import RATING_TASK
from workflows.repair.readmodel import order_dict
from workflows.repair.service import (
    INTAKE_BODY_LIMIT,
    MAX_PHOTOS,
    Intake,
    IntakeError,
    check_photos,
    create_order,
    open_tasks,
    requester_orders,
)
from workflows.repair.stepper import stage_dicts

bp = Blueprint("portal", __name__)
HISTORY_LINES = 4  # the phone page's short history: the latest business events
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{2,38}$"
MAX_PHOTO_MB = photos.MAX_BYTES // (1024 * 1024)


class IntakeForm(FlaskForm):
    """What every channel asks: who to contact, where, what, how urgent, and up to six photos."""

    contact_name = StringField(_l("Contact name"), [InputRequired(), Length(max=120)], filters=[strip_spaces])
    contact_phone = StringField(_l("Contact phone"), [InputRequired(), Length(max=40), Regexp(
        PHONE_PATTERN, message=_l("Enter a phone number: digits, with +, -, spaces or brackets if needed."))],
        filters=[strip_spaces])
    campus_id = SelectField(_l("Campus"), coerce=int)
    building_id = SelectField(_l("Building"), coerce=optional_int)
    room = StringField(_l("Room or place"), [Optional(), Length(max=60)], filters=[strip_spaces])
    catalogue_item_id = SelectField(_l("Service item"), coerce=optional_int,
                                    validators=[InputRequired(message=_l("Choose what needs fixing."))])
    description = TextAreaField(_l("What is wrong?"), [DataRequired(message=_l("Describe the problem.")),
                                                        Length(max=2000)], filters=[strip_spaces])
    urgency = RadioField(_l("Urgency"), choices=[SelectChoice(u.value, URGENCY_LABELS[u]) for u in Urgency],
                         default=Urgency.normal.value)
    photos = MultipleFileField(_l("Photos"), description=_l("Up to %(count)d pictures, each at most %(mb)d MB.",
                                                            count=MAX_PHOTOS, mb=MAX_PHOTO_MB))

    def fill_choices(self, *, school_id: int, locale: str) -> None:
        """Campuses, buildings (each tagged with its campus for the page's filter) and the two-level catalogue."""
        places = locations(db.session(), school_id=school_id)
        self.campus_id.choices = [SelectChoice(campus.id, campus.name) for campus, _buildings in places]
        self.building_id.choices = [SelectChoice("", _("— not in a building —"))] + [
            SelectChoice(b.id, b.name, {"data-campus": str(campus.id)}) for campus, buildings in places for b in buildings]
        self.catalogue_item_id.choices = [SelectChoice("", _("— choose —"))] + [
            SelectChoice(item.id, item.name(locale), optgroup=category.name(locale))
            for category, items in tree(db.session(), school_id=school_id) for item in items]

    def prefill_location(self, args: MultiDict[str, str], *, own_campus: int | None = None) -> None:
        """``?campus=&building=&room=`` from a QR code posted in a building; unknown ids are ignored. Without a
        place from the code, the campus starts on ``own_campus`` (the requester's) when it is offered."""
        # the stubs (3.2) type choices as tuples; WTForms 3.3 keeps the SelectChoice objects fill_choices gave
        campus_choices, building_choices = (cast("list[SelectChoice]", self.campus_id.choices),
                                            cast("list[SelectChoice]", self.building_id.choices))
        campuses = {choice.value for choice in campus_choices}
        building_campus = {choice.value: int(choice.render_kw["data-campus"]) for choice in building_choices[1:]}
        building = args.get("building", type=int)
        campus = args.get("campus", type=int)
        if building in building_campus:
            self.building_id.data = building
            self.campus_id.data = building_campus[building]
        elif campus in campuses:
            self.campus_id.data = campus
        elif own_campus in campuses:
            self.campus_id.data = own_campus
        room = (args.get("room") or "").strip()
        if room:
            self.room.data = room[:60]


def _photo_files(form: IntakeForm) -> list[bytes] | None:
    """The uploaded photos' bytes, or None (with the error on the field) when there are too many or one is too big."""
    uploads = [f for f in (form.photos.data or []) if f and f.filename]
    if len(uploads) > MAX_PHOTOS:
        form.photos.errors = [*form.photos.errors, _("At most %(count)d photos.", count=MAX_PHOTOS)]
        return None
    files = []
    for upload in uploads:
        data = upload.read(photos.MAX_BYTES + 1)
        if len(data) > photos.MAX_BYTES:
            form.photos.errors = [*form.photos.errors, _("Each photo may be at most %(mb)d MB.", mb=MAX_PHOTO_MB)]
            return None
        files.append(data)
    return files


_INTAKE_MESSAGES = {
    "photos": _l("Only pictures can be attached (JPEG, PNG, WebP or GIF); one of the files is not a picture we can read."),
    "catalogue_item_id": _l("Choose a service item from the list."),
    "campus_id": _l("Choose a campus from the list."),
    "building_id": _l("This building is not on the chosen campus."),
    "description": _l("Describe the problem."),
    "requester_id": _l("This person cannot be the requester."),
}
_FIELD_FOR = {"requester_id": "requester"}  # the counter form names the requester field "requester"


def submit_intake(form: IntakeForm, *, channel: Channel, requester_id: int, contact_name: str, contact_phone: str,
                  entered_by_id: int | None = None) -> WorkOrder | None:
    """Create the order from a validated form and commit; on refusal put the error on its field and return None.

    Photos are checked as a set before anything is stored, so a refused request leaves no order and no file.
    """
    files = _photo_files(form)
    if files is None:
        return None
    session = db.session()
    runtime = db.runtime()
    intake = Intake(channel=channel, requester_id=requester_id, contact_name=contact_name, contact_phone=contact_phone,
                    campus_id=form.campus_id.data, building_id=form.building_id.data, room=form.room.data or None,
                    catalogue_item_id=form.catalogue_item_id.data, description=form.description.data or "",
                    urgency=Urgency(form.urgency.data), entered_by_id=entered_by_id)
    try:
        check_photos(files)
        order = create_order(session, runtime.host, school_id=current_user.school_id, intake=intake, photo_files=files,
                             uploads_dir=runtime.uploads_dir)
        session.commit()
    except IntakeError as err:
        session.rollback()
        message = str(_INTAKE_MESSAGES.get(err.field, _l("This request cannot be accepted.")))
        field = form._fields.get(_FIELD_FOR.get(err.field, err.field))
        (field.errors if field is not None else form.form_errors).append(message)
        return None
    return order


def upload_limit() -> int:
    """What the browser may send in one request (the page checks the photos' total against it before sending)."""
    return INTAKE_BODY_LIMIT


PHOTO_BLUEPRINTS = ("portal", "counter", "inbox")


def allow_photos() -> None:
    """Intake and task posts carry up to six phone photos: more than the app-wide request limit.

    Registered on the app ahead of CSRF protection, which reads the form before any blueprint hook.
    """
    if request.blueprint in PHOTO_BLUEPRINTS:
        request.max_content_length = INTAKE_BODY_LIMIT


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_err: RequestEntityTooLarge) -> ResponseReturnValue:
    flash(_("The photos are too large to send together. Send fewer or smaller photos."), "error")
    return redirect(request.full_path)


def _report(template: str, channel: Channel) -> ResponseReturnValue:
    form = IntakeForm()
    form.fill_choices(school_id=current_user.school_id, locale=locale_code())
    if request.method == "GET":
        form.contact_name.data = current_user.display_name
        form.contact_phone.data = current_user.phone or ""
        form.prefill_location(request.args, own_campus=current_user.campus_id)
    if form.validate_on_submit():
        # both contact fields are InputRequired: validated, neither is None
        order = submit_intake(form, channel=channel, requester_id=current_user.id, contact_name=form.contact_name.data or "",
                              contact_phone=form.contact_phone.data or "")
        if order is not None:
            flash(_("Your request was received. Order number: %(number)s", number=order.number), "success")
            page = "portal.mobile_order" if channel == Channel.phone else "orders.detail"
            return redirect(url_for(page, number=order.number))
    return render_template(template, form=form, channel=channel, upload_limit=upload_limit(), max_photos=MAX_PHOTOS,
                           max_photo_mb=MAX_PHOTO_MB)


@bp.route("/report", methods=["GET", "POST"])
@login_required
def report() -> ResponseReturnValue:
    return _report("portal/report.html", Channel.portal)


@bp.route("/m/report", methods=["GET", "POST"])
@login_required
def mobile_report() -> ResponseReturnValue:
    """The phone page (WeChat menu or QR code): one column, large targets, the location from the query string."""
    return _report("portal/mobile_report.html", Channel.phone)


@bp.get("/m/orders/<number>")
@login_required
def mobile_order(number: str) -> ResponseReturnValue:
    """The order on the requester's phone: the stepper (报修 → 受理 → 派工 → 维修 → 评价), what to do now (rate it,
    add the missing information) and the latest few business events, newest first."""
    order = viewable_order(number)
    session = db.session()
    events = order_timeline(order)
    tasks = open_tasks(session, order)
    own = current_user.id == order.requester_id
    rating_open = any(t.task_name == RATING_TASK for t in tasks)
    actor = current_actor()
    return render_template("portal/mobile_order.html", order=order, facts=order_dict(session, order, locale=locale_code()),
                           stages=stage_dicts(order, events, locale=locale_code(), requester=own),
                           history=events[-HISTORY_LINES:],
                           photo_link=db.runtime().modules.photo_link(MODULE),
                           rating_link=link_for(order) if own and rating_open else None,
                           todo=[t for t in tasks if t.task_name != RATING_TASK and TASK_POLICY.may_complete(actor, t)])


@bp.get("/my")
@login_required
def mine() -> ResponseReturnValue:
    return render_template("portal/my.html", rows=requester_orders(db.session(), requester_id=current_user.id),
                           locale=locale_code())
