"""Plan recurrences, occurrence statuses and the evidence a plan may require, as stored strings."""
from enum import StrEnum


class Recurrence(StrEnum):
    once = "once"
    weekly = "weekly"
    monthly = "monthly"
    yearly = "yearly"
    seasonal = "seasonal"  # every N weeks inside a window of months, e.g. June–September every 2 weeks


class OccurrenceStatus(StrEnum):
    scheduled = "scheduled"
    reminded = "reminded"
    under_review = "under_review"
    rectifying = "rectifying"
    closed = "closed"
    failed = "failed"
    cancelled = "cancelled"  # its plan was deactivated with the open occurrences cancelled


class Passed(StrEnum):
    """The evaluation of an executed occurrence (form ``plan_review``, field ``passed``)."""

    yes = "yes"
    no = "no"  # failed: rectify


class Evidence(StrEnum):
    photos = "photos"
    signed_sheet = "signed_sheet"
    meter_readings = "meter_readings"
