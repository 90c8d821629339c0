"""The repair module's form data source: the workers a dispatcher chooses from, each with the teams they work in
(the dispatch form offers those of the chosen team) and how many jobs they have in hand. A worker who lacks a valid
certificate the order's service item requires (持证上岗) is shown with the reason and may not be chosen."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms.sources import takes_task
from workflows.i18n import N_, translate
from workflows.modules.contract import Source
from workflows.people.sources import workers_by_unit
from workflows.people.timezone import local_today
from workflows.repair.enums import IN_HAND_STATUSES
from workflows.repair.models import WorkOrder
from workflows.staff.certificates import Missing, missing_for_item, required_for_order, type_names

IN_HAND = N_("%(name)s (%(count)d in hand)")
UNCERTIFIED = N_("%(name)s may not be dispatched to this item: %(missing)s")
EXPIRED_ON = N_("%(type)s expired on %(day)s")
NEVER_HELD = N_("no valid %(type)s")


def jobs_in_hand(session: Session, *, school_id: int, worker_ids: Iterable[int]) -> dict[int, int]:
    """Orders each worker holds and has not finished (dispatched to them or taken), by worker id."""
    ids = list(worker_ids)
    if not ids:
        return {}
    stmt = (select(WorkOrder.worker_id, func.count(WorkOrder.id))
            .where(WorkOrder.school_id == school_id, WorkOrder.worker_id.in_(ids),
                   WorkOrder.status.in_([str(s) for s in IN_HAND_STATUSES]))
            .group_by(WorkOrder.worker_id))
    return {worker_id: count for worker_id, count in session.execute(stmt) if worker_id is not None}


def _refusal(name: str, missing: list[Missing], types: dict[int, str], locale: str) -> str:
    said = [translate(EXPIRED_ON, locale) % {"type": types.get(m.type_id, ""), "day": m.expired_on.isoformat()}
            if m.expired_on is not None else translate(NEVER_HELD, locale) % {"type": types.get(m.type_id, "")}
            for m in missing]
    return translate(UNCERTIFIED, locale) % {"name": name, "missing": "; ".join(said)}


@takes_task
def dispatch_workers(session: Session, *, school_id: int, org_unit_id: int | None, locale: str,
                     business_key: str | None = None) -> list[tuple[str, str, list[int], str | None]]:
    """Workers of the task's unit as "张师傅（在办 3）", each with their teams and, when the order's item requires a
    certificate they lack today, why they may not be chosen."""
    found = workers_by_unit(session, school_id=school_id, org_unit_id=org_unit_id)
    counts = jobs_in_hand(session, school_id=school_id, worker_ids=[user.id for user, _teams in found])
    required = required_for_order(session, school_id=school_id, number=business_key) if business_key else set()
    missing = missing_for_item(session, school_id=school_id, user_ids=[user.id for user, _teams in found],
                               required=required, on=local_today(session, school_id)) if required else {}
    types = type_names(session, school_id=school_id, locale=locale) if missing else {}
    return [(str(user.id), translate(IN_HAND, locale) % {"name": user.display_name, "count": counts.get(user.id, 0)},
             sorted(teams), _refusal(user.display_name, missing[user.id], types, locale) if user.id in missing else None)
            for user, teams in found]


SOURCES: dict[str, Source] = {"dispatch_workers": dispatch_workers}
