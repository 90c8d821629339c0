"""Where an order is, as the requester's phone page shows it: 报修 → 受理 → 派工 → 维修 → 评价, with 整改 between
维修 and 评价 once a bad rating was called back. Each stage is done, current, waiting, or stopped (rejected); a
returned order waits for the requester at 受理."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from workflows.i18n import N_, NC_, Message, translate
from workflows.repair.enums import Status
from workflows.repair.models import WorkOrder


class StageState(StrEnum):
    done = "done"
    current = "current"
    waiting = "waiting"  # not reached yet
    attention = "attention"  # waiting for the requester (returned for more information)
    stopped = "stopped"  # the order ended here (rejected)


@dataclass(frozen=True)
class Stage:
    key: str
    label: Message
    state: StageState
    at: str | None = None  # when it was done (ISO)
    caption: Message | None = None  # what is happening now, on the current stage


STAGES: tuple[tuple[str, Message], ...] = (
    ("reported", NC_("stepper", "Report")), ("accepted", NC_("stepper", "Review")),
    ("dispatched", NC_("stepper", "Dispatch")), ("repaired", NC_("stepper", "Repair")),
    ("rectified", NC_("stepper", "Rework")), ("rated", NC_("stepper", "Rating")),
)
RECTIFYING = (Status.callback, Status.rectifying, Status.leader_review)

# status → (the stage it is at, what is happening there, the state of that stage)
WHERE: dict[str, tuple[str, Message, StageState]] = {
    Status.submitted: ("accepted", N_("Waiting for review"), StageState.current),
    Status.returned: ("accepted", N_("Returned: please add the missing information"), StageState.attention),
    Status.rejected: ("accepted", N_("Not accepted"), StageState.stopped),
    Status.accepted: ("dispatched", N_("Waiting to be dispatched"), StageState.current),
    Status.dispatched: ("repaired", N_("Waiting for a worker to take the job"), StageState.current),
    Status.in_progress: ("repaired", N_("Being repaired"), StageState.current),
    Status.completed: ("rated", N_("Waiting for your rating"), StageState.current),
    Status.callback: ("rectified", N_("The auditor will call you back about your rating"), StageState.current),
    Status.rectifying: ("rectified", N_("Being rectified"), StageState.current),
    Status.leader_review: ("rectified", N_("The leaders are deciding what to do"), StageState.current),
}
# the captions above that speak to the requester, as anyone else reads them (an auditor, a clerk, a leader)
TO_OTHERS: dict[str, Message] = {
    Status.returned: N_("Returned to the requester for the missing information"),
    Status.completed: N_("Waiting for the requester's rating"),
    Status.callback: N_("Waiting for the auditor's call to the requester about the rating"),
}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def stages(order: WorkOrder, timeline: list[dict[str, Any]], *, requester: bool) -> list[Stage]:
    """The order's stages; ``timeline`` (its business timeline, oldest first) gives when each stage was done;
    ``requester``: read by the requester, to whom the caption of what is happening now may speak."""
    last = {e["action"]: e["at"] for e in timeline}
    done_at = {"reported": _iso(order.created_at), "accepted": _iso(order.accepted_at), "dispatched": last.get("order.dispatched"),
               "repaired": _iso(order.completed_at), "rectified": last.get("order.rectified"), "rated": last.get("order.rated")}
    keys = [key for key, _label in STAGES
            if key != "rectified" or order.rectification_rounds or order.status in RECTIFYING]
    here, caption, state = WHERE.get(order.status, (None, None, StageState.done))
    if not requester:
        caption = TO_OTHERS.get(order.status, caption)
    current = keys.index(here) if here in keys else len(keys)
    result = []
    for index, (key, label) in enumerate((k, dict(STAGES)[k]) for k in keys):
        if index < current:
            result.append(Stage(key, label, StageState.done, done_at[key]))
        elif index == current:
            result.append(Stage(key, label, state, caption=caption))
        else:
            result.append(Stage(key, label, StageState.waiting))
    return result


def stage_dicts(order: WorkOrder, timeline: list[dict[str, Any]], *, locale: str, requester: bool) -> list[dict[str, Any]]:
    """:func:`stages` in ``locale``, as the pages show them."""
    return [{"key": s.key, "label": translate(s.label, locale), "state": s.state, "at": s.at,
             "caption": translate(s.caption, locale) if s.caption else None}
            for s in stages(order, timeline, requester=requester)]
