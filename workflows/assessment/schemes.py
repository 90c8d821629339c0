"""Entering and changing assessment schemes, every mistake refused with the field at fault and nothing stored.

A scheme's items carry weights that must add up to 100; each item is computed (an indicator the process modules
registered, with its two thresholds) or scored (rules with a deduction per finding and optional caps). Its grade
bands have distinct lower bounds, one of them 0, and a payment deduction each.

Versions: :func:`revise` changes the current version in place while no campaign has used it, and otherwise adds
the next version and makes it current, so the campaigns that ran keep theirs. :func:`amend` is the change of one
named version (the API's ``PUT``): refused for a version a campaign used.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.db import get_locked
from workflows.adminlog import record_change
from workflows.assessment.enums import AssessmentAction, Grade, ItemKind, Schedule
from workflows.assessment.models import Campaign, SchemeVersion
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import OrgUnit

TOTAL_WEIGHT = 100.0
DEFAULT_BANDS = [{"grade": Grade.excellent, "min": 90, "deduction": 0}, {"grade": Grade.good, "min": 80, "deduction": 0},
                 {"grade": Grade.passed, "min": 60, "deduction": 3}, {"grade": Grade.failed, "min": 0, "deduction": 10}]


class SchemeError(FieldError):
    """The scheme cannot be stored as given; ``field`` names the input at fault."""


class VersionInUse(SchemeError):
    """A version a campaign used cannot change: edit the scheme, which adds a new version."""


@dataclass(frozen=True)
class Draft:
    name: str
    unit_id: int
    items: Sequence[Mapping[str, Any]]
    bands: Sequence[Mapping[str, Any]]
    contract: str = ""
    schedule: str = Schedule.monthly


def _number(value: Any, field: str, message: str, **params: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SchemeError(field, message, **params) from None


def clean_items(items: Sequence[Mapping[str, Any]], indicators: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items as stored (typed, keyed i1, i2 …); SchemeError for the first mistake."""
    if not items:
        raise SchemeError("items", N_("a scheme needs at least one indicator"))
    cleaned: list[dict[str, Any]] = []
    for n, raw in enumerate(items, start=1):
        where = f"items-{n - 1}"
        name = str(raw.get("name") or "").strip()
        if not name:
            raise SchemeError(f"{where}-name", N_("indicator %(n)d: give it a name"), n=n)
        weight = _number(raw.get("weight"), f"{where}-weight", N_("indicator %(n)d: the weight is a number"), n=n)
        if weight <= 0:
            raise SchemeError(f"{where}-weight", N_("indicator %(n)d: the weight must be above 0"), n=n)
        kind = raw.get("kind") if isinstance(raw.get("kind"), str) else None
        item: dict[str, Any] = {"key": str(raw.get("key") or f"i{n}"), "name": name, "weight": weight, "kind": kind}
        if kind == ItemKind.computed:
            if not isinstance(raw.get("indicator"), str) or raw["indicator"] not in indicators:
                raise SchemeError(f"{where}-indicator", N_("indicator %(n)d: choose what it is computed from"), n=n)
            item["indicator"] = raw["indicator"]
            zero, full = indicators[raw["indicator"]].scale  # the indicator's own scale where the scheme gives none
            raw = {**raw, "zero_at": zero if raw.get("zero_at") in (None, "") else raw["zero_at"],
                   "full_at": full if raw.get("full_at") in (None, "") else raw["full_at"]}
            item["zero_at"] = _number(raw.get("zero_at"), f"{where}-zero_at", N_("indicator %(n)d: the no-points value is a number"),
                                      n=n)
            item["full_at"] = _number(raw.get("full_at"), f"{where}-full_at", N_("indicator %(n)d: the full-points value is a number"),
                                      n=n)
            if item["zero_at"] == item["full_at"]:
                raise SchemeError(f"{where}-full_at", N_("indicator %(n)d: the two thresholds must differ"), n=n)
        elif kind == ItemKind.scored:
            item["rules"] = _clean_rules(raw.get("rules") or [], n, where)
            cap = raw.get("cap")
            item["cap"] = weight if cap in (None, "") else _number(cap, f"{where}-cap", N_("indicator %(n)d: the cap is a number"), n=n)
        else:
            raise SchemeError(f"{where}-kind", N_("indicator %(n)d: computed or scored by assessors"), n=n)
        cleaned.append(item)
    keys = [item["key"] for item in cleaned]
    if len(set(keys)) != len(keys):
        raise SchemeError("items", N_("two indicators have the same key"))
    weights = sum(item["weight"] for item in cleaned)
    if abs(weights - TOTAL_WEIGHT) > 1e-6:
        raise SchemeError("items", N_("the weights add up to %(sum)s, not 100"), sum=f"{weights:g}")
    return cleaned


def _clean_rules(rules: Sequence[Mapping[str, Any]], n: int, where: str) -> list[dict[str, Any]]:
    if not rules:
        raise SchemeError(f"{where}-rules", N_("indicator %(n)d: write at least one detailed rule"), n=n)
    cleaned = []
    for m, rule in enumerate(rules, start=1):
        text = str(rule.get("text") or "").strip()
        if not text:
            raise SchemeError(f"{where}-rules", N_("indicator %(n)d, rule %(m)d: say what is checked"), n=n, m=m)
        deduct = _number(rule.get("deduct"), f"{where}-rules", N_("indicator %(n)d, rule %(m)d: the deduction is a number"),
                         n=n, m=m)
        cap = rule.get("cap")
        cleaned.append({"code": str(rule.get("code") or f"R{m}"), "text": text, "deduct": deduct,
                        "cap": None if cap in (None, "") else _number(
                            cap, f"{where}-rules", N_("indicator %(n)d, rule %(m)d: the cap is a number"), n=n, m=m)})
    return cleaned


def clean_bands(bands: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for band in bands:
        if not isinstance(band.get("grade"), str) or band["grade"] not in set(Grade):
            raise SchemeError("bands", N_("unknown grade"))
        low = _number(band.get("min"), "bands", N_("each grade's lower bound is a number"))
        deduction = _number(band.get("deduction", 0), "bands", N_("each grade's payment deduction is a number"))
        if not 0 <= low <= TOTAL_WEIGHT or not 0 <= deduction <= 100:
            raise SchemeError("bands", N_("bounds and deductions lie between 0 and 100"))
        cleaned.append({"grade": str(band["grade"]), "min": low, "deduction": deduction})
    lows = [band["min"] for band in cleaned]
    if len({band["grade"] for band in cleaned}) != len(cleaned) or len(set(lows)) != len(lows) or 0 not in lows:
        raise SchemeError("bands", N_("each grade once, with different lower bounds, the lowest at 0"))
    return sorted(cleaned, key=lambda band: band["min"], reverse=True)


def _checked(session: Session, school_id: int, draft: Draft, indicators: Mapping[str, Any]) -> dict[str, Any]:
    if not draft.name.strip():
        raise SchemeError("name", N_("give the scheme a name"))
    unit = session.get(OrgUnit, draft.unit_id)
    if unit is None or unit.school_id != school_id:
        raise SchemeError("unit_id", N_("choose a unit of this school"))
    if draft.schedule not in set(Schedule):
        raise SchemeError("schedule", N_("unknown schedule"))
    return {"name": draft.name.strip(), "unit_id": draft.unit_id, "contract": draft.contract.strip(),
            "schedule": draft.schedule, "items": clean_items(draft.items, indicators), "bands": clean_bands(draft.bands)}


def _facts(version: SchemeVersion) -> dict[str, Any]:
    return {"code": version.code, "version": version.version, "name": version.name, "unit_id": version.unit_id,
            "weights": {item["key"]: item["weight"] for item in version.items}}


def create(session: Session, *, school_id: int, draft: Draft, indicators: Mapping[str, Any], actor: str,
           user_id: int | None) -> SchemeVersion:
    values = _checked(session, school_id, draft, indicators)
    count = session.scalar(select(func.count(func.distinct(SchemeVersion.code))).where(SchemeVersion.school_id == school_id)) or 0
    version = SchemeVersion(school_id=school_id, code=f"KH{count + 1:03d}", version=1, created_by_id=user_id, **values)
    session.add(version)
    session.flush()
    record_change(session, actor=actor, action=AssessmentAction.scheme_created, school_id=school_id,
                  target=f"scheme:{version.code}", after=_facts(version))
    return version


def used(session: Session, version: SchemeVersion) -> str | None:
    """The number of a campaign that used ``version``, or None."""
    return session.scalar(select(Campaign.number).where(Campaign.scheme_id == version.id).limit(1))


def amend(session: Session, *, version: SchemeVersion, draft: Draft, indicators: Mapping[str, Any], actor: str) -> SchemeVersion:
    """Change this very version; VersionInUse when a campaign used it (its results must stay as scored)."""
    get_locked(session, SchemeVersion, version.id)
    campaign = used(session, version)
    if campaign is not None:
        raise VersionInUse("version", N_("version %(version)d of %(code)s is used by campaign %(campaign)s; edit the "
                                         "scheme to make a new version"), version=version.version, code=version.code,
                           campaign=campaign)
    values = _checked(session, version.school_id, draft, indicators)
    before = _facts(version)
    for name, value in values.items():
        setattr(version, name, value)
    record_change(session, actor=actor, action=AssessmentAction.scheme_updated, school_id=version.school_id,
                  target=f"scheme:{version.code}", before=before, after=_facts(version))
    return version


def revise(session: Session, *, current: SchemeVersion, draft: Draft, indicators: Mapping[str, Any], actor: str,
           user_id: int | None) -> SchemeVersion:
    """The scheme as edited: this version changed while unused, else the next version, made current."""
    get_locked(session, SchemeVersion, current.id)
    if used(session, current) is None:
        return amend(session, version=current, draft=draft, indicators=indicators, actor=actor)
    values = _checked(session, current.school_id, draft, indicators)
    latest = session.scalar(select(func.max(SchemeVersion.version)).where(
        SchemeVersion.school_id == current.school_id, SchemeVersion.code == current.code)) or current.version
    session.execute(update(SchemeVersion).where(SchemeVersion.school_id == current.school_id,
                                                SchemeVersion.code == current.code).values(current=False))
    version = SchemeVersion(school_id=current.school_id, code=current.code, version=latest + 1, current=True,
                            active=current.active, created_by_id=user_id, **values)
    session.add(version)
    session.flush()
    record_change(session, actor=actor, action=AssessmentAction.scheme_versioned, school_id=current.school_id,
                  target=f"scheme:{current.code}", before=_facts(current), after=_facts(version))
    return version


def set_active(session: Session, *, current: SchemeVersion, active: bool, actor: str) -> bool:
    """Switch the scheme off (no campaign is opened on it any more, by schedule or by hand) or on again; campaigns
    already open go on under their version. False when it already was so."""
    get_locked(session, SchemeVersion, current.id)
    if current.active == active:
        return False
    session.execute(update(SchemeVersion).where(SchemeVersion.school_id == current.school_id,
                                                SchemeVersion.code == current.code).values(active=active))
    session.expire(current)
    record_change(session, actor=actor,
                  action=AssessmentAction.scheme_reactivated if active else AssessmentAction.scheme_deactivated,
                  school_id=current.school_id, target=f"scheme:{current.code}", before={"active": not active},
                  after={"active": active})
    return True


def current_of(session: Session, *, school_id: int, code: str) -> SchemeVersion | None:
    return session.scalar(select(SchemeVersion).where(SchemeVersion.school_id == school_id, SchemeVersion.code == code,
                                                      SchemeVersion.current.is_(True)))


def schemes(session: Session, *, school_id: int) -> list[SchemeVersion]:
    """The current version of each of the school's schemes."""
    return list(session.scalars(select(SchemeVersion).where(SchemeVersion.school_id == school_id,
                                                            SchemeVersion.current.is_(True)).order_by(SchemeVersion.code)))
