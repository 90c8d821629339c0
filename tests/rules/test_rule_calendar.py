"""Working-day arithmetic: weekends, holidays and make-up working days (调休)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rules.book import RuleBook, load_defaults
from rules.calendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = WorkCalendar(holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
                            makeup_days=frozenset({date(2026, 9, 27), date(2026, 10, 10)}))


def at(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_friday_evening_counts_from_monday_morning():
    plain = WorkCalendar()
    assert plain.add(at(2026, 11, 20, 18), timedelta(hours=2)) == at(2026, 11, 23, 10, 30)
    assert plain.add_days(at(2026, 11, 20, 18), 1) == at(2026, 11, 23, 17, 30)
    assert plain.add_days(at(2026, 11, 20, 10), 1) == at(2026, 11, 23, 10)


def test_holiday_week_is_skipped_and_the_makeup_saturday_counts():
    assert NATIONAL_DAY.add_days(at(2026, 9, 30, 10), 2) == at(2026, 10, 9, 10)
    assert NATIONAL_DAY.add_days(at(2026, 10, 9, 10), 1) == at(2026, 10, 10, 10)  # 调休 Saturday
    assert NATIONAL_DAY.add_days(at(2026, 9, 25, 10), 1) == at(2026, 9, 27, 10)  # 调休 Sunday


def test_a_rule_counted_in_working_days_uses_the_calendar_and_others_do_not():
    book = RuleBook(load_defaults(), school={"repair.escalation.green.after": "2d"},
                    working_days=frozenset({"repair.escalation.green.after"}), calendar=NATIONAL_DAY)
    friday_evening = at(2026, 9, 25, 18)
    assert book.deadline("repair.escalation.green.after", friday_evening) == at(2026, 9, 28, 17, 30)
    assert book.deadline("repair.escalation.yellow.after", friday_evening) == friday_evening + timedelta(days=7)


def test_hours_count_working_hours_and_days_count_working_days():
    book = RuleBook(load_defaults(), school={"repair.work.overdue_after": "12h", "repair.escalation.green.after": "1d"},
                    working_days=frozenset({"repair.work.overdue_after", "repair.escalation.green.after"}))
    monday = at(2026, 11, 23, 9)
    assert book.deadline("repair.work.overdue_after", monday) == at(2026, 11, 24, 12)  # 8.5 h Monday + 3.5 h Tuesday
    assert book.deadline("repair.escalation.green.after", monday) == at(2026, 11, 24, 9)


def test_a_calendar_that_closes_before_it_opens_or_lists_a_day_twice_is_refused():
    from rules.store import RulesRefused, RuleStore

    store = RuleStore(load_defaults(), roles={"clerk", "deputy_leader", "main_leader"})
    for calendar in ({"opens": "18:00", "closes": "08:00"}, {"holidays": ["2026-10-01"], "makeup_days": ["2026-10-01"]},
                     {"holidays": ["not a date"]}):
        try:
            store.check({"calendar": calendar})
        except RulesRefused as refused:
            assert [p.code for p in refused.problems] == ["bad_calendar"]
        else:
            raise AssertionError(f"accepted {calendar}")
