"""The words of a complaint, as stored strings: its kind, channel, status and the decisions taken on it."""
from enum import StrEnum


class Kind(StrEnum):
    complaint = "complaint"
    suggestion = "suggestion"
    praise = "praise"


class Channel(StrEnum):
    portal = "portal"
    phone = "phone"  # the phone page
    hotline = "hotline"  # entered by a clerk
    api = "api"


class Category(StrEnum):
    """What the complaint is about, so the figures can say where complaints come from."""

    repair = "repair"
    cleaning = "cleaning"
    canteen = "canteen"
    dormitory = "dormitory"
    security = "security"
    attitude = "attitude"
    other = "other"


class Status(StrEnum):
    triage = "triage"  # waiting for the supervision office
    handling = "handling"  # with the responsible unit
    replied = "replied"  # waiting for the complainant's verdict
    leader = "leader"  # not satisfied again: raised to the leader
    forwarded = "forwarded"  # not ours: passed on with a reason, closed
    closed = "closed"


class TriageDecision(StrEnum):
    """The supervision office's reading of a complaint (form ``complaint_triage``)."""

    valid = "valid"
    suggestion = "suggestion"
    not_ours = "not_ours"


class Verdict(StrEnum):
    """The complainant's answer to the reply (form ``complaint_satisfaction``)."""

    satisfied = "satisfied"
    not_satisfied = "not_satisfied"


class Next(StrEnum):
    """Where the diagram goes after the verdict or the leader's decision."""

    close = "close"
    reopen = "reopen"
    leader = "leader"


class LeaderDecision(StrEnum):
    close = "close"
    handle_again = "handle_again"
