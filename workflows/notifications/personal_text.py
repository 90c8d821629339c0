"""What a personal message says (WeCom, WeChat, SMS): the notification's title in the person's language, the order
it is about, when it happened in the school's time zone, and where to read more."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.clock import now
from engine.models import OutboxMessage
from workflows.i18n import N_, normalise, translate
from workflows.notifications import titles
from workflows.people.models import User
from workflows.people.timezone import school_zone

DETAILS = N_("Details")
NOTIFICATIONS_PATH = "/notifications/"  # the bell's list: every notification leads on from there


@dataclass(frozen=True)
class PersonalText:
    title: str
    order: str  # the order or other reference, "" when there is none
    when: str  # YYYY-MM-DD HH:MM in the school's time zone
    link: str | None  # the person's notifications page, when the deployment's public address is set
    button: str  # the link's caption

    def lines(self) -> list[str]:
        return [line for line in (self.order, self.when) if line]


def render(session: Session, message: OutboxMessage, user: User, public_url: str | None) -> PersonalText:
    loc = normalise(user.locale)
    zone = school_zone(session, message.school_id)
    order = (message.payload or {}).get("order") or message.business_key or ""
    return PersonalText(title=titles.title(message.kind, message.payload, message.business_key, loc), order=str(order),
                        when=(message.created_at or now()).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                        link=f"{public_url}{NOTIFICATIONS_PATH}" if public_url else None,
                        button=translate(DETAILS, loc))
