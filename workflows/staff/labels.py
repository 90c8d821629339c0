"""The words pages and reports show for the staff register's stored values (catalog msgids)."""
from __future__ import annotations

from workflows.i18n import N_
from workflows.staff.enums import CertificateColour, CertificateStatus, EmploymentKind, StaffAction, StaffStatus

KIND_WORDS: dict[str, str] = {EmploymentKind.own: N_("Own staff"), EmploymentKind.outsourced: N_("Outsourced")}
STATUS_WORDS: dict[str, str] = {StaffStatus.active: N_("In service"), StaffStatus.starting: N_("Starting"), StaffStatus.left: N_("Left")}
CERTIFICATE_STATUS_WORDS: dict[str, str] = {
    CertificateStatus.pending_review: N_("Waiting for review"), CertificateStatus.active: N_("Approved"),
    CertificateStatus.expired: N_("Expired"), CertificateStatus.superseded: N_("Replaced by a renewal"),
    CertificateStatus.rejected: N_("Refused"),
}
COLOUR_WORDS: dict[str, str] = {
    CertificateColour.valid: N_("Valid"), CertificateColour.expiring: N_("Expiring soon"),
    CertificateColour.expired: N_("Expired"), CertificateColour.pending: N_("Waiting for review"),
}
ACTION_WORDS: dict[str, str] = {  # a person's history on their page
    StaffAction.member_created: N_("Added to the register"), StaffAction.member_updated: N_("Details changed"),
    StaffAction.member_left: N_("Left"), StaffAction.certificate_added: N_("Certificate added"),
    StaffAction.renewal_uploaded: N_("Renewal uploaded for review"),
}
