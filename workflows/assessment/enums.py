"""The words of assessment, as stored strings: item kinds, campaign kinds and statuses, grades, decisions."""
from enum import StrEnum


class ItemKind(StrEnum):
    computed = "computed"  # measured from the platform's records by a registered indicator
    scored = "scored"  # scored by assessors against detailed rules (deductions per finding)


class CampaignKind(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    special = "special"  # 专项: started by hand for a chosen period


class Schedule(StrEnum):
    """Which campaigns the periodic job opens for a scheme by itself."""

    none = "none"
    monthly = "monthly"
    quarterly = "quarterly"
    both = "both"


class CampaignStatus(StrEnum):
    scoring = "scoring"  # assessors score their items
    confirming = "confirming"  # the unit confirms or appeals within the rule's period
    appealed = "appealed"  # the leader decides the appeal
    approving = "approving"  # the leader approves the result
    published = "published"


class Grade(StrEnum):
    excellent = "excellent"  # 优秀
    good = "good"  # 良好
    passed = "passed"  # 合格
    failed = "failed"  # 不合格


class Confirmation(StrEnum):
    """The unit's answer to its result (form ``assessment_confirm`` or the campaign page)."""

    accept = "accept"
    appeal = "appeal"


class AppealDecision(StrEnum):
    uphold = "uphold"  # the item's points change to the leader's
    reject = "reject"  # the original points stand


class AssessmentAction(StrEnum):
    """The audit actions of assessment: the schemes' changes, the assessors' findings, and the steps of a
    campaign's diagram (``assessment.<step>``, written by :mod:`workflows.stepping`)."""

    scheme_created = "admin.scheme.create"
    scheme_updated = "admin.scheme.update"
    scheme_versioned = "admin.scheme.version"
    scheme_deactivated = "admin.scheme.deactivate"
    scheme_reactivated = "admin.scheme.reactivate"
    findings_recorded = "assessment.findings_recorded"
    measured = "assessment.measured"
    scored = "assessment.scored"
    confirmed = "assessment.confirmed"
    accepted_by_silence = "assessment.accepted_by_silence"
    appeal_decided = "assessment.appeal_decided"
    published = "assessment.published"
