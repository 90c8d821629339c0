"""The words of an inspection's service types, scoring, round kinds and states, severities and finding states,
as catalog msgids for pages, the API and figures."""
from __future__ import annotations

from workflows.i18n import N_, Message
from workflows.inspections.enums import FindingStatus, RoundKind, RoundStatus, Scoring, ServiceType, Severity

SERVICE_WORDS: dict[str, Message] = {
    ServiceType.cleaning: N_("Cleaning"), ServiceType.dormitory: N_("Dormitory"), ServiceType.canteen: N_("Canteen"),
    ServiceType.greening: N_("Greening"), ServiceType.security: N_("Security"), ServiceType.equipment: N_("Equipment")}
SCORING_WORDS: dict[str, Message] = {Scoring.pass_fail: N_("Pass or fail"), Scoring.points: N_("Points with deductions")}
KIND_WORDS: dict[str, Message] = {RoundKind.scheduled: N_("Scheduled round"), RoundKind.spot: N_("Spot check")}
ROUND_WORDS: dict[str, Message] = {RoundStatus.planned: N_("Planned"), RoundStatus.done: N_("Done")}
SEVERITY_WORDS: dict[str, Message] = {Severity.minor: N_("Minor"), Severity.major: N_("Major"),
                                      Severity.critical: N_("Critical")}
FINDING_WORDS: dict[str, Message] = {FindingStatus.rectifying: N_("Being rectified"),
                                     FindingStatus.rechecking: N_("Waiting for the re-check"),
                                     FindingStatus.closed: N_("Fixed and closed")}
