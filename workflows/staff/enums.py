"""The words of the staff register, as stored strings: how a person is employed, whether they are still here,
where a certificate stands and the colour it shows."""
from enum import StrEnum


class EmploymentKind(StrEnum):
    """自有 (employed by the school's own service unit) or 外包 (sent by a contractor company)."""

    own = "own"
    outsourced = "outsourced"


class StaffStatus(StrEnum):
    """Read from the dates: a person is active until the day they leave; a leaver stays in the register."""

    active = "active"
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
