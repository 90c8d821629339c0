"""The repair module's form data source: the workers a dispatcher chooses from, each with the teams they work in
(the dispatch form offers those of the chosen team) and how many jobs they have in hand."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.i18n import N_, translate
from workflows.modules.contract import Source
from workflows.people.sources import workers_by_unit
from workflows.repair.enums import IN_HAND_STATUSES
from workflows.repair.models import WorkOrder

IN_HAND = N_("%(name)s (%(count)d in hand)")


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


def dispatch_workers(session: Session, *, school_id: int, org_unit_id: int | None,
                     locale: str) -> list[tuple[str, str, list[int]]]:
    """Workers of the task's unit as "张师傅（在办 3）", each with their teams."""
    found = workers_by_unit(session, school_id=school_id, org_unit_id=org_unit_id)
    counts = jobs_in_hand(session, school_id=school_id, worker_ids=[user.id for user, _teams in found])
    return [(str(user.id), translate(IN_HAND, locale) % {"name": user.display_name, "count": counts.get(user.id, 0)}, sorted(teams))
            for user, teams in found]


SOURCES: dict[str, Source] = {"dispatch_workers": dispatch_workers}
