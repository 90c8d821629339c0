"""The words of assessment on pages, reports and in the diagram's data, as catalog msgids."""
from __future__ import annotations

from workflows.assessment.enums import CampaignKind, CampaignStatus, Grade, ItemKind, Schedule
from workflows.i18n import N_, Message

GRADE_WORDS: dict[str, str] = {  # 优秀/良好/合格/不合格 ("Good" alone is a good rating elsewhere)
    Grade.excellent: N_("Excellent"), Grade.good: N_("Very good"), Grade.passed: N_("Pass"), Grade.failed: N_("Fail")}
KIND_WORDS: dict[str, Message] = {CampaignKind.monthly: N_("Monthly"), CampaignKind.quarterly: N_("Quarterly"),
                                  CampaignKind.special: N_("Special")}
STATUS_WORDS: dict[str, Message] = {
    CampaignStatus.scoring: N_("Being scored"), CampaignStatus.confirming: N_("Waiting for the unit"),
    CampaignStatus.appealed: N_("Appeal with the leader"), CampaignStatus.approving: N_("Waiting for approval"),
    CampaignStatus.published: N_("Published"),
}
ITEM_KIND_WORDS: dict[str, Message] = {ItemKind.computed: N_("Computed from records"),
                                       ItemKind.scored: N_("Scored by assessors")}
SCHEDULE_WORDS: dict[str, Message] = {Schedule.none: N_("Started by hand only"), Schedule.monthly: N_("Every month"),
                                      Schedule.quarterly: N_("Every quarter"),
                                      Schedule.both: N_("Every month and every quarter")}
