"""The words pages and reports show for the staff register's stored values (catalog msgids)."""
from __future__ import annotations

from workflows.i18n import N_
from workflows.staff.enums import CertificateColour, CertificateStatus, EmploymentKind, StaffStatus

KIND_WORDS: dict[str, str] = {EmploymentKind.own: N_("Own staff"), EmploymentKind.outsourced: N_("Outsourced")}
STATUS_WORDS: dict[str, str] = {StaffStatus.active: N_("In service"), StaffStatus.left: N_("Left")}
CERTIFICATE_STATUS_WORDS: dict[str, str] = {
    CertificateStatus.pending_review: N_("Waiting for review"), CertificateStatus.active: N_("Approved"),
    CertificateStatus.expired: N_("Expired"), CertificateStatus.superseded: N_("Replaced by a renewal"),
    CertificateStatus.rejected: N_("Refused"),
}
COLOUR_WORDS: dict[str, str] = {
    CertificateColour.valid: N_("Valid"), CertificateColour.expiring: N_("Expiring soon"),
    CertificateColour.expired: N_("Expired"), CertificateColour.pending: N_("Waiting for review"),
}
