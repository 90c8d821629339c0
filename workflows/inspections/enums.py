"""The words of an inspection, as stored strings: service types, scoring, round kinds and states, finding
severities and states, and the re-check's verdict; why a round is not recorded at all, and the parts of a round's
report a refusal names."""
from enum import StrEnum


class ServiceType(StrEnum):
    """The service a checklist inspects."""

    cleaning = "cleaning"
    dormitory = "dormitory"
    canteen = "canteen"
    greening = "greening"
    security = "security"
    equipment = "equipment"


class Scoring(StrEnum):
    """How an item is scored: passed or failed (all its points or none), or its points less the deductions."""

    pass_fail = "pass_fail"
    points = "points"


class RoundKind(StrEnum):
    scheduled = "scheduled"  # generated from a schedule's recurrence
    spot = "spot"  # 随机抽查: started by the inspector on the spot


class RoundStatus(StrEnum):
    planned = "planned"
    done = "done"


class WhyNotRecorded(StrEnum):
    """Why a round is not recorded at all, whatever its report says; the API answers each with its own status."""

    not_inspector = "not_inspector"  # the person lacks the rule's inspector role
    missing = "missing"  # no such round at the person's school
    already_recorded = "already_recorded"  # perhaps by someone else meanwhile


class ReportPart(StrEnum):
    """The part of a round's report a refusal is about, as the forms name it (``items-<n>-<field>`` …)."""

    item = "items"  # the result of the checklist's n-th item
    result = "results"  # the n-th result as reported, whichever item it names
    extra = "extra"  # the n-th problem beside the checklist, or (no n) their list


class Severity(StrEnum):
    minor = "minor"
    major = "major"
    critical = "critical"


class FindingStatus(StrEnum):
    rectifying = "rectifying"  # with the responsible unit
    rechecking = "rechecking"  # fixed, waiting for the inspector's re-check
    closed = "closed"  # the re-check passed


class Recheck(StrEnum):
    """The inspector's verdict on a fix (form ``inspection_recheck``, field ``passed``)."""

    passed = "yes"
    failed = "no"


class InspectionAction(StrEnum):
    """The audit actions of inspections: the office's changes to checklists and schedules, the rounds, and the
    steps of a finding's diagram (``inspections.<step>``, written by :mod:`workflows.stepping`)."""

    template_created = "admin.inspection_template.create"
    template_updated = "admin.inspection_template.update"
    schedule_created = "admin.inspection_schedule.create"
    schedule_stopped = "admin.inspection_schedule.stop"
    round_planned = "inspections.round_planned"
    round_started = "inspections.round_started"
    round_done = "inspections.round_done"
    rectified = "inspections.rectified"
    rechecked = "inspections.rechecked"
    coloured = "inspections.coloured"
    urged = "inspections.urged"
