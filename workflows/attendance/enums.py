"""The words of attendance, as stored strings: enrolment states, check-in points, channels, shift marks, audit actions."""
from enum import StrEnum


class EnrolmentStatus(StrEnum):
    waiting = "waiting"  # photos received, encodings not computed yet (the background job takes them)
    ready = "ready"  # encodings in the gallery: the person can check in
    failed = "failed"  # no photo gave a usable face; the reasons are kept per photo
    withdrawn = "withdrawn"  # the person left or asked: encodings and photos deleted


class PointKind(StrEnum):
    """Where a check-in comes from."""

    kiosk = "kiosk"  # a tablet at the post running the kiosk page, with its own token
    terminal = "terminal"  # a vendor's face terminal posting through the API with its own token
    post_qr = "post_qr"  # a QR code at the post: people check in with their own phone


class Channel(StrEnum):
    kiosk = "kiosk"
    terminal = "terminal"
    phone = "phone"
    correction = "correction"  # entered by a supervisor with a reason


class Mark(StrEnum):
    """What a rostered shift came to (a shift may be both late and an early leave)."""

    upcoming = "upcoming"
    ongoing = "ongoing"  # started, the person is checked in or may still come
    on_time = "on_time"
    late = "late"
    early_leave = "early_leave"
    absent = "absent"
    missing_checkout = "missing_checkout"


class AttendanceAction(StrEnum):
    consented = "attendance.consented"
    enrolled = "attendance.enrolled"
    enrolment_withdrawn = "attendance.enrolment_withdrawn"
    point_added = "attendance.point_added"
    point_revoked = "attendance.point_revoked"
    checked_in = "attendance.checked_in"
    unknown_face = "attendance.unknown_face"
    corrected = "attendance.corrected"
    shift_saved = "attendance.shift_saved"
    roster_saved = "attendance.roster_saved"
