"""The inbox with the Flask test client: tabs and their counts, claim and release, handing a task over (with a
note, and refused to whom the role does not allow), filters (colour, overdue, search by number or requester),
sorting, pages of 25 and the polled count."""
from __future__ import annotations

import re

from inbox_support import add_staff
from sqlalchemy import select

from engine.models import AuditEvent, HumanTask


def task_id(site, number: str, name: str) -> str:
    with site.db() as session:
        row = session.scalar(select(HumanTask).where(HumanTask.business_key == number, HumanTask.task_name == name))
        assert row is not None, f"no open {name} on {number}"
        return row.id


def task_row(site, task: str) -> HumanTask | None:
    with site.db() as session:
        return session.get(HumanTask, task)


def rows(page: str) -> list[str]:
    """Business keys of the listed rows, in order."""
    return re.findall(r'<tr class="[^"]*" data-task="[^"]+" data-key="([^"]*)"', page)


def count(page: str, tab: str) -> int:
    return int(re.search(rf'data-testid="count-{tab}">(\d+)<', page).group(1))


def post(client, path: str, data: dict | None = None, *, page: str = "/"):
    return client.submit(path, data or {}, form_page=page)


def dispatched_to_team(site) -> str:
    """An accepted order dispatched to the plumbing team without naming a worker: "Take the job" is open to the team."""
    number = site.report()
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id))
    return number


def test_tabs_counts_claim_and_release(site):
    first, second = site.report("一号楼漏水"), site.report("二号楼停电")
    auditor = site.client("auditor")

    page = auditor.page("/")
    assert 'aria-current="page" data-tab="group"' in page  # nothing of their own yet: the group's tasks
    assert sorted(rows(page)) == sorted([first, second])
    assert (count(page, "mine"), count(page, "group"), count(page, "delegated"), count(page, "completed")) == (0, 2, 0, 0)
    assert '<span class="badge" data-testid="open-count"' in page and ">2</span>" in page

    review = task_id(site, first, "review")
    response = post(auditor, f"/tasks/{review}/claim", {"next": "/?tab=group"})
    assert response.status_code == 302 and response.headers["Location"] == "/?tab=group"
    assert task_row(site, review).assignee_id == site.user("auditor").id
    page = auditor.page("/")
    assert 'aria-current="page" data-tab="mine"' in page and rows(page) == [first]
    assert (count(page, "mine"), count(page, "group")) == (1, 1)
    assert 'data-testid="release"' in page
    assert rows(auditor.page("/?tab=group")) == [second]
    assert auditor.http.get("/inbox/count.json").get_json() == {
        "mine": 1, "group": 1, "delegated": 0, "completed": 0, "open": 2, "overdue": 0, "unread": 0}

    # another auditor no longer sees the claimed task, and may neither claim nor release it
    add_staff(site, "auditor2", "auditor")
    other = site.client("auditor2")
    assert rows(other.page("/?tab=group")) == [second]
    assert post(other, f"/tasks/{review}/claim").status_code == 403
    assert post(other, f"/tasks/{review}/release").status_code == 403
    assert site.client("worker").http.post(f"/tasks/{review}/claim").status_code == 400  # no CSRF token

    response = post(auditor, f"/tasks/{review}/release")
    assert response.status_code == 302 and task_row(site, review).assignee_id is None
    assert [e.action for e in site_audit(site, first) if e.action.startswith("task.") and e.action != "task.created"] == [
        "task.claimed", "task.released"]
    assert count(auditor.page("/"), "group") == 2


def site_audit(site, number: str) -> list[AuditEvent]:
    with site.db() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == number).order_by(AuditEvent.id)))


def test_completed_by_me_links_to_the_order_and_completing_goes_on_to_the_next_task_of_the_order(site):
    number = site.report()
    auditor = site.client("auditor")
    review = task_id(site, number, "review")
    response = auditor.submit(f"/tasks/{review}", {"decision": "accept"})
    dispatch = task_id(site, number, "dispatch")
    assert response.status_code == 302 and response.headers["Location"] == f"/tasks/{dispatch}"  # straight on
    page = auditor.page(f"/tasks/{dispatch}")
    assert "Task “Review the order” completed." in page

    done = auditor.page("/?tab=completed")
    assert count(done, "completed") == 1
    assert f'<a href="/orders/{number}">{number}</a>' in done and "Review the order" in done

    response = auditor.submit(f"/tasks/{dispatch}", {"team_id": str(site.order(number).team_id),
                                                     "worker_id": str(site.user("worker").id)})
    assert response.status_code == 302 and response.headers["Location"] == "/"  # the next task is the worker's
    assert count(auditor.page("/"), "completed") == 2


def test_a_worker_hands_a_team_job_to_another_worker_of_the_team_with_a_note(site):
    number = dispatched_to_team(site)
    job = task_id(site, number, "accept_job")
    colleague = add_staff(site, "worker2", "worker")
    carpenter = add_staff(site, "carpenter", "worker", unit_name="木工班")
    worker = site.client("worker")

    page = worker.page(f"/tasks/{job}")
    assert 'data-testid="hand-over"' in page
    assert f'<option value="{colleague}">worker2</option>' in page
    assert f'value="{carpenter}"' not in page and f'value="{site.user("worker").id}"' not in page

    # to someone the role does not allow: refused, nothing changes
    assert post(worker, f"/tasks/{job}/hand-over", {"assignee": str(carpenter)}, page=f"/tasks/{job}").status_code == 403
    assert post(worker, f"/tasks/{job}/hand-over", {"assignee": str(site.user("auditor").id)},
                page=f"/tasks/{job}").status_code == 403
    assert task_row(site, job).assignee_id is None

    response = post(worker, f"/tasks/{job}/hand-over", {"assignee": str(colleague), "note": "我在开会，请你去一趟"},
                    page=f"/tasks/{job}")
    assert response.status_code == 302 and response.headers["Location"] == "/?tab=delegated"
    assert task_row(site, job).assignee_id == colleague
    [handed] = [e for e in site_audit(site, number) if e.action == "task.reassigned"]
    assert handed.actor == f"worker#{site.user('worker').id}"
    assert handed.details == {"from_user": site.user("worker").id, "to_user": colleague, "note": "我在开会，请你去一趟"}

    delegated = worker.page("/?tab=delegated")
    assert rows(delegated) == [number] and "With worker2" in delegated and count(delegated, "delegated") == 1
    assert count(delegated, "group") == 3  # the demo quick jobs; the handed-over one is not among them
    mine = site.client("worker2").page("/")
    assert rows(mine) == [number] and count(mine, "mine") == 1

    # the first worker no longer holds it: no second hand-over, no opening it
    assert post(worker, f"/tasks/{job}/hand-over", {"assignee": str(colleague)}, page="/").status_code == 403
    assert worker.get(f"/tasks/{job}").status_code == 403
    # the note shows on the order's timeline
    assert "我在开会，请你去一趟" in site.client("auditor").page(f"/orders/{number}")


def test_an_auditor_reassigns_a_workers_job_and_requesters_never_hand_over(site):
    number = dispatched_to_team(site)
    job = task_id(site, number, "accept_job")
    colleague = add_staff(site, "worker2", "worker")
    worker = site.client("worker")
    assert post(worker, f"/tasks/{job}/claim", page="/?tab=group").status_code == 302

    auditor = site.client("auditor")
    page = auditor.page(f"/tasks/{job}")  # not theirs to do, but theirs to manage
    assert "As its manager you may hand it over." in page and 'name="decision"' not in page
    assert "Held by 刘建军" in page
    assert auditor.submit(f"/tasks/{job}", {"decision": "accept"}).status_code == 403
    response = post(auditor, f"/tasks/{job}/hand-over", {"assignee": str(colleague), "note": "Liu is on leave"},
                    page=f"/tasks/{job}")
    assert response.status_code == 302 and task_row(site, job).assignee_id == colleague
    assert rows(auditor.page("/?tab=delegated")) == [number]

    # the requester's own rating task: no hand-over, no release, nobody manages it
    site.do(number, "accept_job", "worker2", decision="accept")
    site.do(number, "complete_job", "worker2", result="换了阀门")
    rate = task_id(site, number, "rate")
    requester = site.client("requester")
    page = requester.page(f"/tasks/{rate}")
    assert 'data-testid="hand-over"' not in page and 'data-testid="release"' not in page
    assert post(requester, f"/tasks/{rate}/hand-over", {"assignee": str(site.user("clerk").id)},
                page=f"/tasks/{rate}").status_code == 403
    assert post(requester, f"/tasks/{rate}/release", page=f"/tasks/{rate}").status_code == 403
    assert auditor.get(f"/tasks/{rate}").status_code == 403


def test_filters_by_colour_overdue_and_search(site):
    from workflows.demo import DEMO_PASSWORD
    from workflows.people.service import create_user

    old = site.report("旧问题")
    site.do(old, "review", "auditor", decision="accept")  # the dispatch waits; the order turns green after 3 days
    site.wait(days=3, minutes=5)
    assert site.order(old).colour == "green"
    with site.db() as session:
        create_user(session, username="student", password=DEMO_PASSWORD, display_name="李同学", school_id=site.school_id,
                    roles=[("requester", None)])
    fresh = site.report("新问题", username="student")
    site.wait(hours=2)  # its review is now overdue (1 h)
    auditor = site.client("auditor")

    assert sorted(rows(auditor.page("/?tab=group"))) == sorted([old, fresh])
    green = auditor.page("/?tab=group&colour=green")
    assert rows(green) == [old] and 'data-testid="match-count">1 matching' in green
    assert rows(auditor.page("/?tab=group&colour=none")) == [fresh]
    assert rows(auditor.page("/?tab=group&colour=red")) == []
    assert rows(auditor.page("/?tab=group&colour=purple")) != []  # unknown values are ignored, not errors

    overdue = auditor.page("/?tab=group&overdue=1")
    assert rows(overdue) == [fresh] and '<tr class="overdue"' in overdue and ">Overdue</span>" in overdue
    assert 'data-testid="overdue-count">1 overdue' in auditor.page("/")

    assert rows(auditor.page(f"/?tab=group&q={fresh[-8:]}")) == [fresh]  # part of the number
    assert rows(auditor.page("/?tab=group&q=李同学")) == [fresh]  # the requester's name
    assert rows(auditor.page("/?tab=group&q=李")) == [fresh]
    assert rows(auditor.page("/?tab=group&q=nobody")) == []
    assert rows(auditor.page("/?tab=group&q=%25")) == []  # a LIKE wildcard is a plain character
    assert rows(auditor.page("/?tab=group&type=Review+the+order")) == [fresh]
    assert rows(auditor.page("/?tab=group&process=repair")) != [] and rows(auditor.page("/?tab=group&process=job_ticket")) == []

    today = "2026-11-19"  # the fresh order's review was opened on 19 Nov (Beijing time)
    assert rows(auditor.page(f"/?tab=group&from={today}")) == [fresh]
    assert rows(auditor.page("/?tab=group&to=2026-11-16")) == [old]
    assert rows(auditor.page("/?tab=group&from=yesterday")) != []  # a malformed date is dropped


def test_pages_of_25_and_sorting(site):
    numbers = [site.report(f"第{i}号问题") for i in range(27)]
    auditor = site.client("auditor")

    first = auditor.page("/?tab=group&sort=key")
    assert rows(first) == numbers[:25] and "Page 1 of 2" in first and 'rel="next"' in first
    assert 'aria-sort="ascending"' in first
    second = auditor.page("/?tab=group&sort=key&page=2")
    assert rows(second) == numbers[25:] and 'rel="prev"' in second
    assert rows(auditor.page("/?tab=group&sort=key&page=99")) == numbers[25:]  # past the end: the last page
    descending = auditor.page("/?tab=group&sort=key&dir=desc")
    assert rows(descending) == list(reversed(numbers))[:25] and 'aria-sort="descending"' in descending
    assert 'href="/?tab=group&amp;sort=key&amp;dir=desc&amp;page=2"' in descending  # pages keep the order
    assert count(first, "group") == 27


def test_someone_else_cannot_reach_a_task_and_a_gone_task_says_so(site):
    number = site.report()
    review = task_id(site, number, "review")
    assert site.client("worker").get(f"/tasks/{review}").status_code == 403
    assert site.client("requester").get(f"/tasks/{review}").status_code == 403
    site.do(number, "review", "auditor", decision="accept")
    auditor = site.client("auditor")
    response = auditor.get(f"/tasks/{review}")
    assert response.status_code == 302
    assert "no longer open" in auditor.page("/")
    assert post(auditor, f"/tasks/{review}/claim").status_code == 302
    assert "This task is no longer open." in auditor.page("/")
