"""The data generator: ``houqin generate`` writes schools, closed history and open orders in bulk; every open
order is a genuine waiting workflow of its own, and PostgreSQL's COPY path leaves the sequences right."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import advance
from engine.inbox import task_page
from engine.models import HumanTask, ProcessInstance
from webapp.cli import cli
from workflows.catalogue.models import CatalogueItem
from workflows.demo_lives import receipt_times
from workflows.generator import Volume, generate
from workflows.people.models import Campus, School, User
from workflows.people.service import actor_for
from workflows.repair.enums import Channel
from workflows.repair.models import Callback, Rating, Rectification, WorkOrder
from workflows.repair.service import Intake, create_order


def test_generate_command_writes_history_and_real_open_orders(app, app_harness):
    result = app.test_cli_runner().invoke(cli, ["generate", "--schools", "2", "--orders", "700", "--days", "60",
                                                "--open-share", "0.1"])
    assert result.exit_code == 0, result.output
    assert "700 orders (70 open) in 2 schools" in result.output
    with app_harness.session() as session:
        assert session.scalar(select(func.count(WorkOrder.id))) == 700
        assert session.scalar(select(func.count(School.id)).where(School.code.like("gen%"))) == 2
        closed = session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.status == "closed"))
        assert closed == 630
        rated = session.scalar(select(func.count(func.distinct(Rating.order_id))))
        assert rated == closed
        bad = session.scalar(select(func.count(Rating.id)).where(Rating.is_bad.is_(True)))
        explained = session.scalar(select(func.count(Callback.id)).where(Callback.real_problem.is_(False)))
        assert explained and bad == explained + session.scalar(select(func.count(Rectification.id)))
        open_orders = list(session.scalars(select(WorkOrder).where(WorkOrder.status != "closed")))
        assert len(open_orders) == 70
        assert {o.status for o in open_orders} == {"submitted", "dispatched", "in_progress"}
        for order in open_orders:  # one waiting workflow and one inbox row per open order, keyed by its number
            tasks = list(session.scalars(select(HumanTask).where(HumanTask.instance_id == order.instance_id)))
            assert [t.business_key for t in tasks] == [order.number]
            assert session.get(ProcessInstance, order.instance_id).business_key == order.number
        in_progress = [o for o in open_orders if o.status == "in_progress"]
        assert len({o.worker_id for o in in_progress}) > 1


def test_a_copied_order_advances_itself_and_not_its_template(rt):
    rt.deploy_path()
    generate(rt.runtime, volume=Volume(orders=300, open_share=0.2, requesters=20))
    with rt.session() as session:
        copy = session.scalar(select(WorkOrder).where(WorkOrder.number.like("G%"), WorkOrder.status == "in_progress")
                              .order_by(WorkOrder.id.desc()).limit(1))
        worker = session.get(User, copy.worker_id)
        page = task_page(session, actor_for(session, worker), tab="mine", at=datetime.now(UTC))
        task = next(row for row in page.rows if row.business_key == copy.number)
        advance.complete_task(rt.host, session, task_id=task.id, actor=actor_for(session, worker),
                              data={"completion": {"result": "换了新阀门", "materials": "", "photos": []}})
    with rt.session() as session:
        done = session.get(WorkOrder, copy.id)
        assert done.status == "completed" and done.completed_at is not None
        others = session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.status == "completed"))
        assert others == 1
        assert session.scalar(select(HumanTask.task_name).where(HumanTask.business_key == copy.number)) == "rate"


def _order_today(harness, school_id: int) -> str:
    """An order of the school received now, waiting for its review; its number."""
    with harness.session() as session:
        requester = session.scalar(select(User).where(User.school_id == school_id, User.username.like("%-r001")))
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.school_id == school_id,
                                                          CatalogueItem.parent_id.is_not(None)).limit(1))
        campus = session.scalar(select(Campus.id).where(Campus.school_id == school_id).limit(1))
        return create_order(session, harness.host, school_id=school_id, uploads_dir=harness.runtime.uploads_dir,
                            intake=Intake(channel=Channel.portal, requester_id=requester.id,
                                          contact_name=requester.display_name, contact_phone=requester.phone,
                                          campus_id=campus, catalogue_item_id=item.id, description="楼道灯不亮")).number


def test_open_orders_are_driven_in_their_own_school_though_another_has_the_same_numbers(rt):
    rt.deploy_path()
    generate(rt.runtime, volume=Volume(orders=10, open_share=0, requesters=5))
    with rt.session() as session:
        first = session.scalar(select(School.id).where(School.code == "gen0001"))
    waiting = [_order_today(rt, first), _order_today(rt, first)]  # the numbers the next school's templates draw
    generate(rt.runtime, volume=Volume(orders=60, open_share=0.5, requesters=5))
    with rt.session() as session:
        for number in waiting:  # the first school's orders still wait for their review, untouched
            assert list(session.scalars(select(HumanTask.form_key).where(
                HumanTask.school_id == first, HumanTask.business_key == number))) == ["repair_review"]
        second = session.scalar(select(School.id).where(School.code == "gen0002"))
        assert session.scalar(select(WorkOrder.status).where(WorkOrder.school_id == second,
                                                             WorkOrder.number == waiting[1])) == "dispatched"


def test_receipt_times_follow_the_working_week():
    end = datetime(2026, 12, 1, tzinfo=UTC)
    times = receipt_times(random.Random(3), end=end, days=28, count=4000)
    assert times == sorted(times) and end - timedelta(days=29) <= times[0] and times[-1] < end
    local = [t + timedelta(hours=8) for t in times]
    working_hours = sum(8 <= t.hour < 18 for t in local) / len(local)
    weekdays = sum(t.weekday() < 5 for t in local) / len(local)
    assert working_hours > 0.7 and weekdays > 0.8


@pytest.mark.postgres
def test_postgres_copy_keeps_ids_and_sequences_right(runtime, migrated_pg_url):
    harness = runtime(migrated_pg_url)
    harness.deploy_path()
    done = generate(harness.runtime, volume=Volume(orders=400, open_share=0.05, requesters=20))
    assert done.orders == 400 and done.rows["rating"] >= 380
    with harness.session() as session:
        assert session.scalar(select(func.count(WorkOrder.id))) == 400
        assert session.scalar(select(func.count(Rating.id)).join(WorkOrder, WorkOrder.id == Rating.order_id)) == \
            done.rows["rating"]
        school_id = session.scalar(select(School.id).where(School.code == "gen0001"))
        requester = session.scalar(select(User).where(User.username == "gen0001-r001"))
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.school_id == school_id,
                                                          CatalogueItem.parent_id.is_not(None)).limit(1))
        campus = session.scalar(select(Campus.id).where(Campus.school_id == school_id).limit(1))
        later = create_order(session, harness.host, school_id=school_id, uploads_dir=harness.runtime.uploads_dir,
                             intake=Intake(channel=Channel.portal, requester_id=requester.id,
                                           contact_name=requester.display_name, contact_phone=requester.phone,
                                           campus_id=campus, catalogue_item_id=item.id, description="楼道灯不亮"))
        assert later.id > session.scalar(select(func.max(WorkOrder.id)).where(WorkOrder.id != later.id))
