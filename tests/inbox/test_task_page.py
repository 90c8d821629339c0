"""The task page: the order's key facts, photos and timeline beside the form; process data shown read-only (and
escaped); markdown instructions; photos uploaded on a task become the order's photos; a disguised file is refused
inline and the task stays open."""
from __future__ import annotations

import io

from sqlalchemy import select
from websupport import png_bytes

from engine.models import HumanTask
from workflows.repair.models import OrderPhoto
from workflows.repair.service import INTAKE_BODY_LIMIT


def task_id(site, number: str, name: str) -> str:
    with site.db() as session:
        return session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == name))


def repaired(site, **rating) -> str:
    number = site.report("卫生间水管漏水")
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    site.do(number, "complete_job", "worker", result="换了阀门", materials="阀门 1 个")
    if rating:
        site.do(number, "rate", "requester", **rating)
    return number


def test_the_task_page_shows_the_order_its_photos_and_timeline(site):
    requester = site.client("requester")
    with site.db() as session:
        from workflows.catalogue.models import CatalogueItem
        from workflows.people.models import Campus

        campus = session.scalar(select(Campus.id))
        item = session.scalar(select(CatalogueItem.id).where(CatalogueItem.code == "W01"))
    response = requester.submit("/report", {
        "contact_name": "王丽华", "contact_phone": "13800001111", "campus_id": str(campus), "building_id": "",
        "room": "302", "catalogue_item_id": str(item), "urgency": "normal", "description": "三楼卫生间水管漏水",
        "photos": [(io.BytesIO(png_bytes()), "leak.png")]})
    number = response.headers["Location"].rsplit("/", 1)[1]
    photo = site.order(number).photos[0]

    page = site.client("auditor").page(f"/tasks/{task_id(site, number, 'review')}")
    assert 'data-testid="order-facts"' in page and f'<a href="/orders/{number}" class="number">{number}</a>' in page
    assert "三楼卫生间水管漏水" in page and "Water leak" in page and "302" in page
    assert f'/orders/{number}/photos/{photo.id}?thumb=1' in page
    timeline = page.split('data-testid="timeline"', 1)[1]
    assert "Reported" in timeline and "王丽华" in timeline and "Task opened" not in timeline
    assert 'name="decision"' in page and 'name="reason"' in page


def test_callback_shows_the_rating_read_only_escaped_with_markdown_instructions(site):
    number = repaired(site, overall="2", quality="2", efficiency="3", attitude="2",
                      comment='<script>alert("x")</script> 还是漏水')
    page = site.client("auditor").page(f"/tasks/{task_id(site, number, 'callback')}")
    assert '<div class="display" data-field="overall">' in page
    assert '<span class="value-text">2</span>' in page
    assert '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 还是漏水' in page
    assert '<script>alert("x")' not in page
    assert "<strong>Phone the requester</strong>" in page and "<li>apologise first" in page


def test_photos_uploaded_on_a_task_become_the_orders_result_photos(site):
    number = site.report("卫生间灯不亮", item_code="W04")
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    complete = task_id(site, number, "complete_job")
    worker = site.client("worker")
    form = worker.page(f"/tasks/{complete}")
    assert 'type="file"' in form and 'accept="image/gif,image/jpeg,image/png,image/webp"' in form and "multiple" in form
    assert 'enctype="multipart/form-data"' in form and "Up to 6 photos, each at most 8 MB." in form

    # a text file named like a picture: refused on its field, nothing stored, the task stays open
    disguised = worker.submit(f"/tasks/{complete}", {"result": "换了灯管", "photos": [(io.BytesIO(b"<svg onload=alert(1)>"), "lock.png")]})
    assert disguised.status_code == 200
    text = disguised.get_data(as_text=True)
    assert "“lock.png” is not an accepted type" in text and '<div class="field upload has-error"' in text
    assert task_id(site, number, "complete_job") == complete and site.stored_files() == []

    done = worker.submit(f"/tasks/{complete}", {"result": "换了灯管", "photos": [(io.BytesIO(png_bytes()), "new-lock.png"),
                                                                             (io.BytesIO(png_bytes((8, 8))), "key.png")]})
    assert done.status_code == 302
    with site.db() as session:
        stored = list(session.scalars(select(OrderPhoto).where(OrderPhoto.order_id == site.order(number).id)))
    assert [(p.stage, p.uploaded_by_id) for p in stored] == [("result", site.user("worker").id)] * 2
    assert len(site.stored_files()) == 4  # each re-encoded with its thumbnail
    order_page = site.client("requester").page(f"/orders/{number}")
    photos_card = order_page.split('data-testid="photos"', 1)[1].split("</section>", 1)[0]
    assert photos_card.count("?thumb=1") == 2 and "After the repair" in photos_card
    assert line_with(order_page, "order.completed").count("?thumb=1") == 2  # beside the repair on the timeline too


def line_with(page: str, action: str) -> str:
    """The timeline line of ``action``, up to the next line."""
    return page.split(f'data-action="{action}"', 1)[1].split("data-action=", 1)[0]


def test_a_picture_that_cannot_be_decoded_is_refused_by_the_domain_storage(site):
    number = site.report("卫生间灯不亮", item_code="W04")
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    complete = task_id(site, number, "complete_job")
    truncated = png_bytes((200, 200))[:60]  # a PNG signature, then nothing readable
    worker = site.client("worker")
    # the good photo before it is stored first, then the refusal rolls the step back: its file goes too;
    # the storage says why, and the page says that in its own language
    for lang, says in (("en", "“half.png” is not a readable image"), ("zh_CN", "“half.png”不是可读取的图片")):
        response = worker.submit(f"/tasks/{complete}?lang={lang}", {"result": "换了灯管", "photos": [
            (io.BytesIO(png_bytes()), "fine.png"), (io.BytesIO(truncated), "half.png")]})
        assert response.status_code == 200 and says in response.get_data(as_text=True), lang
    assert task_id(site, number, "complete_job") == complete
    with site.db() as session:
        assert session.scalar(select(OrderPhoto.id)) is None
    assert site.stored_files() == []


def test_the_rating_task_in_the_inbox_is_the_requesters_and_script_in_a_text_field_stays_text(site):
    number = repaired(site)
    requester = site.client("requester")
    inbox = requester.page("/")
    rate = task_id(site, number, "rate")
    assert f"/tasks/{rate}" in inbox and 'aria-current="page" data-tab="mine"' in inbox
    response = requester.submit(f"/tasks/{rate}", {"overall": "5", "quality": "5", "efficiency": "5", "attitude": "5",
                                                   "comment": "</textarea><script>alert(1)</script>"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = site.client("auditor").page(f"/orders/{number}")
    assert "<script>alert(1)</script>" not in page


def test_a_post_larger_than_the_request_limit_comes_back_with_a_message(site):
    number = site.report("卫生间灯不亮", item_code="W04")
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    complete = task_id(site, number, "complete_job")
    worker = site.client("worker")
    huge = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * (INTAKE_BODY_LIMIT + 1024))
    response = worker.submit(f"/tasks/{complete}", {"result": "换了灯管", "photos": [(huge, "huge.png")]})
    assert response.status_code == 302 and response.headers["Location"] == f"/tasks/{complete}"
    assert "The files are too large to send together." in worker.page(f"/tasks/{complete}")
    assert task_id(site, number, "complete_job") == complete


def test_the_count_needs_a_login(site):
    response = site.client().get("/inbox/count.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
