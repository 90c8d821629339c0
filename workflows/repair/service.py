"""Creating orders from every channel and reading them back (status, colour, timeline)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.advance import start
from engine.clock import now
from engine.host import Host
from engine.inbox import open_of
from engine.models import AuditEvent, HumanTask
from engine.paging import PER_PAGE, Page, paged
from rules.book import item_code
from rules.helpers import CATEGORY_VARIABLE, ITEM_VARIABLE
from rules.store import RuleStore
from workflows.catalogue.models import Building, CatalogueItem
from workflows.catalogue.service import service_unit_of
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.modules.timeline import audit_rows
from workflows.numbering import day_number, store_numbered
from workflows.people.enums import Role
from workflows.people.models import Campus, User
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import actor_for, role_names
from workflows.repair import photos
from workflows.repair.enums import Channel, Urgency
from workflows.repair.events import publish_created
from workflows.repair.models import OrderPhoto, WorkOrder

PROCESS_KEY = "repair"
MAX_PHOTOS = 6
INTAKE_BODY_LIMIT = MAX_PHOTOS * photos.MAX_BYTES + 2 * 1024 * 1024  # every photo at full size, plus the form
TEAM_ORDERS = "repair.visibility.team_orders"  # the rule letting a team's workers see all its orders
STAFF_ROLES = {Role.clerk, Role.auditor, Role.repair_centre, Role.deputy_leader, Role.main_leader, Role.supervisor,
               Role.school_leader, Role.admin}


class IntakeError(FieldError):
    """The request cannot become an order; ``field`` names the input at fault."""


@dataclass(frozen=True)
class External:
    """Where an imported order came from: the other platform (``source``), its id there, and when it was reported
    there. A school takes each (source, id) once."""

    source: str
    id: str
    reported_at: datetime | None = None


@dataclass(frozen=True)
class Intake:
    channel: Channel
    requester_id: int
    contact_name: str
    contact_phone: str
    campus_id: int
    catalogue_item_id: int
    description: str
    building_id: int | None = None
    room: str | None = None
    urgency: Urgency = Urgency.normal
    entered_by_id: int | None = None
    external: External | None = None


def _check(session: Session, school_id: int, intake: Intake) -> CatalogueItem:
    item = session.get(CatalogueItem, intake.catalogue_item_id)
    if item is None or item.school_id != school_id or item.parent_id is None:
        raise IntakeError("catalogue_item_id", N_("unknown service item"))
    campus = session.get(Campus, intake.campus_id)
    if campus is None or campus.school_id != school_id or not campus.active:
        raise IntakeError("campus_id", N_("unknown campus"))
    if intake.building_id is not None:
        building = session.get(Building, intake.building_id)
        if building is None or building.campus_id != campus.id or not building.active:
            raise IntakeError("building_id", N_("the building is not on that campus"))
    requester = session.get(User, intake.requester_id)
    if requester is None or requester.school_id != school_id:
        raise IntakeError("requester_id", N_("unknown requester"))
    if not intake.description.strip():
        raise IntakeError("description", N_("describe the problem"))
    return item


def next_number(session: Session, school_id: int) -> str:
    """BX + the school's today + the day's running count among the school's orders."""
    return day_number(session, WorkOrder, letters="BX", school_id=school_id)


def create_order(session: Session, host: Host, *, school_id: int, intake: Intake, photo_files: Sequence[bytes] = (),
                 uploads_dir: Path) -> WorkOrder:
    """Validate, store the order and its photos, start the repair process for it and publish ``order.created``."""
    item = _check(session, school_id, intake)
    check_photos(photo_files)
    stored = [photos.store(session, data, uploads_dir / str(school_id)) for data in photo_files]
    team_id = item.default_team_id
    order = WorkOrder(school_id=school_id, channel=intake.channel,
                      requester_id=intake.requester_id, entered_by_id=intake.entered_by_id,
                      contact_name=intake.contact_name, contact_phone=intake.contact_phone, campus_id=intake.campus_id,
                      building_id=intake.building_id, room=intake.room, catalogue_item_id=item.id,
                      description=intake.description.strip(), urgency=intake.urgency, team_id=team_id,
                      unit_id=service_unit_of(session, team_id), created_at=now(), photos=[])  # known empty: not read back
    if intake.external is not None:
        order.external_source, order.external_id = intake.external.source, intake.external.id
        order.reported_at = intake.external.reported_at
    store_numbered(session, order, lambda: next_number(session, order.school_id))
    order.photos.extend(OrderPhoto(school_id=school_id, stage="report", stored_name=name,
                                   uploaded_by_id=intake.entered_by_id or intake.requester_id) for name in stored)
    instance = start(host, session, process_key=PROCESS_KEY, business_key=order.number, school_id=school_id, data={
        "order_id": order.id, "order_number": order.number, "requester_id": order.requester_id,
        "unit_id": order.unit_id, "team_id": team_id, "urgency": str(order.urgency), "rect_round": 0,
        **rule_scope(session, item),
    })
    order.instance_id = instance.id
    publish_created(session, host.dispatcher, order)
    return order


def rule_scope(session: Session, item: CatalogueItem) -> dict[str, str | None]:
    """The task data naming which rule overrides apply to an order of ``item``: its own, then its category's."""
    category = category_code(session, item)
    return {ITEM_VARIABLE: item_code(category, item.code) if item.parent_id else None, CATEGORY_VARIABLE: category}


def category_code(session: Session, item: CatalogueItem) -> str:
    """The catalogue category an item belongs to: the scope of per-category rules."""
    parent = session.get(CatalogueItem, item.parent_id) if item.parent_id else None
    return (parent or item).code


def may_view(session: Session, user: User, order: WorkOrder, rules: RuleStore) -> bool:
    """The requester, whoever entered it, the staff of the order's school, and a worker only for an order they are,
    were or may be put on: assigned to it, having done one of its steps, or holding one of its open tasks (a team
    job offered to them); or any order of their team where the rules let teams see theirs. Other workers, and
    staff of plans only, do not see the requester's name, phone and photos."""
    if user.school_id is not None and user.school_id != order.school_id:
        return False
    if user.id in (order.requester_id, order.worker_id, order.entered_by_id):
        return True
    roles = role_names(user)
    if roles & STAFF_ROLES:
        return True
    if Role.worker not in roles:
        return False
    if _worked_on(session, user, order):
        return True
    actor = actor_for(session, user)
    return _offered(session, actor, order) or _team_sees(session, actor, order, rules)


def _worked_on(session: Session, user: User, order: WorkOrder) -> bool:
    label = f"{user.username}#{user.id}"
    return session.scalar(select(AuditEvent.id).where(AuditEvent.school_id == order.school_id,
                                                      AuditEvent.business_key == order.number,
                                                      AuditEvent.actor == label).limit(1)) is not None


def _offered(session: Session, actor: Actor, order: WorkOrder) -> bool:
    return any(TASK_POLICY.may_complete(actor, row) for row in open_tasks(session, order))


def _team_sees(session: Session, actor: Actor, order: WorkOrder, rules: RuleStore) -> bool:
    """A worker of the order's team, where the rule for the order's service item lets its team see it (the rule is
    read only for a worker of that team)."""
    if order.team_id is None or not actor.may(Role.worker, order.team_id):
        return False
    item = session.get(CatalogueItem, order.catalogue_item_id)
    if item is None:
        return False
    scope = rule_scope(session, item)
    return rules.book(session, order.school_id).value(TEAM_ORDERS, (scope[ITEM_VARIABLE], scope[CATEGORY_VARIABLE])) is True


def by_number(session: Session, *, school_id: int, number: str) -> WorkOrder | None:
    return session.scalar(select(WorkOrder).where(WorkOrder.school_id == school_id, WorkOrder.number == number))


def timeline(session: Session, order: WorkOrder) -> list[AuditEvent]:
    """Every audited step of the order, oldest first (intake, tasks, timers, reminders, escalations)."""
    return audit_rows(session, school_id=order.school_id, key=order.number)


def orders_of(session: Session, *, requester_id: int, limit: int = 50) -> list[WorkOrder]:
    return list(session.scalars(select(WorkOrder).where(WorkOrder.requester_id == requester_id)
                                .order_by(WorkOrder.id.desc()).limit(limit)))


def check_photos(photo_files: Sequence[bytes]) -> None:
    """Refuse the whole set before anything is stored, so one bad photo among several leaves no file behind."""
    if len(photo_files) > MAX_PHOTOS:
        raise IntakeError("photos", N_("at most %(n)d photos"), n=MAX_PHOTOS)
    for position, data in enumerate(photo_files, start=1):
        try:
            photos.inspect(data)
        except photos.PhotoRejected as err:
            raise IntakeError("photos", N_("photo %(position)d %(problem)s"), position=position, problem=err) from err


def open_tasks(session: Session, order: WorkOrder) -> list[HumanTask]:
    """The order's open human tasks (review, dispatch, rate, …), oldest first."""
    return open_of(session, school_id=order.school_id, business_key=order.number)


# --- look-ups for the order pages (portal, counter, staff list, order page) --------------------------

def find_requester(session: Session, *, school_id: int, query: str) -> User | None:
    """The active user of ``school_id`` a clerk means by ``query``: the exact username, else the phone number.

    Counter and hotline intake only know what the caller tells the clerk. A phone number shared by several
    accounts is refused (IntakeError on ``requester``) rather than guessed, so no order lands on the wrong person.
    """
    query = (query or "").strip()
    if not query:
        return None
    active = (User.school_id == school_id, User.active.is_(True))
    user = session.scalar(select(User).where(User.username == query, *active))
    if user is not None:
        return user
    matches = list(session.scalars(select(User).where(User.phone == query, *active).limit(2)))
    if len(matches) > 1:
        raise IntakeError("requester", N_("several users have this phone number"))
    return matches[0] if matches else None


@dataclass(frozen=True)
class OrderRow:
    """One line of an order list: the order with its service item and building, read in one query."""

    order: WorkOrder
    item: CatalogueItem
    building: Building | None


def _order_rows(session: Session, stmt: Select[WorkOrder, CatalogueItem, Building]) -> list[OrderRow]:
    return [OrderRow(order, item, building) for order, item, building in session.execute(stmt)]


def _rows_query(*conditions: ColumnElement[bool]) -> Select[WorkOrder, CatalogueItem, Building]:
    return (select(WorkOrder, CatalogueItem, Building)
            .join(CatalogueItem, CatalogueItem.id == WorkOrder.catalogue_item_id)
            .outerjoin(Building, Building.id == WorkOrder.building_id)
            .where(*conditions))


def search_orders(session: Session, *, school_id: int, status: str | None = None, colour: str | None = None,
                  number: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The staff list: one school's orders, newest first, filtered by status, colour and part of the number.

    ``page`` is clamped to the pages that exist, so a stale link past the end shows the last page.
    """
    conditions = [WorkOrder.school_id == school_id]
    if status:
        conditions.append(WorkOrder.status == status)
    if colour:
        conditions.append(WorkOrder.colour == colour)
    if number and number.strip():
        conditions.append(WorkOrder.number.icontains(number.strip(), autoescape=True))
    stmt: Select[*tuple[Any, ...]] = (  # paged() is typed for one-column selects
        _rows_query(*conditions).order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc()))
    return paged(session, stmt, select(func.count(WorkOrder.id)).where(*conditions), page, per_page, whole_rows=True,
                 shape=lambda rows: [OrderRow(order, item, building) for order, item, building in rows])


def requester_orders(session: Session, *, requester_id: int, limit: int = 50) -> list[OrderRow]:
    """``orders_of`` with the service item and building, for the requester's "my requests" cards."""
    return _order_rows(session, _rows_query(WorkOrder.requester_id == requester_id)
                       .order_by(WorkOrder.id.desc()).limit(limit))
