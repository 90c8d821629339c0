"""A complaint as pages and the API read it: its words, the names it points at, and the complainant shown only to
those :func:`~workflows.complaints.identity.sees_identity` allows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.complaints.identity import sees_identity
from workflows.complaints.labels import ANONYMOUS, CATEGORY_WORDS, CHANNEL_WORDS, HIDDEN, KIND_WORDS, STATUS_WORDS
from workflows.complaints.models import Complaint
from workflows.i18n import Message, translate
from workflows.people.models import OrgUnit, User


def names(session: Session, complaint: Complaint) -> dict[str, str]:
    """The names of the units and people the complaint points at (the complainant is not among them)."""
    units = {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(
        {i for i in (complaint.target_unit_id, complaint.unit_id) if i})))}
    person = session.get(User, complaint.target_person_id) if complaint.target_person_id else None
    return {"target_unit": units.get(complaint.target_unit_id or 0, ""), "unit": units.get(complaint.unit_id or 0, ""),
            "target_person": person.display_name if person else ""}


@dataclass(frozen=True)
class Complainant:
    name: str
    phone: str


def hidden_word(complaint: Complaint) -> Message:
    """What is shown instead of the complainant: anonymous, or hidden from the unit complained about."""
    return ANONYMOUS if complaint.anonymous else HIDDEN


def complainant(session: Session, viewer: User, complaint: Complaint) -> Complainant | None:
    """Who complained, for those who may know it (None for everyone else)."""
    if not sees_identity(session, viewer, complaint):
        return None
    person = session.get(User, complaint.complainant_id) if complaint.complainant_id else None
    return Complainant(complaint.contact_name or (person.display_name if person else ""),
                       complaint.contact_phone or (person.phone if person and person.phone else ""))


def as_dict(session: Session, viewer: User, complaint: Complaint, locale: str) -> dict[str, Any]:
    """The complaint for the API: ids and stable words, its complainant only where the viewer may see them."""
    who = complainant(session, viewer, complaint)
    return {
        "number": complaint.number, "kind": complaint.kind, "category": complaint.category, "channel": complaint.channel,
        "status": complaint.status, "status_label": translate(STATUS_WORDS[complaint.status], locale),
        "kind_label": translate(KIND_WORDS[complaint.kind], locale),
        "category_label": translate(CATEGORY_WORDS[complaint.category], locale),
        "channel_label": translate(CHANNEL_WORDS[complaint.channel], locale),
        "urgent": complaint.urgent, "anonymous": complaint.anonymous, "colour": complaint.colour,
        "description": complaint.description, "target_unit_id": complaint.target_unit_id,
        "target_person_id": complaint.target_person_id, "target_place": complaint.target_place,
        "unit_id": complaint.unit_id, **names(session, complaint),
        "complainant": {"name": who.name, "phone": who.phone} if who else None,
        "complainant_hidden": None if who else translate(hidden_word(complaint), locale),
        "forward_reason": complaint.forward_reason, "reply": complaint.reply,
        "first_response_due": _iso(complaint.first_response_due), "first_response_at": _iso(complaint.first_response_at),
        "resolution_due": _iso(complaint.resolution_due), "replied_at": _iso(complaint.replied_at),
        "satisfied": complaint.satisfied, "rounds": complaint.rounds, "created_at": complaint.created_at.isoformat(),
        "closed_at": _iso(complaint.closed_at),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
