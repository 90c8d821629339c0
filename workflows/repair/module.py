"""The repair process (and its rating appeals) as a process module: how the inbox, the task page, the timeline
and the API show a work order."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from engine.models import HumanTask
from forms.schema import FieldDef
from forms.uploads import IMAGE_TYPES, Upload
from rules.store import RuleStore
from workflows.catalogue.models import Building, CatalogueItem
from workflows.i18n import N_
from workflows.modules import timeline
from workflows.modules.contract import Panel, ProcessModule, Summary
from workflows.people.models import User
from workflows.repair import photos
from workflows.repair.enums import AppealAction, LinkAction
from workflows.repair.history import TIMELINE
from workflows.repair.indicators import INDICATORS
from workflows.repair.models import OrderPhoto, WorkOrder
from workflows.repair.readmodel import order_dict
from workflows.repair.registration import register
from workflows.repair.service import by_number, may_view, open_tasks
from workflows.repair.sources import SOURCES
from workflows.standards import service as standards

PHOTO_STAGES = {"report", "result", "rectification"}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    """Colour, service item and place of each order, by number, in one query."""
    stmt = (select(WorkOrder, CatalogueItem, Building).join(CatalogueItem, CatalogueItem.id == WorkOrder.catalogue_item_id)
            .outerjoin(Building, Building.id == WorkOrder.building_id)
            .where(WorkOrder.school_id == school_id, WorkOrder.number.in_(keys)))
    return {order.number: Summary(text=item.name(locale), colour=order.colour, urgency=order.urgency,
                                  place=" · ".join(filter(None, [building.name if building else None, order.room])) or None,
                                  link=("orders.detail", {"number": order.number}))
            for order, item, building in session.execute(stmt)}


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    """The order beside its task (facts, photos, business timeline), when the user may see it."""
    order = by_number(session, school_id=school_id, number=key)
    if order is None or not may_view(session, user, order, rules):
        return None
    return Panel(kind=N_("Order"), number=order.number, link=("orders.detail", {"number": order.number}),
                 colour=order.colour, timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 photo_link=TIMELINE.photo_link, template="orders/_task_panel.html",
                 extra={"order": order, "facts": order_dict(session, order, locale=locale),
                        "tasks": open_tasks(session, order),
                        "standards": standards.for_service(session, school_id=school_id,
                                                           catalogue_item_id=order.catalogue_item_id)})


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    order = by_number(session, school_id=school_id, number=key)
    if order is None or not may_view(session, user, order, rules):
        return None
    return {**order_dict(session, order, locale=locale),
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


def keys_where(*, school_id: int, colour: str | None, campus_id: int | None) -> Select[Any]:
    """Numbers of the school's orders with this colour and/or on this campus."""
    stmt = select(WorkOrder.number).where(WorkOrder.school_id == school_id)
    if colour is not None:
        stmt = stmt.where(WorkOrder.colour == colour)
    if campus_id is not None:
        stmt = stmt.where(WorkOrder.campus_id == campus_id)
    return stmt


def keys_searched(*, school_id: int, words: str) -> Select[Any]:
    """Numbers of orders whose requester (account name or the contact given) contains ``words``."""
    return (select(WorkOrder.number).join(User, User.id == WorkOrder.requester_id)
            .where(WorkOrder.school_id == school_id,
                   or_(WorkOrder.contact_name.icontains(words, autoescape=True),
                       User.display_name.icontains(words, autoescape=True))))


def store_upload(session: Session, *, school_dir: Path, row: HumanTask, user_id: int | None, field: FieldDef,
                 upload: Upload) -> dict[str, Any] | None:
    """Photos on an order's task become the order's photos, staged by the field's ``purpose`` (default
    ``result``); anything else is left to the generic store."""
    order = by_number(session, school_id=row.school_id, number=row.business_key) if row.business_key and row.school_id else None
    if order is None or not (field.type == "photo" or upload.mime in IMAGE_TYPES):
        return None
    name = photos.store_upload(session, upload, school_dir)
    stage = field.purpose if field.purpose in PHOTO_STAGES else "result"
    photo = OrderPhoto(school_id=order.school_id, order_id=order.id, stage=stage, stored_name=name, uploaded_by_id=user_id)
    session.add(photo)
    session.flush()
    return {"photo_id": photo.id, "name": upload.filename}


ACTIONS = {
    "order.reviewed": N_("Reviewed"), "order.supplemented": N_("Information added"),
    "order.lapsed": N_("Closed: the information was not added in time"),
    "order.dispatched": N_("Dispatched"), "order.job_accepted": N_("Job answered by the worker"),
    "order.completed": N_("Repair recorded"), "order.rated": N_("Rated"),
    "order.called_back": N_("Requester called back"), "order.rectified": N_("Rectified"),
    "order.leader_review": N_("Passed to the leaders"), "order.coloured": N_("Overdue colour changed"),
    "order.urged": N_("Chased"), "order.closed": N_("Closed"), AppealAction.decided: N_("Appeal decided"),
    AppealAction.filed: N_("Rating appealed"),
    LinkAction.SHOWN: N_("Rating code shown to the requester"), LinkAction.RATED: N_("Rated through a link"),
}

MODULE = ProcessModule(
    register=register,
    name="repair", label=N_("Repair orders"), process_keys=frozenset({"repair", "rating_appeal"}),
    summaries=summaries, panel=panel, resource=resource, actions=ACTIONS, timeline=TIMELINE, indicators=INDICATORS,
    keys_where=keys_where, keys_searched=keys_searched, store_upload=store_upload, sources=SOURCES,
)
