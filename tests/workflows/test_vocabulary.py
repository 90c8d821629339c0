"""The stored vocabulary is the enums': every value the code stores is a member, and every member can be stored."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from engine.clock import now
from engine.db import unit_of_work
from forms.schema import load_all
from workflows.colours import ESCALATION, Colour
from workflows.delegation import steps as delegation_steps
from workflows.delegation.enums import AcceptanceDecision, Verdict
from workflows.delegation.models import DelegatedTask
from workflows.plans import steps as plan_steps
from workflows.plans.enums import Passed
from workflows.plans.models import PlanOccurrence
from workflows.repair import steps as repair_steps
from workflows.repair.enums import AppealDecision, AppealStatus, JobAnswer, RealProblem, ReviewDecision
from workflows.repair.models import ColourChange, WorkOrder
from workflows.repair.service import by_number, search_orders
from workflows.stepping import StepRefused

ROOT = Path(__file__).resolve().parents[2]


def test_every_colour_fits_the_colour_columns_and_the_order_list_finds_it(scenario):
    for model in (WorkOrder, PlanOccurrence, DelegatedTask, ColourChange):
        assert max(map(len, Colour)) <= model.__table__.c.colour.type.length
    number = scenario.report()
    with unit_of_work(scenario.host.session_factory) as session:
        order = by_number(session, school_id=scenario.school_id, number=number)
        assert order.colour == Colour.none  # the column's default: no escalation yet
        for colour in Colour:
            order.colour = colour
            session.flush()
            session.expire(order)
            assert order.colour == colour.value
            found = search_orders(session, school_id=scenario.school_id, colour=colour)
            assert [row.order.number for row in found.rows] == [number]


def test_the_colour_steps_take_the_escalation_colours_and_nothing_else(scenario):
    number = scenario.report()
    with unit_of_work(scenario.host.session_factory) as session:
        order = by_number(session, school_id=scenario.school_id, number=number)
        ctx = SimpleNamespace(session=session, at=now())
        chasers = SimpleNamespace(value=lambda key: "deputy_leader")  # the rules' answer to "who chases"
        for colour in ESCALATION:
            assert repair_steps.STEPS["coloured"](order, ctx, chasers, colour)["colour"] == colour
        assert order.colour == Colour.red
        for refused in (Colour.none, "blue"):
            for coloured, row in ((repair_steps.STEPS["coloured"], order),
                                  (plan_steps.STEPS["coloured"], SimpleNamespace(colour=Colour.none)),
                                  (delegation_steps.STEPS["slipped"], SimpleNamespace(colour=Colour.none))):
                with pytest.raises(StepRefused, match="unknown colour"):
                    coloured(row, ctx, None, refused)


def test_every_escalation_ladder_in_the_default_rules_has_exactly_the_three_colours():
    rules = yaml.safe_load((ROOT / "rules" / "defaults.yaml").read_text(encoding="utf-8"))
    ladders = [rules["repair"]["escalation"], rules["plans"]["escalation"], rules["delegation"]["slip"]]
    assert [list(ladder) for ladder in ladders] == [[str(c) for c in ESCALATION]] * 3


DECISION_FIELDS = [  # (form, field, the enum of the values it stores)
    ("repair_review", "decision", ReviewDecision), ("repair_accept", "decision", JobAnswer),
    ("repair_callback", "real_problem", RealProblem), ("rating_appeal_decision", "decision", AppealDecision),
    ("plan_review", "passed", Passed), ("delegated_acceptance", "decision", AcceptanceDecision),
]


@pytest.mark.parametrize("form, name, enum", DECISION_FIELDS, ids=[f"{f}.{n}" for f, n, _ in DECISION_FIELDS])
def test_each_decision_form_offers_exactly_the_values_of_its_enum(form, name, enum):
    choices = load_all()[form].field(name).choices
    assert [value for value, _label in choices] == [member.value for member in enum]


def test_the_diagrams_branch_only_on_values_the_enums_name():
    diagrams = "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "bpmn").rglob("*.bpmn")))
    conditions = {r'review\["decision"\] == "(\w+)"': ReviewDecision, r'answer\["decision"\] == "(\w+)"': JobAnswer,
                  r'callback\["real_problem"\] == "(\w+)"': RealProblem, r'verdict == "(\w+)"': Verdict}
    for pattern, enum in conditions.items():
        named = set(re.findall(pattern, diagrams))
        assert named and named <= {member.value for member in enum}, pattern


def test_an_appeal_status_is_filed_or_the_appeal_decision():
    assert [s.value for s in AppealStatus] == ["filed", *(d.value for d in AppealDecision)]
