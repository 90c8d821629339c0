"""The words of a report in zh_CN and English. Reports are written by a background job with no request, so they
carry their own small dictionary (like the notification titles) instead of the web pages' translations."""
from __future__ import annotations

_WORDS: dict[str, tuple[str, str]] = {
    # key: (zh_CN, en)
    "report": ("后勤服务分析报告", "Service analysis report"),
    "month": ("月度", "Monthly"), "quarter": ("季度", "Quarterly"),
    "school_wide": ("全校", "Whole school"), "unit": ("服务单位", "Service unit"),
    "period": ("统计期间", "Period"), "generated": ("生成时间", "Generated"),
    "figure": ("指标", "Figure"), "value": ("数值", "Value"),
    "summary": ("主要指标", "Key figures"), "trend": ("每日趋势", "Daily trend"),
    "colours": ("三色催办", "Three colours"), "categories": ("分类统计", "By category"),
    "campuses": ("校区统计", "By campus"),
    "workers": ("维修工排名", "Workers"), "teams": ("班组排名", "Teams"), "orders": ("报修单", "Orders"),
    "ratings": ("评价", "Ratings"), "definitions": ("指标口径", "Definitions"), "day": ("日期", "Day"),
    "name": ("名称", "Name"), "good_rate_short": ("好评率", "Good rate"),
    "received": ("受理量", "Orders received"), "completed": ("完成量", "Orders completed"),
    "completion_rate": ("完成率", "Completion rate"), "good_ratings": ("好评数", "Good ratings"),
    "bad_ratings": ("差评数", "Bad ratings"), "good_rate": ("好评率", "Good-rating rate"),
    "default_good": ("默认好评", "Default-good ratings"), "ratings_excluded": ("申诉成立不计", "Ratings excluded (appeal upheld)"),
    "callbacks_done": ("已回访", "Callbacks done"), "callbacks_pending": ("待回访", "Callbacks pending"),
    "rectifications_on_time": ("按时整改", "Rectifications on time"),
    "rectifications_late": ("超时整改", "Rectifications late"),
    "open_green": ("当前绿色", "Now green"), "open_yellow": ("当前黄色", "Now yellow"), "open_red": ("当前红色", "Now red"),
    "solved_green": ("已解决绿色", "Solved green"), "solved_yellow": ("已解决黄色", "Solved yellow"),
    "solved_red": ("已解决红色", "Solved red"),
    "review_avg_seconds": ("平均审核用时（小时）", "Average time to review (hours)"),
    "review_p90_seconds": ("审核用时 P90（小时）", "Time to review, p90 (hours)"),
    "complete_avg_seconds": ("平均维修用时（小时）", "Average time to complete (hours)"),
    "complete_p90_seconds": ("维修用时 P90（小时）", "Time to complete, p90 (hours)"),
    "repeat_faults": ("重复报修地点的报修单", "Orders at repeat-fault locations"),
    # column headings of the raw tables
    "number": ("工单号", "Order"), "campus": ("校区", "Campus"), "category": ("类别", "Category"),
    "item": ("服务项目", "Service item"), "status": ("状态", "Status"), "colour": ("颜色", "Colour"),
    "worker": ("维修工", "Worker"), "accepted": ("审核通过", "Accepted"), "closed": ("关闭", "Closed"),
    "round": ("轮次", "Round"), "rated_at": ("评价时间", "Rated"), "overall": ("总体评分", "Overall"),
    "bad": ("差评", "Bad"), "default": ("默认好评", "Default"), "appeal": ("申诉", "Appeal"),
}

SUMMARY_KEYS = ("received", "completed", "completion_rate", "good_ratings", "bad_ratings", "good_rate",
                "default_good", "ratings_excluded", "callbacks_done", "callbacks_pending", "rectifications_on_time",
                "rectifications_late", "open_green", "open_yellow", "open_red", "solved_green", "solved_yellow",
                "solved_red", "review_avg_seconds", "review_p90_seconds", "complete_avg_seconds",
                "complete_p90_seconds", "repeat_faults")


def word(key: str, locale: str) -> str:
    zh, en = _WORDS[key]
    return en if locale == "en" else zh


def figure_value(key: str, value) -> str:
    """A figure as the report prints it: rates in per cent, durations in hours, counts as they are."""
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.1f}%"
    if key.endswith("_seconds"):
        return f"{value / 3600:.1f}"
    return str(value)
