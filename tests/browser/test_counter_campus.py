"""The counter form in a real Chromium, in Chinese: once the clerk has entered a requester whose account is on the
南湖 campus, the location picker switches to that campus and offers its buildings, and the order is placed there;
a campus the clerk chose first is kept. Screenshot: ``test-artifacts/browser/counter-campus.png``."""
from __future__ import annotations

from pathlib import Path

import pytest
from factories import campus_named
from signing_in import log_in
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

pytestmark = pytest.mark.browser


def lake_campus_for(data_dir: Path, username: str) -> tuple[int, int]:
    """Puts ``username`` on the 南湖 campus in the server's database; the ids of 南湖 and of the first campus."""
    from workflows.bootstrap import import_models
    from workflows.people.models import User

    import_models()
    engine = create_engine(f"sqlite:///{data_dir / 'houqin.db'}")
    try:
        with Session(engine) as session:
            school = session.scalar(select(User.school_id).where(User.username == username))
            lake, main = campus_named(session, school, "南湖校区"), campus_named(session, school, "本部校区")
            session.execute(update(User).where(User.username == username).values(campus_id=lake))
            session.commit()
    finally:
        engine.dispose()
    return lake, main


def test_the_counter_form_follows_the_requester_s_campus(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    lake, main = lake_campus_for(live_server.data_dir, "requester")
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/counter/new")
    campus = page.locator("select[name=campus_id]")
    expect(campus).to_have_value(str(main))

    page.locator("input[name=requester]").fill("requester")
    page.locator("input[name=requester]").press("Tab")
    expect(campus).to_have_value(str(lake))
    buildings = page.locator("select[name=building_id] option:not([hidden])[data-campus]")
    expect(buildings.first).to_be_attached()
    assert set(buildings.evaluate_all("options => options.map(o => o.dataset.campus)")) == {str(lake)}
    page.screenshot(path=str(artifacts / "counter-campus.png"), full_page=True)

    page.locator("input[name=contact_phone]").fill("13900001111")  # the demo requester has none on record
    page.locator("select[name=catalogue_item_id]").select_option(index=1)
    page.locator("textarea[name=description]").fill("宿舍水龙头漏水")
    page.get_by_role("button", name="提交报修").click()
    expect(page.locator("p.flash").first).to_contain_text("录入工单")
    expect(page.get_by_text("南湖校区").first).to_be_visible()

    # a campus the clerk chose before naming the requester stays chosen
    page.goto(f"{live_server.url}/counter/new")
    campus.select_option(str(main))
    page.locator("input[name=requester]").fill("requester")
    page.locator("input[name=requester]").press("Tab")
    page.wait_for_load_state("networkidle")
    expect(campus).to_have_value(str(main))
