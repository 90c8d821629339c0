"""The leaders' one screen (一屏可见): every business of the school on one page, one card per figure.

Repairs come from the dashboard's own figures; every other card comes from the process modules' ``figures``
through the module registry, so a module merged later (inspections, surveys, staffing, duty) appears here with its
own cards and nothing in this file changes. Each card keeps its module's drill-down link; the unit scores come with
the newest published ranking and each unit's trend.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.assessment.results import latest_ranking, trends
from workflows.dashboard.figures import figures as repair_figures
from workflows.i18n import N_, Message
from workflows.modules.registry import Modules
from workflows.people.timezone import local_date, school_zone

REPAIR_CARDS: dict[str, Message] = {  # the repair figures a leader reads first, in this order
    "received": N_("Orders received"), "completed": N_("Orders completed"), "good_ratings": N_("Good ratings"),
    "bad_ratings": N_("Bad ratings"), "open_yellow": N_("Now yellow"), "open_red": N_("Now red"),
}


@dataclass(frozen=True)
class Card:
    section: Message  # the business it belongs to (its module's label)
    key: str
    label: Message
    value: int | float | None
    link: tuple[str, dict[str, Any]] | None
    unit: str = ""  # "%" for rates


def cards(session: Session, modules: Modules, *, school_id: int, start: datetime, end: datetime, at: datetime,
          rules: RuleStore) -> list[Card]:
    """Every card for ``[start, end)``: repairs first, then each module's in the deployment's order."""
    zone = school_zone(session, school_id)
    days = {"start": local_date(start, zone).isoformat(), "end": local_date(end, zone).isoformat()}
    repairs = repair_figures(session, school_id=school_id, start=start, end=end)["figures"]
    shown = [Card(N_("Repair orders"), key, label, int(repairs[key]), ("dashboard.orders", {"figure": key, **days}))
             for key, label in REPAIR_CARDS.items()]
    rate = repairs.get("good_rate")
    shown.append(Card(N_("Repair orders"), "good_rate", N_("Good-rating rate"),
                      None if rate is None else round(100 * rate, 1), ("dashboard.index", days), "%"))
    for module, figures in modules.figures(session, school_id=school_id, start=start, end=end, at=at, rules=rules):
        shown.extend(Card(module.label, f.key, f.label, f.value, f.link) for f in figures)
    return shown


def ranking(session: Session, *, school_id: int) -> dict[str, Any]:
    """The newest published monthly ranking of the units and their trends, for the unit-scores panel."""
    period, ranked = latest_ranking(session, school_id=school_id)
    return {"period": period, "rows": [{"rank": r.rank, "unit": r.unit, "total": r.campaign.total,
                                         "grade": r.campaign.grade, "number": r.campaign.number} for r in ranked],
            "trends": trends(session, school_id=school_id)}
