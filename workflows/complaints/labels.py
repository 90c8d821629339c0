"""The words of a complaint's kind, category, channel and status, as catalog msgids for pages, the API and figures."""
from __future__ import annotations

from workflows.complaints.enums import Category, Channel, Kind, Status
from workflows.i18n import N_, Message

KIND_WORDS: dict[str, str] = {Kind.complaint: N_("Complaint"), Kind.suggestion: N_("Suggestion"), Kind.praise: N_("Praise")}
CATEGORY_WORDS: dict[str, str] = {
    Category.repair: N_("Repairs"), Category.cleaning: N_("Cleaning"), Category.canteen: N_("Canteen"),
    Category.dormitory: N_("Dormitory"), Category.security: N_("Security"), Category.attitude: N_("Service attitude"),
    Category.other: N_("Other")}
CHANNEL_WORDS: dict[str, Message] = {Channel.portal: N_("Web portal"), Channel.phone: N_("Phone page"),
                                     Channel.hotline: N_("Hotline"), Channel.api: N_("API")}
STATUS_WORDS: dict[str, Message] = {
    Status.triage: N_("Waiting for triage"), Status.handling: N_("Being handled"), Status.replied: N_("Replied"),
    Status.leader: N_("Raised to the leader"), Status.forwarded: N_("Forwarded"), Status.closed: N_("Closed")}
HIDDEN = N_("Hidden from the unit complained about")
ANONYMOUS = N_("Anonymous")
