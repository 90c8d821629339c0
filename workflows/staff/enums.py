"""The words of the staff register, as stored strings: how a person is employed, whether they are still here,
where a certificate stands and the colour it shows."""
from enum import StrEnum


class EmploymentKind(StrEnum):
    """自有 (employed by the school's own service unit) or 外包 (sent by a contractor company)."""

    own = "own"
    outsourced = "outsourced"


class StaffStatus(StrEnum):
    """Read from the dates: a person is starting until their start date, active from then until the day they leave,
    and left from that day on (a leaver stays in the register)."""

    active = "active"
    starting = "starting"
    left = "left"


class CertificateStatus(StrEnum):
    """Where one certificate stands. A renewal is a new certificate that ``renews`` the old one: once its review
    approves it the old one is ``superseded`` and the new one counts."""

    pending_review = "pending_review"  # uploaded, waiting for the unit leader or the staff administrator
    active = "active"  # approved; counts while its validity lasts
    expired = "expired"  # its validity ended without an approved renewal
    superseded = "superseded"  # replaced by an approved renewal
    rejected = "rejected"  # the review refused it


class CertificateColour(StrEnum):
    """What a certificate shows on pages: valid, expiring within the warning window (30 days), or expired.
    A certificate not yet approved shows ``pending``."""

    valid = "valid"
    expiring = "expiring"
    expired = "expired"
    pending = "pending"


class StaffAction(StrEnum):
    """The audit actions of the staff register (admin changes, listed on the audit page) and of a certificate's
    process (its steps, on the certificate's timeline)."""

    member_created = "admin.staff.create"
    member_updated = "admin.staff.update"
    member_left = "admin.staff.leave"
    member_imported = "admin.staff.import"
    post_saved = "admin.staff_post.save"
    type_saved = "admin.certificate_type.save"
    requirement_saved = "admin.certificate_requirement.save"
    plan_saved = "admin.staffing_plan.save"
    certificate_added = "admin.certificate.create"
    renewal_uploaded = "admin.certificate.renewal"
    shortfall_found = "staff.shortfall.found"
    shortfall_ended = "staff.shortfall.ended"


class CertificateStep(StrEnum):
    """The steps of the certificate diagram (``certificate_step(name, …)``), audited as ``certificate.<name>``."""

    reviewed = "reviewed"
    reminded = "reminded"
    expired = "expired"


class Reminder(StrEnum):
    """The three reminders before a certificate expires, each counted back by its rule."""

    first = "first"
    second = "second"
    last = "last"


class ReviewDecision(StrEnum):
    approve = "approve"
    reject = "reject"
