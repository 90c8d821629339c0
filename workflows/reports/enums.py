"""The words of service-analysis reports, as stored strings."""
from enum import StrEnum


class ReportAction(StrEnum):
    """The audit actions of service-analysis reports: a report requested and generated (or failed), and a
    subscription taken or dropped."""

    requested = "report.requested"
    started = "report.started"
    generated = "report.generated"
    failed = "report.failed"
    subscribed = "report.subscribed"
    unsubscribed = "report.unsubscribed"
