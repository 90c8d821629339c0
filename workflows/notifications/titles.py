"""Readable titles of notifications by kind, in zh_CN and English.

One source for the bell (web), e-mail subjects and group-bot messages. No Flask here: the caller passes
the locale (``"zh_CN"`` or ``"en"``; anything starting with ``en`` counts as English).
"""
from __future__ import annotations

from typing import Any

LOCALES = ("zh_CN", "en")

TITLES: dict[str, dict[str, str]] = {
    "repair.review_overdue": {"en": "Order %(order)s is still waiting for review.",
                              "zh_CN": "工单 %(order)s 仍未审核，请及时处理。"},
    "repair.job_overdue": {"en": "Your job on order %(order)s is overdue.",
                           "zh_CN": "您负责的工单 %(order)s 已超时未完工。"},
    "repair.job_overdue_copy": {"en": "A worker's job on order %(order)s is overdue.",
                                "zh_CN": "维修工负责的工单 %(order)s 已超时未完工。"},
    "repair.escalated": {"en": "Order %(order)s is %(colour)s: please chase it.",
                         "zh_CN": "工单 %(order)s 已进入%(colour)s催办，请督促处理。"},
    "repair.bad_rating": {"en": "Bad rating (%(stars)s of 5) on order %(order)s: call the requester back.",
                          "zh_CN": "工单 %(order)s 收到差评（%(stars)s 星，满分 5 星），请回访申请人。"},
    "repair.rate_request": {"en": "Please rate the repair of order %(order)s.",
                            "zh_CN": "请对工单 %(order)s 的维修服务进行评价。"},
    "repair.dispatched": {"en": "New job: order %(order)s.", "zh_CN": "新派单：工单 %(order)s。"},
    "repair.rectification_exhausted": {"en": "Order %(order)s: the rectification rounds are used up; please decide.",
                                       "zh_CN": "工单 %(order)s 整改次数已达上限，请决定如何处理。"},
    "repair.appeal_filed": {"en": "A rating appeal was filed on order %(order)s.",
                            "zh_CN": "工单 %(order)s 有新的评价申诉。"},
    "repair.appeal_decided": {"en": "The rating appeal on order %(order)s was %(decision)s.",
                              "zh_CN": "工单 %(order)s 的评价申诉处理结果：%(decision)s。"},
    "report.ready": {"en": "Service analysis report ready: %(title)s", "zh_CN": "服务分析报告已生成：%(title)s"},
    "job.overdue": {"en": "Quick job overdue: %(title)s", "zh_CN": "零星维修任务超时：%(title)s"},
}
FALLBACK = {"en": "%(kind)s on %(key)s", "zh_CN": "%(key)s：%(kind)s"}
WORDS: dict[str, dict[str, str]] = {
    "green": {"en": "green", "zh_CN": "绿色"}, "yellow": {"en": "yellow", "zh_CN": "黄色"},
    "red": {"en": "red", "zh_CN": "红色"},
    "upheld": {"en": "upheld", "zh_CN": "成立"}, "dismissed": {"en": "dismissed", "zh_CN": "驳回"},
}


def normalise(locale: str | None) -> str:
    return "en" if (locale or "").lower().startswith("en") else "zh_CN"


def word(value: Any, locale: str) -> str:
    if value is None:
        return ""
    return WORDS.get(str(value), {}).get(locale, str(value))


def title(kind: str, payload: dict | None, business_key: str | None, locale: str | None) -> str:
    """The sentence a person reads for a notification of ``kind``, filled from its payload."""
    loc = normalise(locale)
    payload = payload or {}
    values = {
        "order": payload.get("order") or business_key or "",
        "colour": word(payload.get("colour"), loc),
        "decision": word(payload.get("decision"), loc),
        "stars": payload.get("overall", "?"),
        "title": payload.get("title") or business_key or "",
        "kind": kind, "key": business_key or "—",
    }
    template = TITLES.get(kind, FALLBACK)[loc]
    return template % values
