"""Assessment campaigns end to end on PostgreSQL with frozen time: a scheme of four computed and two scored
indicators gives the hand-reckoned total and grade on a known month; the unit's silence past the appeal period
accepts the result exactly once; an appeal changes one item and is kept beside the original; a late appeal is
refused; weights not adding up to 100 are refused; editing a scheme during a campaign leaves the campaign its
version; the scheduled job opens each period once."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from october import FIRST, INDICATORS, ITEMS, LAST, create_scheme, seed_october, units
from sqlalchemy import func, select

from engine.db import unit_of_work
from engine.models import AuditEvent
from workflows.assessment import schemes
from workflows.assessment.models import Appeal, Campaign, ItemScore, SchemeVersion
from workflows.assessment.service import CampaignError, accept, appeal, open_campaign, open_scheduled, record_findings
from workflows.people.models import User


def _open(scenario, scheme_id: int) -> str:
    with unit_of_work(scenario.host.session_factory) as session:
        scheme = session.get(SchemeVersion, scheme_id)
        return open_campaign(session, scenario.host, scheme=scheme, kind="monthly", first=FIRST, last=LAST).number


def _campaign(scenario, number: str) -> Campaign:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(Campaign).where(Campaign.number == number))


def _points(scenario, number: str) -> dict[str, float]:
    with unit_of_work(scenario.host.session_factory) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.number == number))
        return {s.item_key: s.points for s in session.scalars(select(ItemScore).where(ItemScore.campaign_id == campaign.id))}


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _scored(scenario) -> str:
    """October seeded, the scheme entered, the campaign opened and scored: cleaning R1 × 4, R2 × 1."""
    seed_october(scenario)
    number = _open(scenario, create_scheme(scenario))
    with unit_of_work(scenario.host.session_factory) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.number == number))
        record_findings(session, campaign=campaign, user=_user(session, "supervisor"), item_key="i5",
                        findings=[{"rule": "R1", "count": 4, "note": "3号楼周三未清扫"}, {"rule": "R2", "count": 1}],
                        evidence=[{"name": "photo.png"}], note="抽查两次")
    scenario.do(number, "score_items", "supervisor", note="10月考核")
    return number


def test_four_computed_and_two_scored_indicators_give_the_hand_reckoned_total_and_grade(scenario):
    number = _scored(scenario)
    assert _points(scenario, number) == {"i1": 10.5, "i2": 5.0, "i3": 15.0, "i4": 16.0, "i5": 9.0, "i6": 10.0}
    campaign = _campaign(scenario, number)
    assert (campaign.total, campaign.grade, campaign.deduction_percent) == (65.5, "passed", 3.0)
    assert campaign.status == "confirming"
    assert campaign.appeal_due == scenario.now() + timedelta(days=3)
    with unit_of_work(scenario.host.session_factory) as session:
        values = {s.item_key: (s.value, s.basis) for s in session.scalars(
            select(ItemScore).where(ItemScore.campaign_id == campaign.id, ItemScore.kind == "computed"))}
    assert values == {"i1": (3.0, 3), "i2": (66.67, 3), "i3": (75.0, 4), "i4": (80.0, 5)}
    assert scenario.task(number, "confirm").org_unit_id == campaign.unit_id


def test_silence_past_the_appeal_period_accepts_the_result_once_and_a_late_appeal_is_refused(scenario):
    number = _scored(scenario)
    due = _campaign(scenario, number).appeal_due
    scenario.advance_to(due - timedelta(minutes=1))
    assert _campaign(scenario, number).status == "confirming"
    scenario.advance_to(due + timedelta(seconds=2))
    campaign = _campaign(scenario, number)
    assert (campaign.status, campaign.accepted_by_silence) == ("approving", True)
    scenario.wait(days=2)
    assert len(scenario.audit(number, "assessment.accepted_by_silence")) == 1
    assert [t.task_name for t in scenario.open_tasks(number)] == ["approve"]

    with pytest.raises(CampaignError, match="period to confirm or appeal this result is over"):
        with unit_of_work(scenario.host.session_factory) as session:
            campaign = session.scalar(select(Campaign).where(Campaign.number == number))
            appeal(session, scenario.host, campaign=campaign, user=_user(session, "deputy"), item_key="i5", reason="不服")
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(Appeal.id))) == 0


def test_an_appeal_changes_one_item_and_is_recorded_beside_the_original(scenario):
    number = _scored(scenario)
    scenario.wait(days=1)
    with unit_of_work(scenario.host.session_factory) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.number == number))
        appeal(session, scenario.host, campaign=campaign, user=_user(session, "deputy"), item_key="i5",
               reason="卫生间异味系管道返味，已报修，不属保洁责任")
    assert _campaign(scenario, number).status == "appealed"
    scenario.do(number, "decide_appeal", "leader", decision="uphold", points="14", note="管道问题另行处理")
    points = _points(scenario, number)
    assert points == {"i1": 10.5, "i2": 5.0, "i3": 15.0, "i4": 16.0, "i5": 14.0, "i6": 10.0}
    with unit_of_work(scenario.host.session_factory) as session:
        row = session.scalar(select(Appeal))
        assert (row.item_key, row.original_points, row.decided_points, row.decision) == ("i5", 9.0, 14.0, "uphold")
    campaign = _campaign(scenario, number)
    assert (campaign.total, campaign.grade) == (70.5, "passed")
    scenario.do(number, "approve", "leader", note="同意")
    campaign = _campaign(scenario, number)
    assert campaign.status == "published" and campaign.published_at == scenario.now()
    assert len(scenario.audit(number, "assessment.appeal_decided")) == 1


def test_a_unit_accepting_goes_straight_to_approval(scenario):
    number = _scored(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.number == number))
        accept(session, scenario.host, campaign=campaign, user=_user(session, "deputy"), note="认可")
    assert _campaign(scenario, number).status == "approving"
    assert [t.task_name for t in scenario.open_tasks(number)] == ["approve"]


def test_weights_not_adding_up_to_100_are_refused_and_nothing_is_stored(scenario):
    wrong = [dict(item) for item in ITEMS]
    wrong[0]["weight"] = 5
    with pytest.raises(schemes.SchemeError, match="the weights add up to 90, not 100"):
        create_scheme(scenario, items=wrong)
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(SchemeVersion.id))) == 0


def test_editing_a_scheme_during_a_campaign_adds_a_version_and_leaves_the_campaign_its_own(scenario):
    seed_october(scenario)
    first = create_scheme(scenario)
    number = _open(scenario, first)
    changed = [dict(item) for item in ITEMS]
    changed[0]["weight"], changed[1]["weight"] = 20, 10
    with unit_of_work(scenario.host.session_factory) as session:
        company, _ = units(session, scenario.school_id)
        draft = schemes.Draft(name="物业服务考核方案（修订）", unit_id=company, items=changed, bands=schemes.DEFAULT_BANDS)
        revised = schemes.revise(session, current=session.get(SchemeVersion, first), draft=draft, indicators=INDICATORS,
                                 actor="周敏", user_id=None)
        assert (revised.version, revised.current) == (2, True)
        revised_id = revised.id
    with pytest.raises(schemes.VersionInUse, match=f"used by campaign {number}"):
        with unit_of_work(scenario.host.session_factory) as session:
            schemes.amend(session, version=session.get(SchemeVersion, first), draft=draft, indicators=INDICATORS, actor="周敏")
    with unit_of_work(scenario.host.session_factory) as session:
        old = session.get(SchemeVersion, first)
        assert (old.version, old.current, old.items[0]["weight"], old.name) == (1, False, 15.0, "物业服务考核方案")
    assert _campaign(scenario, number).scheme_id == first
    with unit_of_work(scenario.host.session_factory) as session:
        changes = session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("admin.scheme."))
                                  .order_by(AuditEvent.id)).all()
    assert changes == ["admin.scheme.create", "admin.scheme.version"]  # the refused change left no row
    scenario.do(number, "score_items", "supervisor")
    assert _points(scenario, number)["i1"] == 10.5  # scored by version 1's weight 15, not version 2's 20
    assert revised_id != first


def test_the_scheduled_job_opens_each_finished_month_once(scenario):
    create_scheme(scenario, schedule="monthly")
    with unit_of_work(scenario.host.session_factory) as session:
        assert open_scheduled(session, scenario.host) == 0  # November has not ended; October began before the scheme
    scenario.advance_to(datetime(2026, 12, 1, 0, 5, tzinfo=UTC))  # 08:05 on 1 December in Beijing
    with unit_of_work(scenario.host.session_factory) as session:
        assert open_scheduled(session, scenario.host) == 0  # the pass run by advance_to opened it already
        keys = session.scalars(select(Campaign.period_key)).all()
    assert keys == ["monthly:2026-11"]


def test_a_monthly_and_quarterly_scheme_opens_the_month_and_the_quarter_once_each(scenario):
    create_scheme(scenario, schedule="both")
    scenario.advance_to(datetime(2027, 1, 1, 0, 5, tzinfo=UTC))  # 08:05 on 1 January in Beijing: the first pass since
    # November catches that month up too
    with unit_of_work(scenario.host.session_factory) as session:
        assert open_scheduled(session, scenario.host) == 0
        opened = session.execute(select(Campaign.period_key, Campaign.period_start, Campaign.period_end)
                                 .order_by(Campaign.id)).all()
    assert [tuple(row) for row in opened] == [
        ("monthly:2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("monthly:2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("quarterly:2026-Q4", date(2026, 10, 1), date(2026, 12, 31))]


def test_assessors_are_reminded_once_a_day_past_the_scoring_deadline_until_they_score(scenario):
    seed_october(scenario)
    opened = scenario.now()
    number = _open(scenario, create_scheme(scenario))
    scenario.advance_to(opened + timedelta(days=5) - timedelta(minutes=1))
    assert scenario.outbox(number, "assessment.scoring_overdue") == []
    scenario.advance_to(opened + timedelta(days=5, minutes=1))
    assert len(scenario.outbox(number, "assessment.scoring_overdue")) == 1  # the rule's 5 days
    scenario.advance_to(opened + timedelta(days=7, minutes=1))
    assert len(scenario.outbox(number, "assessment.scoring_overdue")) == 3  # then every day
    assert len(scenario.notifications("supervisor", "assessment.scoring_overdue")) == 3
    scenario.do(number, "score_items", "supervisor", note="10月考核")
    scenario.wait(days=3)
    assert len(scenario.outbox(number, "assessment.scoring_overdue")) == 3  # scored: no more reminders
