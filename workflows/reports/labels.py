"""The words of a report, by key. Reports are written by a background job with no request, so the words are
translated through :mod:`workflows.i18n` from the web pages' catalog, under the context "report" (a column
heading such as "Rated" means the time of the rating here, not a state as on the order pages).

A heading says what its column holds: a time column is named for the moment ("Received at"), a count for the
things counted ("Orders received"), and a duration or score carries its unit ("… (hours)", "… (1–5)").
"""
from __future__ import annotations

from workflows.i18n import NC_, translate

_WORDS: dict[str, tuple[str, str]] = {  # key -> (context, msgid)
    "title": NC_("report", "%(kind)s service analysis report, %(period)s"),
    "month": NC_("report", "Monthly"), "quarter": NC_("report", "Quarterly"),
    "school_wide": NC_("report", "Whole school"), "unit": NC_("report", "Service unit"),
    "period": NC_("report", "Period"), "generated": NC_("report", "Generated"),
    "figure": NC_("report", "Figure"), "value": NC_("report", "Value"),
    "services": NC_("report", "Other services"), "business": NC_("report", "Business"),
    "summary": NC_("report", "Key figures"), "trend": NC_("report", "Daily trend"),
    "colours": NC_("report", "Three colours"), "categories": NC_("report", "By category"),
    "campuses": NC_("report", "By campus"),
    "workers": NC_("report", "Workers"), "teams": NC_("report", "Teams"), "orders": NC_("report", "Orders"),
    "ratings": NC_("report", "Ratings"), "definitions": NC_("report", "Definitions"), "day": NC_("report", "Day"),
    "name": NC_("report", "Name"), "good_rate_short": NC_("report", "Good rate"),
    "no_data": NC_("report", "Nothing in this period."),
    "received": NC_("report", "Orders received"), "completed": NC_("report", "Orders completed"),
    "completion_rate": NC_("report", "Completion rate"), "good_ratings": NC_("report", "Good ratings"),
    "bad_ratings": NC_("report", "Bad ratings"), "good_rate": NC_("report", "Good-rating rate"),
    "default_good": NC_("report", "Default-good ratings"), "ratings_excluded": NC_("report", "Ratings excluded (appeal upheld)"),
    "callbacks_done": NC_("report", "Callbacks done"), "callbacks_explained": NC_("report", "Explained on the call"),
    "callbacks_pending": NC_("report", "Callbacks pending"),
    "rectifications_on_time": NC_("report", "Rectifications on time"),
    "rectifications_late": NC_("report", "Rectifications late"),
    "open_green": NC_("report", "Now green"), "open_yellow": NC_("report", "Now yellow"), "open_red": NC_("report", "Now red"),
    "solved_green": NC_("report", "Solved green"), "solved_yellow": NC_("report", "Solved yellow"),
    "solved_red": NC_("report", "Solved red"),
    "review_avg_seconds": NC_("report", "Average time to review (hours)"),
    "review_p90_seconds": NC_("report", "Time to review, p90 (hours)"),
    "complete_avg_seconds": NC_("report", "Average time to complete (hours)"),
    "complete_p90_seconds": NC_("report", "Time to complete, p90 (hours)"),
    "repeat_faults": NC_("report", "Orders at repeat-fault locations"),
    # column headings of the raw tables
    "number": NC_("report", "Order"), "campus": NC_("report", "Campus"), "category": NC_("report", "Category"),
    "item": NC_("report", "Service item"), "urgency": NC_("report", "Urgency"), "status": NC_("report", "Status"),
    "colour": NC_("report", "Overdue colour"), "worker": NC_("report", "Worker"),
    "received_at": NC_("report", "Received at"), "accepted_at": NC_("report", "Accepted at"),
    "completed_at": NC_("report", "Repaired at"), "closed_at": NC_("report", "Closed at"),
    "review_hours": NC_("report", "Time to review (hours)"), "complete_hours": NC_("report", "Time to complete (hours)"),
    "round": NC_("report", "Rating round"), "rated_at": NC_("report", "Rated at"),
    "overall": NC_("report", "Overall score (1–5)"), "bad": NC_("report", "Bad"), "default": NC_("report", "Default"),
    "appeal": NC_("report", "Appeal"),
    # the assessment section: the units' published results of the period, ranked
    "assessment": NC_("report", "Unit assessment scores"), "rank": NC_("report", "Rank"),
    "assessed_unit": NC_("report", "Unit assessed"), "campaign": NC_("report", "Assessment"),
    "total_points": NC_("report", "Total points"), "grade": NC_("report", "Grade"),
    "deduction": NC_("report", "Payment deduction (%)"),
}

SUMMARY_KEYS = ("received", "completed", "completion_rate", "good_ratings", "bad_ratings", "good_rate",
                "default_good", "ratings_excluded", "callbacks_done", "callbacks_explained", "callbacks_pending",
                "rectifications_on_time", "rectifications_late", "open_green", "open_yellow", "open_red", "solved_green", "solved_yellow",
                "solved_red", "review_avg_seconds", "review_p90_seconds", "complete_avg_seconds",
                "complete_p90_seconds", "repeat_faults")


def word(key: str, locale: str) -> str:
    return translate(_WORDS[key], locale)
