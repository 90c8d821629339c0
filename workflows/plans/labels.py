"""The words for what a plan's date is (:class:`OccurrenceState`), as catalog messages with the context
"plan occurrence" ("Completed" is a state here, a time elsewhere); the plan pages wrap them in
``lazy_pgettext``."""
from __future__ import annotations

from workflows.i18n import NC_
from workflows.plans.enums import OccurrenceState

STATE_WORDS: dict[OccurrenceState, tuple[str, str]] = {
    OccurrenceState.not_generated: NC_("plan occurrence", "Not generated yet"),
    OccurrenceState.not_started: NC_("plan occurrence", "Not started"),
    OccurrenceState.in_progress: NC_("plan occurrence", "In progress"),
    OccurrenceState.overdue: NC_("plan occurrence", "Overdue, not done"),
    OccurrenceState.under_review: NC_("plan occurrence", "Waiting for evaluation"),
    OccurrenceState.rectifying: NC_("plan occurrence", "Being rectified"),
    OccurrenceState.completed: NC_("plan occurrence", "Completed"),
    OccurrenceState.failed: NC_("plan occurrence", "Closed as failed"),
    OccurrenceState.cancelled: NC_("plan occurrence", "Cancelled"),
}
