"""The rules admin pages: who may see them, field errors, preview, confirm with re-arm, history and restore,
the working calendar and "which rule applies"."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from rules_admin_site import csrf_from
from sqlalchemy import select

from engine.models import AuditEvent, HumanTask
from engine.wakeups import run_once
from rules.book import is_duration_key
from rules.models import RearmJob

YELLOW = "repair.escalation.yellow.after"
RED = "repair.escalation.red.after"
GREEN = "repair.escalation.green.after"
REVIEW_AFTER = "repair.review.reminder_after"
REVIEW_REPEAT = "repair.review.repeat_every"
RED_ROLE = "repair.escalation.red.role"
_DURATION = re.compile(r"^(-?\d+)([mhd])$")


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def row(page: str, key: str) -> str:
    """The table row of rule ``key`` on a page."""
    match = re.search(rf'<tr data-key="{re.escape(key)}".*?</tr>', page, re.S)
    assert match, f"no row for {key}"
    return match.group(0)


def rules_post(site, client, changes: dict | None = None, *, overrides: dict | None = None, category: str = "",
               working_days=None, comment: str = "调整时限", csrf: str | None = None) -> dict:
    """What the edit form posts: the rules in force with ``changes`` (and ``overrides`` for ``category``)."""
    with site.session() as session:
        book = site.runtime.rules.book(session, site.school_id)
    values = {key: book.value(key) for key in book.keys}
    values.update(changes or {})
    data = {"csrf_token": csrf or csrf_from(client.get("/admin/rules/edit").get_data(as_text=True)),
            "comment": comment, "category": category}
    chosen_days = set(book.working_days if working_days is None else working_days)

    def put(prefix, key, value):
        name = key.replace(".", "__")
        if is_duration_key(key):
            amount, unit = _DURATION.match(str(value)).groups()
            data[f"{prefix}_{name}_amount"], data[f"{prefix}_{name}_unit"] = amount, unit
        elif isinstance(value, bool):  # a yes-or-no rule: a choice of two
            data[f"{prefix}_{name}"] = "yes" if value else "no"
        elif isinstance(value, list):  # recipients: one ticked box per value
            data[f"{prefix}_{name}"] = list(value)
        else:
            data[f"{prefix}_{name}"] = str(value)

    for key, value in values.items():
        put("s", key, value)
        if is_duration_key(key) and key in chosen_days:
            data[f"s_{key.replace('.', '__')}_wd"] = "y"
    for key, value in (overrides or {}).items():
        put("c", key, value)
    return data


def token_of(page: str) -> str:
    match = re.search(r'name="token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="token"', page)
    assert match, "no signed token on the preview"
    return match.group(1) or match.group(2)


def preview_and_confirm(site, client, changes=None, *, choice="keep", **kwargs):
    preview = client.post("/admin/rules/edit", data=rules_post(site, client, changes, **kwargs))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    response = client.post("/admin/rules/confirm", data={"csrf_token": csrf_from(page), "token": token_of(page),
                                                         "open_orders": choice})
    assert response.status_code == 302, page_text(response)
    return response


# --- access -------------------------------------------------------------------------------------

PAGES = ["/admin/rules/", "/admin/rules/edit", "/admin/rules/history", "/admin/rules/calendar",
         "/admin/rules/explain?number=R1", "/admin/rules/jobs/1", "/admin/rules/jobs/1.json"]
POSTS = ["/admin/rules/edit", "/admin/rules/confirm", "/admin/rules/history/1/restore", "/admin/rules/calendar"]


@pytest.mark.parametrize("username", ["requester", "auditor", "deputy", "owner"])
def test_everyone_but_admins_gets_403_on_every_page(site, username):
    client = site.client(username)
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for path in POSTS:
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert "/admin/rules/" not in client.get("/").get_data(as_text=True)


def test_anonymous_is_sent_to_login_and_admin_sees_every_page(site):
    anonymous = site.app.test_client()
    assert anonymous.get("/admin/rules/").status_code == 302
    admin = site.client("admin")
    for path in PAGES[:5]:
        assert admin.get(path).status_code == 200, path
    assert 'href="/admin/rules/"' in admin.get("/").get_data(as_text=True)  # the nav link


def test_posts_without_csrf_are_refused(site):
    admin = site.client("admin")
    data = rules_post(site, admin, {YELLOW: "5d"})
    del data["csrf_token"]
    assert admin.post("/admin/rules/edit", data=data).status_code == 400
    assert site.rule_sets() == []


# --- the rule set in force ------------------------------------------------------------------

def test_index_lists_every_key_by_group_with_school_value_default_and_overrides(site):
    with site.session() as session:
        site.runtime.rules.save(session, school_id=site.school_id, author="admin", comment="x", content={
            "school": {YELLOW: "5d"}, "categories": {"W": {REVIEW_AFTER: "15m"}}, "working_days": [GREEN]})
    page = page_text(site.client("admin").get("/admin/rules/?lang=en"))
    for key in site.runtime.rules.defaults:
        assert f'data-key="{key}"' in page
    for title in ("Review", "Repair work", "Three-colour escalation", "Rating", "Rectification"):
        assert title in page
    assert "<strong>5 days</strong>" in row(page, YELLOW) and "7 days" in row(page, YELLOW)
    assert "W Plumbing & electrics: 15 minutes" in row(page, REVIEW_AFTER)
    assert "working days" in row(page, GREEN)
    assert "Version 1, saved by admin" in page


# --- field errors -------------------------------------------------------------------------------

INVALID = [
    ({YELLOW: "15d", RED: "15d"}, RED, "三色时限须依次递增", "The colours must come in order"),
    ({GREEN: "0m"}, GREEN, "时长必须大于零。", "The duration must be greater than zero."),
    ({REVIEW_REPEAT: "2m"}, REVIEW_REPEAT, "重复提醒的间隔不能短于 5 分钟。",
     "Reminders cannot repeat more often than every 5 minutes."),
    ({RED_ROLE: "janitor"}, RED_ROLE, "请选择列表中的角色。", "Choose one of the listed roles."),  # a forged POST
    ({"repair.rating.bad_below": 9}, "repair.rating.bad_below", "请输入 1 到 5 之间的整数。",
     "Enter a whole number from 1 to 5."),
]


@pytest.mark.parametrize("changes, key, chinese, english", INVALID, ids=["colour_order", "not_positive",
                                                                         "repeat_too_short", "unknown_role",
                                                                         "out_of_range"])
def test_an_invalid_change_shows_the_error_beside_the_field_and_saves_nothing(site, changes, key, chinese, english):
    admin = site.client("admin")
    response = admin.post("/admin/rules/edit", data=rules_post(site, admin, changes))
    assert response.status_code == 200
    page = page_text(response)
    assert chinese in row(page, key)
    assert "保存前检查修改" not in page  # still the form, not the preview
    response = admin.post("/admin/rules/edit?lang=en", data=rules_post(site, admin, changes))
    page = page_text(response)
    assert english in row(page, key) and chinese not in page
    assert site.rule_sets() == []


def test_an_invalid_category_override_is_shown_in_the_override_column(site):
    admin = site.client("admin")
    data = rules_post(site, admin, category="W", overrides={REVIEW_REPEAT: "2m"})
    page = page_text(admin.post("/admin/rules/edit?lang=en", data=data))
    cells = row(page, REVIEW_REPEAT).split('class="field"')
    assert "Reminders cannot repeat more often" in cells[-1] and "Reminders" not in cells[1]
    assert site.rule_sets() == []


def test_a_school_mistake_is_shown_once_even_when_a_category_inherits_it(site):
    admin = site.client("admin")
    data = rules_post(site, admin, {YELLOW: "15d"}, category="W", overrides={REVIEW_AFTER: "15m"})
    page = page_text(admin.post("/admin/rules/edit?lang=en", data=data))
    assert row(page, RED).count("The colours must come in order") == 1
    # a category override that breaks the order is shown in the override column
    data = rules_post(site, admin, category="W", overrides={GREEN: "10d"})
    cells = row(page_text(admin.post("/admin/rules/edit?lang=en", data=data)), YELLOW).split('class="field"')
    assert "The colours must come in order" in cells[-1] and "The colours" not in cells[1]
    assert site.rule_sets() == []


def test_a_missing_comment_and_an_unknown_category_are_refused(site):
    admin = site.client("admin")
    data = rules_post(site, admin, {YELLOW: "5d"}, comment="")
    assert "请填写修改规则的原因。" in page_text(admin.post("/admin/rules/edit?lang=zh_CN", data=data))
    data = rules_post(site, admin, {YELLOW: "5d"}, category="NOPE", overrides={REVIEW_AFTER: "15m"})
    assert "Choose a category or a service item of the catalogue." in page_text(admin.post("/admin/rules/edit?lang=en", data=data))
    assert site.rule_sets() == []


# --- preview, confirm and re-arm ------------------------------------------------------------

def test_yellow_5_days_previews_the_order_then_rearms_it_in_the_background(site):
    number = site.accepted_order()
    site.wait(days=6)
    assert site.order(number).colour == "green"
    admin = site.client("admin")

    preview = admin.post("/admin/rules/edit?lang=en", data=rules_post(site, admin, {YELLOW: "5d"}, comment="提速"))
    page = page_text(preview)
    assert "Check the change before saving" in page
    assert "Yellow after" in page and "default (7 days)" in page and "5 days" in page  # the readable diff
    assert "1 of " in page and "open orders have a waiting deadline" in page
    due_now = re.search(r'data-testid="due-now".*?</p>', page, re.S).group(0)
    assert number in due_now
    assert site.rule_sets() == []  # nothing saved before the confirmation

    response = admin.post("/admin/rules/confirm", data={
        "csrf_token": csrf_from(page), "token": token_of(preview.get_data(as_text=True)), "open_orders": "rearm"})
    assert response.status_code == 302
    job_id = int(re.search(r"/admin/rules/jobs/(\d+)$", response.headers["Location"]).group(1))
    [saved] = site.rule_sets()
    assert (saved.version, saved.author, saved.comment, saved.content["school"]) == (1, "admin", "提速", {YELLOW: "5d"})

    job = site.wait_for_job(job_id)
    assert (job.done, job.changed, job.keys) == (job.total, 1, [YELLOW])
    progress = admin.get(f"/admin/rules/jobs/{job_id}.json").get_json()
    assert progress == {"id": job_id, "status": "done", "total": job.total, "done": job.total, "changed": 1}
    job_page = page_text(admin.get(f"/admin/rules/jobs/{job_id}?lang=en"))
    assert "<progress" in job_page and 'data-field="changed">1<' in job_page

    run_once(site.host)  # what `houqin tick` does
    assert site.order(number).colour == "yellow"
    with site.session() as session:
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.business_key == number,
                                                             AuditEvent.action == "timer.rearmed")) == "admin"


def test_keeping_current_deadlines_saves_without_a_job(site):
    number = site.accepted_order()
    site.wait(days=6)
    admin = site.client("admin")
    response = preview_and_confirm(site, admin, {YELLOW: "5d"}, choice="keep")
    assert response.headers["Location"].endswith("/admin/rules/")
    assert [r.version for r in site.rule_sets()] == [1]
    with site.session() as session:
        assert session.scalar(select(RearmJob.id)) is None
    run_once(site.host)
    assert site.order(number).colour == "green"


def test_a_tampered_confirmation_is_refused(site):
    admin = site.client("admin")
    preview = admin.post("/admin/rules/edit", data=rules_post(site, admin, {YELLOW: "5d"}))
    page = preview.get_data(as_text=True)
    token = token_of(page)
    csrf = csrf_from(page)
    # a changed character in the signed field
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    response = admin.post("/admin/rules/confirm", data={"csrf_token": csrf, "token": forged, "open_orders": "keep"})
    assert response.status_code == 400
    # well-formed, but signed with another key, carrying other content
    other = URLSafeTimedSerializer("not-the-secret", salt="houqin.rules_admin.confirm").dumps(
        {"school_id": site.school_id, "base_version": 0, "content": {"school": {YELLOW: "1d"}}, "comment": "x",
         "restored_from": None})
    response = admin.post("/admin/rules/confirm?lang=en", data={"csrf_token": csrf, "token": other,
                                                                "open_orders": "keep"})
    assert response.status_code == 400
    assert "altered or has expired" in page_text(response)
    assert site.rule_sets() == []
    # the untouched token still works, once
    data = {"csrf_token": csrf, "token": token, "open_orders": "keep"}
    assert admin.post("/admin/rules/confirm", data=data).status_code == 302
    assert admin.post("/admin/rules/confirm", data=data).status_code == 302  # refused: the rules moved on
    assert [r.version for r in site.rule_sets()] == [1]


def test_nothing_changed_is_not_previewed(site):
    admin = site.client("admin")
    page = page_text(admin.post("/admin/rules/edit?lang=en", data=rules_post(site, admin)))
    assert "Nothing to save" in page and 'name="token"' not in page


# --- history and restore --------------------------------------------------------------------

def test_history_shows_versions_with_diffs_and_restore_makes_a_new_version(site):
    admin = site.client("admin")
    preview_and_confirm(site, admin, {YELLOW: "5d"}, comment="提速")
    preview_and_confirm(site, admin, {YELLOW: "6d"}, comment="调整")
    page = page_text(admin.get("/admin/rules/history?lang=en"))
    versions = re.findall(r'data-version="(\d+)"', page)
    assert versions == ["2", "1"]
    newest, oldest = page.split('data-version="1"')
    assert "调整" in newest and "提速" in oldest and "admin" in newest
    assert "5 days" in newest and "6 days" in newest  # version 2 against version 1
    assert "default (7 days)" in oldest  # version 1 against the defaults
    assert "/admin/rules/history/1/restore" in page and "/admin/rules/history/2/restore" not in page

    preview = admin.post("/admin/rules/history/1/restore?lang=en", data={"csrf_token": csrf_from(page)})
    assert preview.status_code == 200
    preview_page = preview.get_data(as_text=True)
    assert "Restoring version 1." in html.unescape(preview_page)
    response = admin.post("/admin/rules/confirm", data={"csrf_token": csrf_from(preview_page),
                                                        "token": token_of(preview_page), "open_orders": "keep"})
    assert response.status_code == 302
    latest = site.rule_sets()[-1]
    assert (latest.version, latest.restored_from, latest.content["school"]) == (3, 1, {YELLOW: "5d"})
    page = page_text(admin.get("/admin/rules/history?lang=en"))
    assert "restored from version 1" in page
    with site.session() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "rules.saved")
                                .order_by(AuditEvent.id)).all()
    assert [a.details["version"] for a in audit] == [1, 2, 3] and audit[-1].details["restored_from"] == 1


def test_history_compares_what_the_books_hold(site):
    with site.session() as session:  # saved elsewhere without a calendar: the default calendar, not a change
        site.runtime.rules.save(session, school_id=site.school_id, author="script", comment="x",
                                content={"school": {RED: "20d"}})
    page = page_text(site.client("admin").get("/admin/rules/history?lang=en"))
    assert "Red after" in page and "20 days" in page and "Working calendar:" not in page


def test_restoring_needs_csrf_and_an_existing_version(site):
    admin = site.client("admin")
    assert admin.post("/admin/rules/history/1/restore").status_code == 400
    token = csrf_from(admin.get("/admin/rules/edit").get_data(as_text=True))
    assert admin.post("/admin/rules/history/7/restore", data={"csrf_token": token}).status_code == 404


# --- working calendar -------------------------------------------------------------------------

def test_calendar_preview_counts_working_days_across_the_weekend(site):
    with site.session() as session:
        site.runtime.rules.save(session, school_id=site.school_id, author="admin", comment="x",
                                content={"school": {}, "working_days": [GREEN]})
    admin = site.client("admin")
    # default start: the coming Friday 18:00 (the clock is Monday 2026-11-16 09:00 in Beijing)
    page = page_text(admin.get("/admin/rules/calendar?lang=en"))
    assert 'value="2026-11-20T18:00"' in page
    green = re.search(r'<tr data-colour="green">.*?</tr>', page, re.S).group(0)
    yellow = re.search(r'<tr data-colour="yellow">.*?</tr>', page, re.S).group(0)
    # 3 working days from Friday evening: Monday, Tuesday and Wednesday until closing
    assert "2026-11-25 17:30 Wednesday" in green and "working days" in green
    assert "2026-11-27 18:00 Friday" in yellow  # 7 calendar days
    assert "An order accepted on 2026-11-20 18:00 Friday turns green on 2026-11-25 17:30 Wednesday." in page

    form = {"csrf_token": csrf_from(page), "opens": "08:30", "closes": "17:30", "holidays": "2026-11-23\n",
            "makeup_days": "", "start": "2026-11-20T18:00", "comment": ""}
    page = page_text(admin.post("/admin/rules/calendar?lang=en", data={**form, "action": "preview"}))
    green = re.search(r'<tr data-colour="green">.*?</tr>', page, re.S).group(0)
    assert "2026-11-25 17:30 Wednesday" in green and "2026-11-26 17:30 Thursday" in green  # Monday off
    assert len(site.rule_sets()) == 1  # a preview saves nothing

    page = page_text(admin.post("/admin/rules/calendar?lang=zh_CN", data={**form, "action": "save"}))
    assert "请填写修改日历的原因。" in page
    bad = admin.post("/admin/rules/calendar", data={**form, "holidays": "2026-11-23\n11/24", "action": "save",
                                                    "comment": "调休"})
    assert "第 2 行不是 2026-10-01 这样的日期" in page_text(bad)
    assert len(site.rule_sets()) == 1

    response = admin.post("/admin/rules/calendar", data={**form, "action": "save", "comment": "11月23日放假"})
    assert response.status_code == 302
    latest = site.rule_sets()[-1]
    assert latest.version == 2 and latest.content["calendar"]["holidays"] == ["2026-11-23"]
    assert latest.content["working_days"] == [GREEN]
    page = page_text(admin.get("/admin/rules/calendar?lang=en&start=2026-11-20T18:00"))
    green = re.search(r'<tr data-colour="green">.*?</tr>', page, re.S).group(0)
    assert "2026-11-26 17:30 Thursday" in green


def test_a_yes_or_no_rule_is_chosen_saved_and_refused_when_forged(site):
    admin = site.client("admin")
    key = "repair.visibility.team_orders"
    assert "<select" in row(page_text(admin.get("/admin/rules/edit?lang=en")), key)
    preview_and_confirm(site, admin, {key: True})
    assert site.rule_sets()[-1].content["school"][key] is True
    assert "Yes" in row(page_text(admin.get("/admin/rules/?lang=en")), key)
    forged = admin.post("/admin/rules/edit?lang=en", data={**rules_post(site, admin), "s_repair__visibility__team_orders": "maybe"})
    assert "Not a valid choice" in page_text(forged) and site.rule_sets()[-1].content["school"][key] is True


def test_working_days_checkbox_is_saved_from_the_edit_form(site):
    admin = site.client("admin")
    preview_and_confirm(site, admin, working_days=[GREEN])
    assert site.rule_sets()[-1].content["working_days"] == [GREEN]


# --- which rule applies ---------------------------------------------------------------------

def test_explain_shows_a_category_override_winning(site):
    admin = site.client("admin")
    preview_and_confirm(site, admin, {REVIEW_AFTER: "2h"}, category="W", overrides={REVIEW_AFTER: "15m"})
    saved = site.rule_sets()[-1].content
    assert saved["school"] == {REVIEW_AFTER: "2h"} and saved["categories"] == {"W": {REVIEW_AFTER: "15m"}}
    leak, door = site.report("W01"), site.report("C01", "门锁坏了")

    page = page_text(admin.get(f"/admin/rules/explain?number={leak}&lang=en"))
    assert "W Plumbing & electrics" in page
    review = row(page, REVIEW_AFTER)
    assert 'data-source="category"' in review and "15 minutes" in review
    assert "Category override (W Plumbing & electrics)" in review
    assert 'data-source="default"' in row(page, RED)

    page = page_text(admin.get(f"/admin/rules/explain?number={door}&lang=en"))
    review = row(page, REVIEW_AFTER)
    assert 'data-source="school"' in review and "2 hours" in review and "School setting" in review

    page = page_text(admin.get(f"/admin/rules/explain?number={leak}&lang=zh_CN"))
    assert "分类单独设置（W 水电维修）" in row(page, REVIEW_AFTER)
    assert "本校没有编号为 NOPE-1 的工单、计划或任务" in page_text(admin.get("/admin/rules/explain?number=NOPE-1"))


def test_a_service_items_own_override_wins_over_its_categorys_and_sets_its_orders_deadlines(site):
    admin = site.client("admin")
    preview_and_confirm(site, admin, category="W", overrides={REVIEW_AFTER: "15m"})
    page = page_text(admin.get("/admin/rules/edit?category=W/W01&lang=en"))
    assert "data-item-note" in page and "for the service item W01 " in page and "category W Plumbing" in page
    preview_and_confirm(site, admin, category="W/W01", overrides={REVIEW_AFTER: "5m"})
    assert site.rule_sets()[-1].content["categories"] == {"W": {REVIEW_AFTER: "15m"}, "W/W01": {REVIEW_AFTER: "5m"}}
    burst, other_leak = site.report("W01"), site.report("W02")

    with site.session() as session:
        due = {number: session.scalar(select(HumanTask.due_at).where(HumanTask.business_key == number))
               for number in (burst, other_leak)}
    assert due[burst] == site.now() + timedelta(minutes=5) and due[other_leak] == site.now() + timedelta(minutes=15)
    review = row(page_text(admin.get(f"/admin/rules/explain?number={burst}&lang=en")), REVIEW_AFTER)
    assert "5 minutes" in review and "Service item override (W01 " in review
    assert "15 minutes" in row(page_text(admin.get(f"/admin/rules/explain?number={other_leak}&lang=en")), REVIEW_AFTER)
    nav = page_text(admin.get("/admin/rules/edit?category=C&lang=en")).split('class="rules-categories"')[1]
    assert "W01 " in nav and "W02 " not in nav  # items appear in the bar once they have overrides


def test_the_edit_form_shows_the_chosen_categorys_overrides(site):
    with site.session() as session:
        site.runtime.rules.save(session, school_id=site.school_id, author="admin", comment="x", content={
            "school": {}, "categories": {"W": {REVIEW_AFTER: "15m"}, "C": {RED_ROLE: "deputy_leader"}}})
    admin = site.client("admin")
    page = page_text(admin.get("/admin/rules/edit?category=W&lang=en"))
    assert re.search(r'name="c_repair__review__reminder_after_amount"[^>]*value="15"', page)
    # clearing W's only override keeps C's
    data = rules_post(site, admin, category="W")
    preview = admin.post("/admin/rules/edit", data=data).get_data(as_text=True)
    admin.post("/admin/rules/confirm", data={"csrf_token": csrf_from(preview), "token": token_of(preview),
                                             "open_orders": "keep"})
    assert site.rule_sets()[-1].content["categories"] == {"C": {RED_ROLE: "deputy_leader"}}


# --- recipients, every mistake at once, the rules of the object's own process -----------------

SLIP_RED_TO = "delegation.slip.red.to"


def test_slip_recipients_are_ticked_from_a_list_named_in_the_users_language(site):
    admin = site.client("admin")
    recipients = row(page_text(admin.get("/admin/rules/edit?lang=zh_CN")), SLIP_RED_TO).split('class="field"')[1]
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>\s*<label[^>]*>([^<]+)</label>', recipients)
    assert boxes[:2] == ["任务办理人", "派发人"] and "主要领导" in boxes and "分管领导" in boxes
    assert 'type="text"' not in recipients
    assert re.search(r'checked[^>]*value="main_leader"|value="main_leader"[^>]*checked', recipients)  # the default

    preview_and_confirm(site, admin, {SLIP_RED_TO: ["main_leader", "assigner"]})
    assert site.rule_sets()[-1].content["school"] == {SLIP_RED_TO: ["assigner", "main_leader"]}  # in the list's order
    assert "派发人和主要领导" in row(page_text(admin.get("/admin/rules/?lang=zh_CN")), SLIP_RED_TO)
    assert "Assigner and Main leader" in row(page_text(admin.get("/admin/rules/?lang=en")), SLIP_RED_TO)

    for ticked, message in (([], "请至少选择一个接收人。"), (["the boss"], "请从列表中选择接收人。")):
        page = page_text(admin.post("/admin/rules/edit?lang=zh_CN", data=rules_post(site, admin, {SLIP_RED_TO: ticked})))
        assert message in row(page, SLIP_RED_TO)
    assert len(site.rule_sets()) == 1


def test_a_red_slip_to_the_assigner_and_the_main_leader_reaches_both(site):
    """The delegation diagram sends a slip to every ticked recipient: the task's people and the role's holders."""
    from workflows.delegation import steps
    from workflows.delegation.models import DelegatedTask

    with site.session() as session:
        book = site.runtime.rules.check({"school": {SLIP_RED_TO: ["assigner", "main_leader", "assignee"]}})
        task = DelegatedTask(assigner_id=3, assignee_id=None, unit_id=7, colour="none")
        ctx = type("Ctx", (), {"session": session})()
        answer = steps.STEPS["slipped"](task, ctx, book, "red")
    assert answer == {"colour": "red", "users": [3], "roles": ["main_leader", "deputy_leader"], "org_unit": 7}


def test_every_mistake_is_shown_at_once_beside_its_field_and_in_a_summary_at_the_top(site):
    admin = site.client("admin")
    changes = {GREEN: "0m", RED_ROLE: "janitor", SLIP_RED_TO: [], "repair.rating.bad_below": 9}
    page = page_text(admin.post("/admin/rules/edit?lang=zh_CN", data=rules_post(site, admin, changes, comment="")))
    assert "时长必须大于零。" in row(page, GREEN)
    assert "请选择列表中的角色。" in row(page, RED_ROLE)
    assert "请至少选择一个接收人。" in row(page, SLIP_RED_TO)
    assert "请输入 1 到 5 之间的整数。" in row(page, "repair.rating.bad_below")
    summary = re.search(r'data-testid="error-summary".*?</div>', page, re.S).group(0)
    assert "未保存：请先改正以下 5 处错误。" in summary
    lines = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert len(lines) == 5
    assert 'href="#s_repair__escalation__green__after_amount"' in lines[0] and "绿色催办时限（本校）" in lines[0]
    assert 'href="#comment"' in lines[-1] and "请填写修改规则的原因。" in lines[-1]
    assert page.index('data-testid="error-summary"') < page.index('data-key="repair.review.reminder_after"')
    assert "保存前检查修改" not in page and site.rule_sets() == []


def test_which_rule_applies_lists_only_the_rules_of_the_objects_own_process(site):
    from workflows.delegation.models import DelegatedTask
    from workflows.demo_plans import seed_plans
    from workflows.plans.models import PlanOccurrence

    with site.session() as session:
        assert seed_plans(session, site.host, site.runtime.rules, school_id=site.school_id)
    with site.session() as session:
        occurrence = session.scalar(select(PlanOccurrence.number).order_by(PlanOccurrence.id).limit(1))
        task = session.scalar(select(DelegatedTask.number).order_by(DelegatedTask.id).limit(1))
    order = site.report()
    admin = site.client("admin")
    for number, section, kind in ((order, "repair", "报修工单"), (occurrence, "plans", "工作计划"),
                                  (task, "delegation", "交办任务")):
        page = page_text(admin.get(f"/admin/rules/explain?number={number}&lang=zh_CN"))
        keys = re.findall(r'<tr data-key="([^"]+)"', page)
        assert keys and {key.split(".")[0] for key in keys} == {section}, (number, keys)
        assert f'data-section="{section}"' in page and kind in page
        assert not re.search(r">\s*(repair|plans|delegation)\.[a-z_.]+\s*<", page)  # no key without its label
    page = page_text(admin.get(f"/admin/rules/explain?number={task}&lang=zh_CN"))
    assert "红色督办单发给" in row(page, SLIP_RED_TO) and "主要领导" in row(page, SLIP_RED_TO)


def test_every_rule_has_a_label_and_every_section_is_a_process_module(site):
    from rules.keys import section_of
    from webapp.rule_labels import KEY_LABELS

    defaults = site.runtime.rules.defaults
    assert set(KEY_LABELS) == set(defaults)
    assert {section_of(key) for key in defaults} <= {module.name for module in site.runtime.modules.modules}
