"""What each step of the assessment diagram records on its campaign, called from diagram scripts.

``assessment_step("measured", campaign_id)`` measures the computed items from the platform's records;
``"scored"`` adds up every item (a scored item without findings keeps its whole weight), sets the grade and the
deadline to answer; ``"confirmed"`` takes the unit's answer (accepted, or one item appealed); ``"accepted_by_silence"``
is the timer's: the period passed without an answer; ``"appeal_decided"`` changes the appealed item (upheld) or not
(rejected), the appeal row keeping the original points beside the decided ones; ``"published"`` ends it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.assessment import scoring
from workflows.assessment.enums import AppealDecision, CampaignStatus, Confirmation, ItemKind
from workflows.assessment.indicators import IndicatorTable, measure
from workflows.assessment.labels import GRADE_WORDS
from workflows.assessment.models import Appeal, Campaign, ItemScore, SchemeVersion
from workflows.i18n import translate
from workflows.stepping import StepRefused

APPEAL_KEY = "assessment.appeal.open_for"


@dataclass(frozen=True)
class Reckoning:
    """What the steps read besides the campaign: the school's rules and the installed indicators."""

    book: RuleBook
    indicators: IndicatorTable

    def value(self, key: str) -> Any:
        return self.book.value(key)


def _scheme(ctx: AdvanceContext, campaign: Campaign) -> SchemeVersion:
    scheme = ctx.session.get(SchemeVersion, campaign.scheme_id)
    assert scheme is not None  # a campaign's version is never deleted
    return scheme


def _scores(ctx: AdvanceContext, campaign: Campaign) -> dict[str, ItemScore]:
    return {s.item_key: s for s in ctx.session.scalars(select(ItemScore).where(ItemScore.campaign_id == campaign.id))}


def grade_label(grade: str) -> str:
    """The grade in both languages, for the task forms that show it from the diagram's data."""
    word = GRADE_WORDS[grade]
    return f"{translate(word, 'zh_CN')} ({translate(word, 'en')})"


def _totalled(ctx: AdvanceContext, campaign: Campaign) -> dict[str, Any]:
    scheme = _scheme(ctx, campaign)
    campaign.total = scoring.total(s.points for s in _scores(ctx, campaign).values())
    campaign.grade, campaign.deduction_percent = scoring.grade_of(campaign.total, scheme.bands)
    return {"total": campaign.total, "grade": campaign.grade, "grade_label": grade_label(campaign.grade),
            "deduction_percent": campaign.deduction_percent}


def _measured(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning) -> dict:
    scores = _scores(ctx, campaign)
    measured: dict[str, Any] = {}
    for item in _scheme(ctx, campaign).items:
        if item["kind"] != ItemKind.computed:
            continue
        if item["indicator"] not in rules.indicators:
            raise StepRefused(f"indicator {item['indicator']!r} is not installed")
        result = measure(rules.indicators, ctx.session, key=item["indicator"], school_id=campaign.school_id,
                         unit_id=campaign.unit_id, first=campaign.period_start, last=campaign.period_end, at=ctx.at,
                         rules=rules.book)
        score = scores[item["key"]]
        score.value, score.basis = result.value, result.basis
        score.points, score.scored_at = scoring.computed_points(item, result.value), ctx.at
        measured[item["key"]] = {"value": result.value, "basis": result.basis, "points": score.points}
    return {"measured": measured}


def _scored(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning, scoring_data: dict | None = None) -> dict:
    if campaign.status != CampaignStatus.scoring:
        raise StepRefused(f"campaign {campaign.number} is not being scored")
    scores = _scores(ctx, campaign)
    for item in _scheme(ctx, campaign).items:
        score = scores[item["key"]]
        if item["kind"] == ItemKind.scored and score.points is None:
            score.points = scoring.scored_points(item, score.findings)
    campaign.status = CampaignStatus.confirming
    campaign.appeal_due = rules.book.deadline(APPEAL_KEY, ctx.at)
    return {**_totalled(ctx, campaign), "appeal_due": campaign.appeal_due.isoformat(),
            "note": (scoring_data or {}).get("note")}


def _confirmed(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning, confirmation: dict) -> dict:
    decision = confirmation.get("decision")
    if decision == Confirmation.accept:
        campaign.status, campaign.confirmed_at = CampaignStatus.approving, ctx.at
        return {"decision": decision, "note": confirmation.get("note"), "next": "approve"}
    if decision != Confirmation.appeal:
        raise StepRefused(f"unknown answer {decision!r}")
    row = ctx.session.get(Appeal, confirmation.get("appeal_id"))
    if row is None or row.campaign_id != campaign.id:
        raise StepRefused("the appeal is not this campaign's")
    campaign.status = CampaignStatus.appealed
    item = next(i for i in _scheme(ctx, campaign).items if i["key"] == row.item_key)
    appeal = {"id": row.id, "item": row.item_key, "item_name": item["name"], "weight": item["weight"],
              "original_points": row.original_points, "reason": row.reason}
    return {"decision": decision, "appeal": appeal, "next": "appeal"}


def _accepted_by_silence(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning) -> dict:
    if campaign.status != CampaignStatus.confirming:
        raise StepRefused(f"campaign {campaign.number} was answered already")
    campaign.status, campaign.confirmed_at, campaign.accepted_by_silence = CampaignStatus.approving, ctx.at, True
    return {"total": campaign.total, "appeal_due": campaign.appeal_due.isoformat() if campaign.appeal_due else None}


def _appeal_decided(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning, decision: dict) -> dict:
    row = ctx.session.scalar(select(Appeal).where(Appeal.campaign_id == campaign.id, Appeal.decided_at.is_(None)))
    if row is None:
        raise StepRefused(f"campaign {campaign.number} has no appeal waiting")
    chosen = decision.get("decision")
    if chosen not in set(AppealDecision):
        raise StepRefused(f"unknown appeal decision {chosen!r}")
    item = next(i for i in _scheme(ctx, campaign).items if i["key"] == row.item_key)
    score = _scores(ctx, campaign)[row.item_key]
    points = row.original_points
    if chosen == AppealDecision.uphold:
        points = min(float(item["weight"]), max(0.0, float(decision.get("points") or 0)))
        score.points = points
    row.decision, row.decided_points, row.decision_note, row.decided_at = chosen, points, decision.get("note"), ctx.at
    row.decided_by_id = ctx.actor.id
    campaign.status = CampaignStatus.approving
    return {"item": row.item_key, "decision": chosen, "original_points": row.original_points, "points": points,
            "note": row.decision_note, **_totalled(ctx, campaign)}


def _published(campaign: Campaign, ctx: AdvanceContext, rules: Reckoning, approval: dict | None = None) -> dict:
    if campaign.status != CampaignStatus.approving:
        raise StepRefused(f"campaign {campaign.number} is not waiting for approval")
    campaign.status, campaign.published_at = CampaignStatus.published, ctx.at
    campaign.approval_note = (approval or {}).get("note")
    return {"total": campaign.total, "grade": campaign.grade, "note": campaign.approval_note}


STEPS: dict[str, Callable[..., dict]] = {
    "measured": _measured, "scored": _scored, "confirmed": _confirmed, "accepted_by_silence": _accepted_by_silence,
    "appeal_decided": _appeal_decided, "published": _published,
}


def apply_step(rules: Reckoning, name: str, campaign_id: int, *args: Any) -> dict:
    """Run step ``name`` on the campaign inside the current advance and audit it."""
    return stepping.apply(STEPS, Campaign, "assessment", rules, name, campaign_id, *args)
