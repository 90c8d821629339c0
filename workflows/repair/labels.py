"""The words for an order's stored values (status, urgency, channel, appeal), as catalog msgids.

One home for the pages (``webapp.orders.views`` wraps them in ``lazy_gettext``) and for text written without a
request (the service-analysis reports translate them with :func:`workflows.i18n.translate`), so an order's status
reads the same on its page and in the Excel file.
"""
from __future__ import annotations

from workflows.i18n import N_
from workflows.repair.enums import AppealStatus, Channel, Status, Urgency

STATUS_WORDS: dict[Status, str] = {
    Status.submitted: N_("Waiting for review"), Status.returned: N_("Returned for more information"),
    Status.rejected: N_("Rejected"), Status.accepted: N_("Accepted"), Status.dispatched: N_("Dispatched"),
    Status.in_progress: N_("Being repaired"), Status.completed: N_("Repaired, waiting for rating"),
    Status.callback: N_("Callback after a bad rating"), Status.rectifying: N_("Being rectified"),
    Status.leader_review: N_("Leader review"), Status.closed: N_("Closed"),
}
CHANNEL_WORDS: dict[Channel, str] = {
    Channel.portal: N_("Web portal"), Channel.phone: N_("Phone page"), Channel.counter: N_("Service-hall counter"),
    Channel.hotline: N_("Hotline"), Channel.api: N_("Other platform"),
    Channel.imported: N_("Imported"),
}
URGENCY_WORDS: dict[Urgency, str] = {Urgency.normal: N_("Normal"), Urgency.urgent: N_("Urgent"),
                                     Urgency.emergency: N_("Emergency")}
APPEAL_WORDS: dict[AppealStatus, str] = {AppealStatus.filed: N_("Appeal pending"),
                                         AppealStatus.upheld: N_("Appeal upheld, rating not counted"),
                                         AppealStatus.dismissed: N_("Appeal dismissed")}
