"""The web shell over the engine: log in through the real form (CSRF on), see the inbox, complete a
task, and get a clear refusal (no change) on a double submission."""
from __future__ import annotations

from factories import scenario


def _setup(app_harness):
    rt = app_harness
    people = rt.people()
    with rt.session() as session:
        from workflows.people.models import User

        for user_id in (people.worker_id, people.clerk_id):
            session.get(User, user_id).locale = "en"
    rt.deploy(scenario("timer_task"))
    iid = rt.start("timer_task", business_key="WO-42", school_id=people.school_id,
                   data={"worker_id": people.worker_id, "job_due": "PT12H"})
    return people, iid, rt.task(iid, "do_job")


def test_login_requires_the_right_password_and_a_csrf_token(app_harness, client, login):
    people, _iid, _task = _setup(app_harness)
    username = f"worker-{people.school_id}"

    assert client.get("/").status_code == 302  # not logged in → login page
    assert client.get("/login?lang=en").status_code == 200  # English from here on (kept in the session)
    no_token = client.post("/login", data={"username": username, "password": "pw-worker"})
    assert no_token.status_code == 400 and client.get("/").status_code == 302
    wrong = login(username, "wrong password")
    assert wrong.status_code == 200 and "Wrong username or password" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302

    ok = login(username, "pw-worker")
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/")
    assert client.get("/").status_code == 200


def test_inbox_lists_own_tasks_and_the_form_completes_the_task_once(app_harness, client, login):
    rt = app_harness
    people, iid, task = _setup(rt)
    login(f"worker-{people.school_id}", "pw-worker")

    inbox = client.get("/").get_data(as_text=True)
    assert "Do the job" in inbox and "WO-42" in inbox and f"/tasks/{task.id}" in inbox

    page = client.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    token = login.csrf_token(f"/tasks/{task.id}")
    done = client.post(f"/tasks/{task.id}", data={"csrf_token": token, "note": "Replaced the washer"})
    assert done.status_code == 302
    assert rt.instance(iid).status == "completed"
    assert rt.data(iid)["note"] == "Replaced the washer"
    after = rt.snapshot(iid)

    again = client.post(f"/tasks/{task.id}", data={"csrf_token": token, "note": "Second click"}, follow_redirects=True)
    assert again.status_code == 200 and "could not be completed" in again.get_data(as_text=True)
    assert rt.snapshot(iid) == after
    assert len(rt.audit(iid, "task.completed")) == 1


def test_someone_else_cannot_open_or_complete_the_task(app_harness, client, login):
    rt = app_harness
    people, iid, task = _setup(rt)
    login(f"clerk-{people.school_id}", "pw-clerk")
    before = rt.snapshot(iid)

    assert "Do the job" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/tasks/{task.id}").status_code == 403
    token = login.csrf_token()
    assert client.post(f"/tasks/{task.id}", data={"csrf_token": token, "note": "mine"}).status_code == 403
    assert rt.snapshot(iid) == before


def test_missing_csrf_token_is_refused_and_changes_nothing(app_harness, client, login):
    rt = app_harness
    people, iid, task = _setup(rt)
    login(f"worker-{people.school_id}", "pw-worker")
    before = rt.snapshot(iid)

    response = client.post(f"/tasks/{task.id}", data={"note": "no token"})

    assert response.status_code == 400
    assert rt.snapshot(iid) == before
