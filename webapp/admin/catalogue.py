"""Admin pages for the service catalogue (categories and service items with their default teams; a category's
rule overrides are edited on the rules pages) and for the locations (campus → building → floor → room)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from webapp import db
from webapp.admin.forms import ADMIN, PROBLEMS, ActionForm, CatalogueForm, PlaceForm, choices
from webapp.admin.people import unit_choices, unit_names
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.catalogue import admin as catalogue_admin
from workflows.catalogue.locations import LocationError, rooms_by_building, save_place, set_place_active
from workflows.catalogue.models import Building, CatalogueItem, Room
from workflows.catalogue.room_codes import labels, room_codes_pdf
from workflows.catalogue.service import categories
from workflows.catalogue.service import locations as campus_buildings

bp = Blueprint("admin_catalogue", __name__, url_prefix="/admin")


def _form(item: CatalogueItem | None) -> CatalogueForm:
    form = CatalogueForm(obj=item if item is not None and request.method == "GET" else None)
    locale = locale_code()
    form.parent_id.choices = choices([("", _("None: this is a category"))] + [
        (c.id, c.name(locale)) for c in categories(db.session(), school_id=school_id()) if item is None or c.id != item.id])
    form.default_team_id.choices = choices(unit_choices(_("None")))
    if request.method == "GET":
        if item is not None:
            form.parent_id.data = str(item.parent_id or "")
            form.default_team_id.data = str(item.default_team_id or "")
        elif request.args.get("parent"):
            form.parent_id.data = request.args["parent"]
    return form


@bp.get("/catalogue/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    tree = catalogue_admin.full_tree(db.session(), school_id=school_id())
    return render_template("admin/catalogue.html", tree=tree, teams=unit_names(), locale=locale_code())


@bp.route("/catalogue/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_item() -> ResponseReturnValue:
    return _save(None)


@bp.route("/catalogue/<int:item_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_item(item_id: int) -> ResponseReturnValue:
    item = catalogue_admin.item_of(db.session(), school_id=school_id(), item_id=item_id)
    if item is None:
        abort(404)
    return _save(item)


def _save(item: CatalogueItem | None) -> ResponseReturnValue:
    form = _form(item)
    if form.validate_on_submit():
        session = db.session()
        values = {"code": (form.code.data or "").strip(), "name_zh": (form.name_zh.data or "").strip(),
                  "name_en": (form.name_en.data or "").strip(),
                  "default_team_id": int(form.default_team_id.data) if form.default_team_id.data else None,
                  "active": form.active.data}
        try:
            catalogue_admin.save_item(session, actor=current_user.username, school_id=school_id(), item=item,
                                      parent_id=int(form.parent_id.data) if form.parent_id.data else None, values=values)
        except catalogue_admin.CatalogueError as err:
            target = {"code_taken": form.code, "bad_parent": form.parent_id, "bad_team": form.default_team_id}
            field = target.get(err.code, form.code)
            field.errors = [*field.errors, str(PROBLEMS[err.code])]
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin_catalogue.index"))
    return render_template("admin/catalogue_item.html", form=form, item=item)


PLACE_FIELDS = {"campus": ("name",), "building": ("name",), "room": ("floor", "number", "name")}


@bp.get("/locations/")
@roles_required(ADMIN)
def locations(failed: dict | None = None) -> str:
    """The location tree, inactive places included; ``failed`` is a refused form to show again where it was typed."""
    session = db.session()
    return render_template("admin/locations.html",
                           campuses=campus_buildings(session, school_id=school_id(), include_inactive=True),
                           rooms=rooms_by_building(session, school_id=school_id()), form=PlaceForm(formdata=None),
                           action=ActionForm(), failed=failed)


@bp.get("/locations/room-codes.pdf")
@roles_required(ADMIN)
def room_codes() -> ResponseReturnValue:
    """QR codes to post in the rooms of the chosen buildings (``building``, repeated) or of a whole campus
    (``campus``), active places of the admin's school only; each opens the phone report page filled in."""
    session = db.session()
    chosen, campus = set(request.args.getlist("building", type=int)), request.args.get("campus", type=int)
    buildings = [b for c, shown in campus_buildings(session, school_id=school_id()) for b in shown
                 if b.id in chosen or c.id == campus]
    if not buildings:
        abort(404)
    rooms = rooms_by_building(session, school_id=school_id())

    def link(building: Building, room: Room | None) -> str:
        return url_for("portal.mobile_report", campus=building.campus_id, building=building.id,
                       room=room.number if room else None, _external=True)

    pdf = room_codes_pdf([(b, labels(b, rooms.get(b.id, []), link)) for b in buildings], locale=locale_code())
    name = buildings[0].name if len(buildings) == 1 else _("Room QR codes")
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"{name}.pdf")


@bp.post("/locations/<kind>/new", defaults={"place_id": None})
@bp.post("/locations/<kind>/<int:place_id>")
@roles_required(ADMIN)
def save_location(kind: str, place_id: int | None) -> ResponseReturnValue:
    """Add or rename a campus, building or room; a refused one comes back with what was typed and the error by its
    field."""
    if kind not in PLACE_FIELDS:
        abort(404)
    form = PlaceForm()
    if form.validate_on_submit():
        session = db.session()
        try:
            save_place(session, actor=current_user.username, school_id=school_id(), kind=kind, place_id=place_id,
                       parent_id=int(form.parent_id.data) if form.parent_id.data else None,
                       values={name: getattr(form, name).data for name in PLACE_FIELDS[kind]})
        except LocationError as err:
            getattr(form, err.field or PLACE_FIELDS[kind][0]).errors.append(str(PROBLEMS.get(err.code, err.code)))
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin_catalogue.locations"))
    return locations(failed={"url": request.path, "parent": form.parent_id.data or "", "form": form}), 400


@bp.post("/locations/<kind>/<int:place_id>/active")
@roles_required(ADMIN)
def set_location_active(kind: str, place_id: int) -> ResponseReturnValue:
    """Deactivate or reactivate a campus or building: it leaves (or returns to) the intake pages, history stays."""
    if kind not in ("campus", "building"):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        set_place_active(session, actor=current_user.username, school_id=school_id(), kind=kind, place_id=place_id,
                         active=request.form.get("active") == "1")
    except LocationError:
        abort(404)
    session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin_catalogue.locations"))
