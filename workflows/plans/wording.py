"""A plan's recurrence in words, as a school says it: "每周一", "每周一、周三和周五", "每2周的周二", "每月15日",
"每月第一个周一", "每季度首月1日", "每年3月1日", "每年6月至9月，每2周的周二" (and "Every Monday", "Monthly on the
first Monday" … in English).

The words follow :mod:`workflows.plans.recurrence` exactly: a weekly or seasonal plan keeps the weekday of its
first date (or the weekdays it names), a monthly one its day of the month (the last day in months too short for
it) or its first date's place among the month's weekdays, a yearly one its month and day. Sentences, month and
weekday names come from the catalog, date formats from Babel's locale data.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list

from workflows.i18n import N_, NC_, Message, normalise, translate
from workflows.plans.enums import Recurrence
from workflows.plans.recurrence import LAST, week_of_month

if TYPE_CHECKING:
    from workflows.plans.models import WorkPlan

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
          N_("September"), N_("October"), N_("November"), N_("December"))
WEEKS_OF_MONTH = {1: NC_("weekday of the month", "first"), 2: NC_("weekday of the month", "second"),
                  3: NC_("weekday of the month", "third"), 4: NC_("weekday of the month", "fourth"),
                  LAST: NC_("weekday of the month", "last")}
QUARTER_MONTHS = (NC_("quarter", "first month"), NC_("quarter", "second month"), NC_("quarter", "last month"))
_BABEL = {"zh_CN": "zh_Hans_CN", "en": "en"}


class _Words:
    """The sentence parts in one language."""

    def __init__(self, locale: str):
        self.locale = normalise(locale)
        self.babel = Locale.parse(_BABEL[self.locale])

    def __call__(self, message: Message, **values: object) -> str:
        text = translate(message, self.locale)
        return text % values if values else text

    def weekday(self, day: date) -> str:
        return self(WEEKDAYS[day.weekday()])

    def month(self, month: int) -> str:
        return self(MONTHS[month - 1])

    def day_of_month(self, day: int, *, in_february: bool = False) -> str:
        """``day``, said so that a reader knows what happens in months without it."""
        if day == 31 or (in_february and day == 29):
            return self(N_("the last day"))
        if day > 28:
            return self(N_("day %(day)d (the last day in shorter months)"), day=day)
        return self(N_("day %(day)d"), day=day)

    def month_and_day(self, first: date) -> str:
        text = format_skeleton("MMMMd", first, locale=self.babel)
        if (first.month, first.day) == (2, 29):
            return self(N_("%(date)s (28 February in other years)"), date=text)
        return text


def _weekly(words: _Words, plan: WorkPlan) -> str:
    days = sorted(set(plan.weekdays or [])) or [plan.starts_on.weekday()]
    weekday = format_list([words(WEEKDAYS[d]) for d in days], locale=words.babel)
    if plan.interval <= 1:
        return words(N_("every %(weekday)s"), weekday=weekday)
    return words(N_("every %(n)d weeks on %(weekday)s"), n=plan.interval, weekday=weekday)


def _monthly_weekday(words: _Words, plan: WorkPlan) -> str:
    first = plan.starts_on
    which, weekday = words(WEEKS_OF_MONTH[week_of_month(first)]), words.weekday(first)
    if plan.interval <= 1:
        return words(N_("monthly on the %(which)s %(weekday)s"), which=which, weekday=weekday)
    return words(N_("every %(n)d months on the %(which)s %(weekday)s, from %(month)s"), n=plan.interval, which=which,
                 weekday=weekday, month=format_skeleton("yMMMM", first, locale=words.babel))


def _monthly(words: _Words, plan: WorkPlan) -> str:
    first, n = plan.starts_on, max(1, plan.interval)
    day = words.day_of_month(first.day)
    if n == 1:
        return words(N_("monthly on %(day)s"), day=day)
    if n == 3:
        return words(N_("quarterly, in the %(which)s, on %(day)s"), which=words(QUARTER_MONTHS[(first.month - 1) % 3]),
                     day=day)
    if 12 % n == 0:
        months = sorted({(first.month - 1 + k * n) % 12 + 1 for k in range(12 // n)})
        return words(N_("every year in %(months)s, on %(day)s"), day=words.day_of_month(first.day, in_february=2 in months),
                     months=format_list([words.month(m) for m in months], locale=words.babel))
    return words(N_("every %(n)d months on %(day)s, from %(month)s"), n=n, day=day,
                 month=format_skeleton("yMMMM", first, locale=words.babel))


def _yearly(words: _Words, plan: WorkPlan) -> str:
    if plan.interval <= 1:
        return words(N_("every year on %(date)s"), date=words.month_and_day(plan.starts_on))
    return words(N_("every %(n)d years on %(date)s, from %(year)d"), n=plan.interval,
                 date=words.month_and_day(plan.starts_on), year=plan.starts_on.year)


def _seasonal(words: _Words, plan: WorkPlan) -> str:
    first, last = plan.season_from or 1, plan.season_to or 12
    season = (N_("from %(first)s to %(last)s each year") if first <= last
              else N_("from %(first)s to %(last)s of the next year, each year"))
    return words(N_("%(season)s, %(weekly)s"), season=words(season, first=words.month(first), last=words.month(last)),
                 weekly=_weekly(words, plan))


def describe(plan: WorkPlan, locale: str) -> str:
    """The plan's recurrence (and its last date, if it has one) in ``locale``, starting with a capital."""
    words = _Words(locale)
    if plan.recurrence == Recurrence.once:
        rule = words(N_("once, on %(date)s"), date=format_date(plan.starts_on, "long", locale=words.babel))
        return rule[:1].upper() + rule[1:]
    rule = {Recurrence.weekly: _weekly, Recurrence.monthly: _monthly, Recurrence.yearly: _yearly,
            Recurrence.seasonal: _seasonal, Recurrence.monthly_weekday: _monthly_weekday}[Recurrence(plan.recurrence)](words, plan)
    if plan.until is not None:
        rule = words(N_("%(rule)s, until %(date)s"), rule=rule, date=format_date(plan.until, "long", locale=words.babel))
    return rule[:1].upper() + rule[1:]

