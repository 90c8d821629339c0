"""Signed, expiring rating links (and their QR codes), and who may rate through one.

The token names the order, not a task: whichever rating task is open when the link is used is
the one completed, so one printed QR code serves the re-ratings after rectification too. It is
single-use per rating task because a completed task can never be completed again.

A rating by link counts as the requester's, so the link must end in the requester's hands. Two kinds exist:

* the requester's own link (on their order page): holding it is the credential;
* a link **shown on a staff screen** (the code a clerk or auditor holds up): it names who showed it, the showing
  is audited, and whoever opens it must confirm being the requester, by the last four digits of the order's
  contact phone or by logging in as the requester.

A browser logged in as anyone but the requester can never rate by link: a staff member who scans the code
themselves is refused. The rating's audit row says how the requester was confirmed and who showed the code.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.advance import complete_task
from engine.audit import record
from engine.clock import now
from engine.errors import ConcurrentUpdate, NotAllowed, TaskNotReady
from engine.host import Host
from engine.models import HumanTask
from rules.store import RuleStore
from workflows.catalogue.models import CatalogueItem
from workflows.errors import Refusal
from workflows.i18n import N_
from workflows.people.models import User
from workflows.repair.enums import Confirmation, LinkAction
from workflows.repair.models import WorkOrder
from workflows.repair.service import by_number

SALT = "houqin.rating-link"
RATING_TASK = "rate"  # the repair diagram's rating user task
CONFIRM_DIGITS = 4  # how many trailing digits of the contact phone confirm the requester


class LinkInvalid(ValueError):
    """Forged, altered or expired link; ``expired`` tells which."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


class NothingToRate(Refusal):
    """The order exists but no rating is waiting (rated already, or not finished yet), said in the reader's
    language."""


class NotTheRequester(PermissionError):
    """The browser is logged in as someone other than the requester (a staff member scanning the code)."""


class LoginNeeded(PermissionError):
    """A code shown on a staff screen for an order whose contact phone has too few digits: only logging in as the
    requester confirms them."""


class WrongDigits(PermissionError):
    """The digits given (if any) do not end the order's contact phone."""


@dataclass(frozen=True)
class RatingLink:
    """An opened link: the order, its open rating task and who showed the code (None: the requester's own)."""

    order: WorkOrder
    task: HumanTask
    shown_by: int | None


def make_token(secret: str, *, school_id: int, order_number: str, shown_by: int | None = None) -> str:
    payload: dict[str, Any] = {"s": school_id, "o": order_number}
    if shown_by is not None:
        payload["d"] = shown_by
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(payload)


def _claims(secret: str, token: str) -> tuple[dict[str, Any], float]:
    try:
        data, signed_at = URLSafeTimedSerializer(secret, salt=SALT).loads(token, return_timestamp=True)
    except BadSignature as err:
        raise LinkInvalid("this rating link is not valid") from err
    return data, signed_at.timestamp()


def read_token(secret: str, token: str, *, max_age_for: Callable[[int], timedelta]) -> tuple[int, str, int | None]:
    """Return (school id, order number, shown by) or raise :class:`LinkInvalid`.

    ``max_age_for(school_id)`` gives that school's link validity (a rule), checked after the
    signature so a forged token never reaches the database.
    """
    data, signed_at = _claims(secret, token)
    school_id = int(data["s"])
    if now().timestamp() - signed_at > max_age_for(school_id).total_seconds():
        raise LinkInvalid("this rating link has expired", expired=True)
    shown_by = data.get("d")
    return school_id, str(data["o"]), int(shown_by) if shown_by is not None else None


def order_key(secret: str, token: str) -> str:
    """The order a token names, as a counter key for wrong confirmations: every code shown for one order shares
    one budget of guesses (a fresh code per guess gains nothing). Forged tokens share one key."""
    try:
        data, _signed_at = _claims(secret, token)
    except LinkInvalid:
        return "forged"
    return f"{data['s']}:{data['o']}"


def show_code(session: Session, *, order: WorkOrder, shown_by: User, secret: str) -> str:
    """A token for the code a staff member shows the requester, with the showing in the order's audit; raises
    :class:`NothingToRate` when no rating is waiting."""
    rating_task(session, order)
    record(session, action=LinkAction.SHOWN, actor=f"{shown_by.username}#{shown_by.id}", school_id=order.school_id,
           business_key=order.number)
    return make_token(secret, school_id=order.school_id, order_number=order.number, shown_by=shown_by.id)


def open_rating(session: Session, rules: RuleStore, secret: str, token: str) -> RatingLink:
    """The order and its open rating task for a link token, or raise :class:`LinkInvalid` / :class:`NothingToRate`."""
    school_id, number, shown_by = read_token(secret, token, max_age_for=lambda school: (
        rules.book(session, school).duration("repair.rating.link_valid_for")))
    order = by_number(session, school_id=school_id, number=number)
    if order is None:
        raise LinkInvalid("this rating link is not valid")
    return RatingLink(order=order, task=rating_task(session, order), shown_by=shown_by)


def rating_task(session: Session, order: WorkOrder) -> HumanTask:
    """The order's open rating task, or raise :class:`NothingToRate`."""
    task = session.scalar(select(HumanTask).where(HumanTask.business_key == order.number,
                                                  HumanTask.school_id == order.school_id, HumanTask.task_name == RATING_TASK))
    if task is None:
        raise NothingToRate(N_("this order has no rating waiting: it was rated already or is still being handled"))
    return task


def phone_digits(order: WorkOrder) -> str:
    """The digits of the contact phone that confirm the requester ("" when it has too few)."""
    digits = re.sub(r"\D", "", order.contact_phone or "")
    return digits[-CONFIRM_DIGITS:] if len(digits) >= CONFIRM_DIGITS else ""


def proof_needed(link: RatingLink, *, user_id: int | None) -> Confirmation:
    """How the person holding ``link`` will be known as the requester: :attr:`Confirmation.PHONE` means the digits
    must be asked. ``user_id`` is the browser's logged-in user (None when anonymous). Raises
    :class:`NotTheRequester` for anyone else's session, :class:`LoginNeeded` when only logging in can confirm."""
    if user_id is not None:
        if user_id != link.order.requester_id:
            raise NotTheRequester("only the requester may rate this order")
        return Confirmation.LOGIN
    if link.shown_by is None:
        return Confirmation.OWN_LINK
    if not phone_digits(link.order):
        raise LoginNeeded("log in as the requester to rate this order")
    return Confirmation.PHONE


def confirm(link: RatingLink, *, user_id: int | None, digits: str | None) -> Confirmation:
    """:func:`proof_needed`, then the phone digits checked where they are needed (:class:`WrongDigits`)."""
    proof = proof_needed(link, user_id=user_id)
    if proof is Confirmation.PHONE and re.sub(r"\D", "", digits or "") != phone_digits(link.order):
        raise WrongDigits("the digits do not match the order's contact phone")
    return proof


def submit_rating(host: Host, session: Session, *, link: RatingLink, data: dict[str, Any],
                  confirmation: Confirmation) -> None:
    """Complete the rating task as the order's requester, recording how they were confirmed and who showed the code."""
    order = link.order
    requester = session.get(User, order.requester_id)
    if requester is None:
        raise NothingToRate(N_("this order has no requester to rate it"))
    actor = Actor(id=requester.id, name=requester.username, school_id=order.school_id)
    try:
        complete_task(host, session, task_id=link.task.id, actor=actor, data=data)
    except (TaskNotReady, NotAllowed, ConcurrentUpdate) as err:
        raise NothingToRate(N_("this order has no rating waiting: it was rated already or is still being handled")) from err
    shower = session.get(User, link.shown_by) if link.shown_by is not None else None
    record(session, action=LinkAction.RATED, actor=actor.label, school_id=order.school_id, business_key=order.number,
           details={"confirmed_by": confirmation.value,
                    "shown_by": f"{shower.username}#{shower.id}" if shower is not None else None})


@dataclass(frozen=True)
class RatedJob:
    """What the rating page names at the top: the order's service item and the worker who did the job (None when
    no one person did)."""

    item: str
    worker: str | None


def rated_job(session: Session, order: WorkOrder, *, locale: str) -> RatedJob:
    item = session.get_one(CatalogueItem, order.catalogue_item_id)
    worker = session.get(User, order.worker_id) if order.worker_id is not None else None
    return RatedJob(item=item.name(locale), worker=worker.display_name if worker is not None else None)
