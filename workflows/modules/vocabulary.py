"""The words every process shares on a timeline: the engine's own audit actions (tasks opened, claimed,
handed over; processes started and finished; events between processes), with their catalog msgids."""
from __future__ import annotations

from workflows.i18n import N_

ENGINE_ACTIONS = {
    "task.created": N_("Task opened"), "task.completed": N_("Task done"), "task.closed": N_("Task closed"),
    "task.claimed": N_("Task claimed"), "task.released": N_("Task released"), "task.reassigned": N_("Task reassigned"),
    "step.completed": N_("Step passed"),
    "instance.started": N_("Process started"), "instance.completed": N_("Process finished"),
    "instance.error": N_("Process error"), "instance.terminated": N_("Cancelled"),
    "event.received": N_("Event received"), "event.thrown": N_("Event sent"),
    "event.delivery_failed": N_("Event could not be delivered"),
}
