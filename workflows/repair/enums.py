"""Order channels, statuses, colours and urgencies, stored as stable strings."""
from enum import StrEnum


class Channel(StrEnum):
    portal = "portal"      # web portal, requester logged in
    phone = "phone"        # phone page opened from a link / QR code (WeChat-style)
    counter = "counter"    # service-hall counter, a clerk enters it
    hotline = "hotline"    # phone hotline, a clerk enters it
    api = "api"            # another platform through the JSON API
    imported = "imported"  # taken over in bulk from another platform (CSV/Excel or the import API)


class Status(StrEnum):
    submitted = "submitted"
    returned = "returned"
    rejected = "rejected"
    accepted = "accepted"
    dispatched = "dispatched"
    in_progress = "in_progress"
    completed = "completed"
    callback = "callback"
    rectifying = "rectifying"
    leader_review = "leader_review"
    closed = "closed"


OPEN_STATUSES = tuple(s for s in Status if s not in (Status.rejected, Status.closed))
IN_HAND_STATUSES = (Status.dispatched, Status.in_progress)  # a worker holds the job and has not finished it


class Urgency(StrEnum):
    normal = "normal"
    urgent = "urgent"
    emergency = "emergency"


class ReviewDecision(StrEnum):
    """The auditor's review of a new order (form ``repair_review``; the diagram branches on it)."""

    accept = "accept"
    return_ = "return"  # to the requester for more information
    reject = "reject"


class JobAnswer(StrEnum):
    """The worker's answer to a dispatched job (form ``repair_accept``)."""

    accept = "accept"
    decline = "decline"  # back to dispatch


class RealProblem(StrEnum):
    """What the callback after a bad rating found (form ``repair_callback``): ``yes`` sends the order to rectification."""

    yes = "yes"
    no = "no"


class AppealDecision(StrEnum):
    """The decision on a rating appeal (form ``rating_appeal_decision``): an upheld rating no longer counts."""

    upheld = "upheld"
    dismissed = "dismissed"


class AppealStatus(StrEnum):
    """``rating.appeal_status``: ``filed`` while an appeal is open, then its :class:`AppealDecision`."""

    filed = "filed"
    upheld = "upheld"
    dismissed = "dismissed"


class AppealAction(StrEnum):
    """The audit actions of a rating appeal: filed by an auditor, then decided by a leader (the order diagram's
    ``appeal_decided`` step, written by :mod:`workflows.stepping`)."""

    filed = "order.appeal_filed"
    decided = "order.appeal_decided"


class LinkAction(StrEnum):
    """The audit actions of rating links (:mod:`workflows.repair.rating_links`)."""

    SHOWN = "rating.code_shown"  # a staff member showed the requester the rating code
    RATED = "rating.by_link"  # the requester rated through a link


class Confirmation(StrEnum):
    """How the person rating through a link was known to be the requester."""

    OWN_LINK = "own_link"  # the requester's own link, from their order page
    LOGIN = "login"  # logged in as the requester
    PHONE = "phone"  # the last digits of the order's contact phone


class ImportAction(StrEnum):
    """The audit action of an import of orders from another platform (filed with the admin changes)."""

    orders = "admin.orders.import"
