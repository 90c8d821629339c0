"""Plan recurrences, occurrence statuses and the evidence a plan may require, as stored strings."""
from enum import StrEnum


class Recurrence(StrEnum):
    once = "once"
    weekly = "weekly"
    monthly = "monthly"
    yearly = "yearly"
    seasonal = "seasonal"  # every N weeks inside a window of months, e.g. June–September every 2 weeks
    monthly_weekday = "monthly_weekday"  # every N months on the first … fourth or last weekday, e.g. the first Monday


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


class OccurrenceState(StrEnum):
    """What a date of a plan is at a moment, as the pages say it: the stored status read against the clock (an
    occurrence left undone past its due time is overdue) and the plan's dates not generated yet."""

    not_generated = "not_generated"  # a coming date of an active plan, its occurrence not created yet
    not_started = "not_started"
    in_progress = "in_progress"
    overdue = "overdue"
    under_review = "under_review"
    rectifying = "rectifying"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


class PlanAction(StrEnum):
    """The audit actions of work plans: a plan entered, edited, deactivated or reactivated, and the steps of an
    occurrence's diagram (``plan.<step>``, written by :mod:`workflows.stepping`)."""

    created = "plan.created"
    edited = "plan.edited"
    deactivated = "plan.deactivated"
    reactivated = "plan.reactivated"
    reminded = "plan.reminded"
    executed = "plan.executed"
    reviewed = "plan.reviewed"
    rectified = "plan.rectified"
    coloured = "plan.coloured"
    failed = "plan.failed"
    closed = "plan.closed"
