"""Opening campaigns (by hand or on schedule), assessors recording findings, and the unit's answer.

A campaign starts the ``assessment`` diagram with its number as business key; its steps (``steps.py``) measure the
computed items, add up the points, take the unit's answer and the leader's decisions. What people enter outside a
task (findings and evidence while scoring, an appeal of one item) is checked here, in the campaign's row lock, and
audited; an appeal also completes the unit's confirmation task, so it cannot cross the silence timer unnoticed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.advance import complete_task, start
from engine.audit import record
from engine.clock import now
from engine.db import get_locked
from engine.errors import TaskNotReady
from engine.host import Host
from engine.models import HumanTask
from workflows.assessment import periods, scoring
from workflows.assessment.enums import AssessmentAction, CampaignKind, CampaignStatus, Confirmation, ItemKind, Schedule
from workflows.assessment.models import Appeal, Campaign, ItemScore, SchemeVersion
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import User
from workflows.people.service import actor_for
from workflows.people.timezone import local_date, local_today, school_zone

PROCESS_KEY = "assessment"
SCHEDULED = {CampaignKind.monthly: (Schedule.monthly, Schedule.both), CampaignKind.quarterly: (Schedule.quarterly, Schedule.both)}
CATCH_UP = {CampaignKind.monthly: 3, CampaignKind.quarterly: 2}  # the most periods back a pass still opens


class CampaignError(FieldError):
    """The campaign, a finding or an appeal is refused; ``field`` names the input at fault."""


def _next_number(session: Session, school_id: int) -> str:
    prefix = f"KH{local_today(session, school_id):%Y%m}"
    count = session.scalar(select(func.count(Campaign.id)).where(Campaign.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:03d}"


def open_campaign(session: Session, host: Host, *, scheme: SchemeVersion, kind: str, first: date, last: date,
                  title: str = "", started_by: User | None = None) -> Campaign:
    """Open a campaign of the scheme's current version; CampaignError for a period already assessed."""
    if kind not in set(CampaignKind):
        raise CampaignError("kind", N_("unknown kind of campaign"))
    if last < first:
        raise CampaignError("period_end", N_("the period ends before it starts"))
    if not scheme.active:
        raise CampaignError("scheme", N_("this scheme is no longer used"))
    number = _next_number(session, scheme.school_id)
    key = periods.key_of(kind, first, number)
    taken = session.scalar(select(Campaign.number).where(Campaign.school_id == scheme.school_id,
                                                         Campaign.scheme_code == scheme.code, Campaign.period_key == key))
    if taken is not None:
        raise CampaignError("period_start", N_("this period is assessed already by campaign %(number)s"), number=taken)
    campaign = Campaign(school_id=scheme.school_id, number=number, kind=kind, scheme_id=scheme.id,
                        scheme_code=scheme.code, unit_id=scheme.unit_id, period_start=first, period_end=last,
                        period_key=key, status=CampaignStatus.scoring, title=title.strip() or f"{scheme.name} {first}～{last}",
                        started_by_id=started_by.id if started_by else None, created_at=now())
    session.add(campaign)
    session.flush()
    session.add_all([ItemScore(school_id=scheme.school_id, campaign_id=campaign.id, item_key=item["key"],
                               kind=item["kind"]) for item in scheme.items])
    instance = start(host, session, process_key=PROCESS_KEY, business_key=number, school_id=scheme.school_id,
                     data={"campaign_id": campaign.id, "number": number, "title": campaign.title,
                           "unit_id": campaign.unit_id})
    campaign.instance_id = instance.id
    return campaign


def open_scheduled(session: Session, host: Host, at: datetime | None = None) -> int:
    """Open the monthly and quarterly campaigns whose period has ended, once per scheme and period (idempotent:
    a period already assessed is skipped), for schemes that existed during the period. Periods missed while no
    scheduler ran (up to :data:`CATCH_UP` back) are opened too, oldest first."""
    at = at or now()
    opened = 0
    current = session.scalars(select(SchemeVersion).where(SchemeVersion.current.is_(True), SchemeVersion.active.is_(True),
                                                          SchemeVersion.schedule != Schedule.none)).all()
    for scheme in current:
        zone = school_zone(session, scheme.school_id)
        born = session.scalar(select(func.min(SchemeVersion.created_at)).where(
            SchemeVersion.school_id == scheme.school_id, SchemeVersion.code == scheme.code))
        assert born is not None  # the scheme's own version is one
        assessed = set(session.scalars(select(Campaign.period_key).where(Campaign.school_id == scheme.school_id,
                                                                         Campaign.scheme_code == scheme.code)))
        for kind, schedules in SCHEDULED.items():
            if scheme.schedule not in schedules:
                continue
            due: list[tuple[date, date]] = []
            first, last = periods.last_ended(kind, local_date(at, zone))
            while last >= local_date(born, zone) and len(due) < CATCH_UP[kind]:
                due.append((first, last))
                first, last = periods.last_ended(kind, first)
            for first, last in reversed(due):
                if periods.key_of(kind, first, "") not in assessed:
                    open_campaign(session, host, scheme=scheme, kind=kind, first=first, last=last)
                    opened += 1
    return opened


def items_of(session: Session, campaign: Campaign) -> list[dict[str, Any]]:
    """The campaign's scheme items, each with its score row (``score``) and its appeal if any (``appeal``)."""
    return items_of_each(session, [campaign])[campaign.id]


def items_of_each(session: Session, campaigns: Sequence[Campaign]) -> dict[int, list[dict[str, Any]]]:
    """:func:`items_of` for several campaigns, by campaign id, in three queries however many there are (a page of
    the campaign list)."""
    ids = [campaign.id for campaign in campaigns]
    schemes = {v.id: v for v in session.scalars(
        select(SchemeVersion).where(SchemeVersion.id.in_({campaign.scheme_id for campaign in campaigns})))}
    scores: dict[int, dict[str, ItemScore]] = defaultdict(dict)
    for score in session.scalars(select(ItemScore).where(ItemScore.campaign_id.in_(ids))):
        scores[score.campaign_id][score.item_key] = score
    appeals: dict[int, dict[str, Appeal]] = defaultdict(dict)
    for appealed in session.scalars(select(Appeal).where(Appeal.campaign_id.in_(ids))):
        appeals[appealed.campaign_id][appealed.item_key] = appealed
    return {campaign.id: [{**item, "score": scores[campaign.id].get(item["key"]),
                           "appeal": appeals[campaign.id].get(item["key"])}
                          for item in schemes[campaign.scheme_id].items]  # a campaign's scheme version is never deleted
            for campaign in campaigns}


def _item(session: Session, campaign: Campaign, key: str) -> dict[str, Any]:
    found = next((item for item in items_of(session, campaign) if item["key"] == key), None)
    if found is None:
        raise CampaignError("item", N_("no such item in this campaign"))
    return found


def clean_findings(item: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Findings as stored: known rules, whole counts of at least one, notes trimmed."""
    codes = {rule["code"]: rule["text"] for rule in item.get("rules", [])}
    cleaned = []
    for finding in findings:
        if not isinstance(finding.get("rule"), str) or finding["rule"] not in codes:
            raise CampaignError("findings", N_("a finding names a rule this item does not have"))
        try:
            count = int(finding.get("count", 1))
        except (TypeError, ValueError):
            raise CampaignError("findings", N_("the number of findings is a whole number")) from None
        if count < 0:
            raise CampaignError("findings", N_("the number of findings cannot be negative"))
        if count:
            cleaned.append({"rule": finding["rule"], "text": codes[finding["rule"]], "count": count,
                            "note": str(finding.get("note") or "").strip()[:500]})
    return cleaned


def record_findings(session: Session, *, campaign: Campaign, user: User, item_key: str,
                    findings: Sequence[Mapping[str, Any]], evidence: Sequence[dict] = (), note: str = "") -> ItemScore:
    """An assessor's findings on one scored item, with evidence, while the campaign is being scored."""
    get_locked(session, Campaign, campaign.id)
    if campaign.status != CampaignStatus.scoring:
        raise CampaignError("item", N_("the scores are submitted already; this campaign is past scoring"))
    item = _item(session, campaign, item_key)
    if item["kind"] != ItemKind.scored:
        raise CampaignError("item", N_("this item is computed from the records, not scored by hand"))
    score: ItemScore = item["score"]
    score.findings = clean_findings(item, findings)
    score.evidence = [*score.evidence, *evidence]
    score.note = note.strip()
    score.points = scoring.scored_points(item, score.findings)
    score.scored_by_id, score.scored_at = user.id, now()
    record(session, action=AssessmentAction.findings_recorded, actor=actor_for(session, user).label, school_id=campaign.school_id,
           business_key=campaign.number, details={"item": item_key, "name": item["name"], "findings": score.findings,
                                                   "points": score.points, "note": score.note})
    return score


def _confirm_task(session: Session, campaign: Campaign) -> HumanTask | None:
    return session.scalar(select(HumanTask).where(HumanTask.school_id == campaign.school_id,
                                                  HumanTask.business_key == campaign.number, HumanTask.task_name == "confirm"))


def _still_open(session: Session, campaign: Campaign) -> HumanTask:
    """The unit's open confirmation task; CampaignError saying why the unit can no longer answer otherwise."""
    task = _confirm_task(session, campaign)
    late = campaign.appeal_due is not None and now() > campaign.appeal_due
    if campaign.status == CampaignStatus.confirming and task is not None and not late:
        return task
    if campaign.status == CampaignStatus.scoring:
        raise CampaignError("item", N_("the result is not scored yet"))
    if campaign.accepted_by_silence or campaign.status == CampaignStatus.confirming:
        ended = f"{campaign.appeal_due:%Y-%m-%d %H:%M} UTC" if campaign.appeal_due else "—"
        raise CampaignError("item", N_("the period to confirm or appeal this result is over (it ended %(at)s)"), at=ended)
    raise CampaignError("item", N_("the unit has answered this result already"))


def _answer(session: Session, host: Host, campaign: Campaign, user: User, data: dict[str, Any]) -> None:
    task = _still_open(session, campaign)
    try:
        complete_task(host, session, task_id=task.id, actor=actor_for(session, user), data=data)
    except TaskNotReady:
        raise CampaignError("item", N_("the period to confirm or appeal this result is over")) from None


def appeal(session: Session, host: Host, *, campaign: Campaign, user: User, item_key: str, reason: str,
           evidence: Sequence[dict] = ()) -> Appeal:
    """The unit appeals one item before the deadline; the leader then decides it. Refused after the deadline."""
    get_locked(session, Campaign, campaign.id)
    if not reason.strip():
        raise CampaignError("reason", N_("say why the points are wrong"))
    item = _item(session, campaign, item_key)
    _still_open(session, campaign)
    row = Appeal(school_id=campaign.school_id, campaign_id=campaign.id, item_key=item_key, reason=reason.strip(),
                 evidence=list(evidence), original_points=item["score"].points, appealed_by_id=user.id, created_at=now())
    session.add(row)
    session.flush()
    _answer(session, host, campaign, user, {"confirmation": {"decision": Confirmation.appeal, "appeal_id": row.id}})
    return row


def accept(session: Session, host: Host, *, campaign: Campaign, user: User, note: str = "") -> None:
    get_locked(session, Campaign, campaign.id)
    _answer(session, host, campaign, user, {"confirmation": {"decision": Confirmation.accept, "note": note}})


def by_number(session: Session, *, school_id: int, number: str) -> Campaign | None:
    return session.scalar(select(Campaign).where(Campaign.school_id == school_id, Campaign.number == number))
