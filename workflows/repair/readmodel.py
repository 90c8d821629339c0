"""Plain dictionaries describing orders for pages and the API (one shape for both)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.models import Building, CatalogueItem
from workflows.people.models import Campus, User
from workflows.repair.models import Rating, WorkOrder


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def order_dict(session: Session, order: WorkOrder, *, locale: str = "zh_CN") -> dict[str, Any]:
    item = session.get_one(CatalogueItem, order.catalogue_item_id)
    campus = session.get_one(Campus, order.campus_id)
    building = session.get(Building, order.building_id) if order.building_id else None
    worker = session.get(User, order.worker_id) if order.worker_id else None
    ratings = session.scalars(select(Rating).where(Rating.order_id == order.id).order_by(Rating.id)).all()
    return {
        "number": order.number, "status": order.status, "colour": order.colour, "channel": order.channel,
        "urgency": order.urgency, "description": order.description,
        "catalogue_item": {"id": item.id, "code": item.code, "name": item.name(locale)},
        "location": {"campus": campus.name, "building": building.name if building else None, "room": order.room},
        "contact": {"name": order.contact_name, "phone": order.contact_phone},
        "worker": worker.display_name if worker else None,
        "rectification_rounds": order.rectification_rounds,
        "created_at": _iso(order.created_at), "accepted_at": _iso(order.accepted_at),
        "completed_at": _iso(order.completed_at), "closed_at": _iso(order.closed_at),
        "ratings": [{"round": r.round, "overall": r.overall, "quality": r.quality, "efficiency": r.efficiency,
                     "attitude": r.attitude, "comment": r.comment, "bad": r.is_bad, "default": r.is_default,
                     "appeal": r.appeal_status, "at": _iso(r.created_at)} for r in ratings],
        "photos": [{"id": p.id, "stage": p.stage} for p in order.photos],
    }

