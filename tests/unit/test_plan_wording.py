"""A plan's recurrence in words, in both languages, for every shape the plan model has: once; every N weeks (on
one or several weekdays), months (on a day, or on the first … last weekday) or years (with the short-month and 29 February cases); every N weeks within a season (also one that wraps
the new year); and an end date. Each sentence is checked against the dates the generator makes for it."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from workflows.plans.recurrence import dates_between
from workflows.plans.wording import describe


def _plan(recurrence, starts_on, interval=1, *, until=None, season=(None, None), weekdays=()):
    return SimpleNamespace(recurrence=recurrence, starts_on=starts_on, interval=interval, until=until,
                           season_from=season[0], season_to=season[1], recurs_from=None, weekdays=list(weekdays))


CASES = [
    (_plan("once", date(2027, 6, 1)), "单次：2027年6月1日", "Once, on June 1, 2027"),
    (_plan("weekly", date(2027, 6, 7)), "每周一", "Every Monday"),
    (_plan("weekly", date(2027, 6, 8), 2), "每2周的周二", "Every 2 weeks on Tuesday"),
    (_plan("weekly", date(2027, 6, 13)), "每周日", "Every Sunday"),
    (_plan("monthly", date(2027, 6, 15)), "每月15日", "Monthly on day 15"),
    (_plan("monthly", date(2027, 1, 31)), "每月最后一天", "Monthly on the last day"),
    (_plan("monthly", date(2027, 1, 30)), "每月30日（当月无此日则为最后一天）",
     "Monthly on day 30 (the last day in shorter months)"),
    (_plan("monthly", date(2027, 1, 1), 3), "每季度首月1日", "Quarterly, in the first month, on day 1"),
    (_plan("monthly", date(2027, 2, 10), 3), "每季度第二个月10日", "Quarterly, in the second month, on day 10"),
    (_plan("monthly", date(2027, 3, 31), 3), "每季度末月最后一天", "Quarterly, in the last month, on the last day"),
    (_plan("monthly", date(2027, 7, 15), 6), "每年1月和7月的15日", "Every year in January and July, on day 15"),
    (_plan("monthly", date(2027, 3, 5), 2), "每年1月、3月、5月、7月、9月和11月的5日",
     "Every year in January, March, May, July, September, and November, on day 5"),
    (_plan("monthly", date(2027, 3, 15), 5), "自2027年3月起每5个月的15日", "Every 5 months on day 15, from March 2027"),
    (_plan("yearly", date(2027, 3, 1)), "每年3月1日", "Every year on March 1"),
    (_plan("yearly", date(2028, 2, 29)), "每年2月29日（平年为2月28日）", "Every year on February 29 (28 February in other years)"),
    (_plan("yearly", date(2027, 4, 15), 2), "自2027年起每2年的4月15日", "Every 2 years on April 15, from 2027"),
    (_plan("seasonal", date(2027, 6, 1), 2, season=(6, 9)), "每年6月至9月，每2周的周二",
     "From June to September each year, every 2 weeks on Tuesday"),
    (_plan("seasonal", date(2027, 11, 5), 1, season=(11, 2)), "每年11月至次年2月，每周五",
     "From November to February of the next year, each year, every Friday"),
    (_plan("weekly", date(2027, 6, 7), weekdays=(0, 2, 4)), "每周一、周三和周五", "Every Monday, Wednesday, and Friday"),
    (_plan("weekly", date(2027, 6, 8), 2, weekdays=(1, 3)), "每2周的周二和周四", "Every 2 weeks on Tuesday and Thursday"),
    (_plan("monthly_weekday", date(2027, 6, 7)), "每月第一个周一", "Monthly on the first Monday"),
    (_plan("monthly_weekday", date(2027, 6, 16)), "每月第三个周三", "Monthly on the third Wednesday"),
    (_plan("monthly_weekday", date(2027, 5, 31)), "每月最后一个周一", "Monthly on the last Monday"),
    (_plan("monthly_weekday", date(2027, 6, 4), 3), "自2027年6月起每3个月的第一个周五",
     "Every 3 months on the first Friday, from June 2027"),
    (_plan("monthly", date(2027, 1, 15), until=date(2027, 12, 31)), "每月15日，至2027年12月31日止",
     "Monthly on day 15, until December 31, 2027"),
]


@pytest.mark.parametrize(("plan", "zh", "en"), CASES, ids=[c[2] for c in CASES])
def test_every_recurrence_shape_reads_as_a_school_says_it(plan, zh, en):
    assert describe(plan, "zh_CN") == zh
    assert describe(plan, "en") == en


def test_the_words_name_the_dates_the_generator_makes():
    quarterly = dates_between(_plan("monthly", date(2027, 3, 31), 3), date(2027, 1, 1), date(2027, 12, 31))
    assert quarterly == [date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31)]  # "末月最后一天"
    half_yearly = dates_between(_plan("monthly", date(2027, 7, 15), 6), date(2027, 1, 1), date(2028, 12, 31))
    assert {d.month for d in half_yearly} == {1, 7} and {d.day for d in half_yearly} == {15}
    fortnightly = dates_between(_plan("seasonal", date(2027, 6, 1), 2, season=(6, 9)), date(2027, 1, 1), date(2028, 12, 31))
    assert {d.weekday() for d in fortnightly} == {1}  # always a Tuesday, "每2周的周二"
    leap = dates_between(_plan("yearly", date(2028, 2, 29)), date(2028, 1, 1), date(2029, 12, 31))
    assert leap == [date(2028, 2, 29), date(2029, 2, 28)]
    first_mondays = dates_between(_plan("monthly_weekday", date(2027, 6, 7)), date(2027, 6, 1), date(2027, 9, 30))
    assert first_mondays == [date(2027, 6, 7), date(2027, 7, 5), date(2027, 8, 2), date(2027, 9, 6)]  # "每月第一个周一"
    last_mondays = dates_between(_plan("monthly_weekday", date(2027, 5, 31)), date(2027, 5, 1), date(2027, 8, 31))
    assert last_mondays == [date(2027, 5, 31), date(2027, 6, 28), date(2027, 7, 26), date(2027, 8, 30)]  # "最后一个周一"
    mon_wed_fri = dates_between(_plan("weekly", date(2027, 6, 9), weekdays=(0, 2, 4)), date(2027, 6, 1), date(2027, 6, 20))
    assert mon_wed_fri == [date(2027, 6, 9), date(2027, 6, 11), date(2027, 6, 14), date(2027, 6, 16), date(2027, 6, 18)]
