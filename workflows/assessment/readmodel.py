"""Who may read a campaign, and a campaign as the pages and the API show it."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.assessment.labels import GRADE_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.assessment.models import Campaign, SchemeVersion
from workflows.assessment.service import items_of_each
from workflows.i18n import translate
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for, role_names

# who reads every campaign of their school: the supervision office, the leaders and the administrators
VIEW_ROLES = frozenset({Role.supervisor, Role.school_leader, Role.main_leader, Role.admin})


def may_view(session: Session, user: User, campaign: Campaign, rules: RuleStore) -> bool:
    """The school's assessors and leaders, and whoever answers for the assessed unit; never another school."""
    if user.school_id != campaign.school_id:
        return False
    if role_names(user) & VIEW_ROLES:
        return True
    unit_role = str(rules.book(session, campaign.school_id).value("assessment.unit.role"))
    return actor_for(session, user).may(unit_role, campaign.unit_id)


def scheme_dict(version: SchemeVersion) -> dict[str, Any]:
    return {"id": version.id, "code": version.code, "version": version.version, "name": version.name,
            "unit_id": version.unit_id, "contract": version.contract, "schedule": version.schedule,
            "items": version.items, "bands": version.bands, "current": version.current, "active": version.active}


def campaign_dict(session: Session, campaign: Campaign, locale: str) -> dict[str, Any]:
    return campaign_dicts(session, [campaign], locale)[0]


def campaign_dicts(session: Session, campaigns: Sequence[Campaign], locale: str) -> list[dict[str, Any]]:
    """The campaigns as the pages and the API show them, in order; their units, items, scores and appeals are read
    for all of them at once, so a page of the list costs the same statements whatever its length."""
    if not campaigns:
        return []
    units = dict(session.execute(select(OrgUnit.id, OrgUnit.name)
                                 .where(OrgUnit.id.in_({campaign.unit_id for campaign in campaigns}))).all())
    items = items_of_each(session, campaigns)
    return [_campaign_dict(campaign, units.get(campaign.unit_id, ""), items[campaign.id], locale)
            for campaign in campaigns]


def _campaign_dict(campaign: Campaign, unit_name: str, items: list[dict[str, Any]], locale: str) -> dict[str, Any]:
    return {"number": campaign.number, "kind": campaign.kind, "kind_label": translate(KIND_WORDS[campaign.kind], locale),
            "title": campaign.title, "scheme_id": campaign.scheme_id, "scheme_code": campaign.scheme_code,
            "unit": {"id": campaign.unit_id, "name": unit_name},
            "period": {"start": campaign.period_start.isoformat(), "end": campaign.period_end.isoformat()},
            "status": campaign.status, "status_label": translate(STATUS_WORDS[campaign.status], locale),
            "total": campaign.total, "grade": campaign.grade,
            "grade_label": translate(GRADE_WORDS[campaign.grade], locale) if campaign.grade else None,
            "deduction_percent": campaign.deduction_percent,
            "appeal_due": campaign.appeal_due.isoformat() if campaign.appeal_due else None,
            "accepted_by_silence": campaign.accepted_by_silence,
            "published_at": campaign.published_at.isoformat() if campaign.published_at else None,
            "items": [_item_dict(item) for item in items]}


def _item_dict(item: dict[str, Any]) -> dict[str, Any]:
    """A scheme item with what its score row and appeal say (see :func:`~workflows.assessment.service.items_of`)."""
    score, appeal = item.pop("score"), item.pop("appeal")
    return {**item, "value": score.value if score else None, "basis": score.basis if score else 0,
            "findings": score.findings if score else [], "points": score.points if score else None,
            "appeal": None if appeal is None else {
                "reason": appeal.reason, "original_points": appeal.original_points,
                "decision": appeal.decision, "decided_points": appeal.decided_points,
                "note": appeal.decision_note}}
