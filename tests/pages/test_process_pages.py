"""The process owners' pages: only owners and admins reach any of them; upload, validate, draft, deploy,
versions, roll back, diff, migration and the instance viewer work through the real app with CSRF on."""
from __future__ import annotations

import io
import json

from sqlalchemy import select
from websupport import ROOT, csrf_from

from engine.models import AuditEvent, ProcessDefinition, ProcessInstance
from engine.wakeups import run_job

CAMUNDA = (ROOT / "tests" / "bpmn_uploads" / "camunda_plain.bpmn").read_bytes()
REPAIR = (ROOT / "bpmn" / "repair" / "repair.bpmn").read_text(encoding="utf-8")
GET_ROUTES = ["/processes/", "/processes/repair/", "/processes/repair/v1/download", "/processes/repair/diff?to=1",
              "/processes/repair/migrate?to=1", "/processes/repair/editor", "/processes/repair/source",
              "/processes/choices.json", "/processes/instances/{instance}"]
POST_ROUTES = ["/processes/upload", "/processes/repair/v1/activate", "/processes/repair/migrate", "/processes/repair/validate",
               "/processes/repair/draft", "/processes/repair/deploy", "/processes/instances/{instance}/suspend",
               "/processes/instances/{instance}/retry"]


def _instance_id(site, number: str) -> int:
    with site.db() as session:
        return session.scalar(select(ProcessInstance.id).where(ProcessInstance.business_key == number))


def _json_post(client, path: str, body: dict, token: str):
    return client.http.post(path, data=json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token})


def _editor_token(client) -> str:
    return csrf_from(client.page("/processes/repair/editor").replace('data-csrf="', 'name="csrf_token" value="'))


def test_only_owners_and_admins_reach_the_pages_everyone_else_gets_403_everywhere(site):
    instance = _instance_id(site, site.report())
    for username in ("requester", "clerk", "auditor", "worker", "repair", "deputy", "supervisor", "schoolboss"):
        client = site.client(username)
        token = csrf_from(client.page("/my"))
        for path in GET_ROUTES:
            assert client.get(path.format(instance=instance)).status_code == 403, (username, path)
        for path in POST_ROUTES:
            response = client.http.post(path.format(instance=instance), data={"csrf_token": token, "reason": "x"},
                                        headers={"X-CSRFToken": token})
            assert response.status_code == 403, (username, path)
        assert "/processes/" not in client.page("/my")
    for username in ("owner", "admin"):
        client = site.client(username)
        for path in GET_ROUTES:
            assert client.get(path.format(instance=instance)).status_code == 200, (username, path)
        assert 'href="/processes/"' in client.page("/processes/")
    assert site.client(None).get("/processes/").status_code == 302  # to the login page


def test_upload_a_camunda_diagram_deploys_it_and_a_hostile_one_is_refused_precisely(site):
    owner = site.client("owner")
    response = owner.submit("/processes/upload", {"diagram": (io.BytesIO(CAMUNDA), "key_handover.bpmn"),
                                                  "comment": "from Camunda Modeler"}, form_page="/processes/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/processes/key_handover/")
    assert "from Camunda Modeler" in owner.page("/processes/key_handover/")
    hostile = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>'
    response = owner.submit("/processes/upload", {"diagram": (io.BytesIO(hostile), "evil.bpmn"), "comment": "try"},
                            form_page="/processes/")
    assert response.status_code == 400
    assert "evil.bpmn:1: DOCTYPE and entity declarations are not allowed in diagrams" in response.get_data(as_text=True)
    foreign = CAMUNDA.replace(b'name="Issue the key">', b'name="Issue the key" camunda:formKey="embedded:app:x.html">')
    response = owner.submit("/processes/upload", {"diagram": (io.BytesIO(foreign), "k.bpmn"), "comment": "try"},
                            form_page="/processes/")
    assert "k.bpmn:23 [Activity_issue]: unsupported extension attribute camunda:formKey" in response.get_data(as_text=True), response.get_data(as_text=True).split("problems")[1][:300]
    with site.db() as session:
        assert session.scalar(select(ProcessDefinition.version).where(ProcessDefinition.process_key == "key_handover")) == 1


def test_validate_draft_and_deploy_from_the_editor(site):
    owner = site.client("owner")
    token = _editor_token(owner)
    source = owner.get("/processes/repair/source").get_json()
    assert source["origin"] == "active" and "BPMNDiagram" in source["xml"]  # laid out for the editor
    broken = source["xml"].replace("rule_duration('repair.escalation.red.after')", "rule_duration('repair.no.such')")
    answer = _json_post(owner, "/processes/repair/validate", {"xml": broken}, token)
    assert answer.status_code == 422
    [problem] = answer.get_json()["problems"]
    assert problem["element_id"] == "escalate_red"
    assert problem["message"] == "rule_duration() names “repair.no.such”, which is not a known duration rule."
    assert _json_post(owner, "/processes/repair/deploy", {"xml": broken, "comment": "bad"}, token).status_code == 422

    changed = source["xml"].replace("rule_duration('repair.escalation.red.after')", "rule_duration('repair.escalation.yellow.after')")
    assert _json_post(owner, "/processes/repair/draft", {"xml": changed, "comment": "wip"}, token).get_json()["ok"]
    assert owner.get("/processes/repair/source").get_json()["origin"] == "draft"
    answer = _json_post(owner, "/processes/repair/deploy", {"xml": changed, "comment": "red after the yellow rule"}, token)
    assert answer.get_json() == {"ok": True, "version": 2, "created": True, "message": "Version 2 is deployed and active."}
    page = owner.page("/processes/repair/")
    assert "red after the yellow rule" in page and 'data-version="2"' in page
    assert owner.get("/processes/repair/source").get_json()["origin"] == "active"
    older = owner.get("/processes/repair/source?version=1").get_json()
    assert older["origin"] == "version" and "repair.escalation.red.after" in older["xml"]
    assert owner.get("/processes/repair/source?version=9").status_code == 404
    assert "escalate_red" in owner.page("/processes/repair/diff?to=2")
    download = owner.get("/processes/repair/v2/download")
    assert b"repair.escalation.yellow.after')</bpmn:timeDuration>" in download.data.replace(b"\n", b"")


def test_roll_back_and_migrate_through_the_pages(site):
    owner = site.client("owner")
    waiting = site.report("waiting")
    token = _editor_token(owner)
    xml = owner.get("/processes/repair/source").get_json()["xml"].replace(
        'order_step("reviewed", order_id, review)', 'order_step("reviewed", order_id, review)\nreview_rules = "v2"')
    assert _json_post(owner, "/processes/repair/deploy", {"xml": xml, "comment": "v2"}, token).get_json()["ok"]
    accepted = site.report("accepted")
    site.do(accepted, "review", "auditor", decision="accept")  # on v2 already
    page = owner.page("/processes/repair/migrate?to=2")
    assert f'data-instance="{_instance_id(site, waiting)}"' in page
    response = _json_post(owner, "/processes/repair/migrate", {"to": "2", "reason": "new record",
                                                               "instances": [str(_instance_id(site, waiting)), "999999"]},
                          csrf_from(page))
    assert response.status_code == 202 and response.get_json()["total"] == 1  # an unknown id is not queued
    status_url = response.get_json()["status"]
    assert owner.get(status_url).get_json()["status"] == "queued"
    run_job(site.runtime.host, "migration_jobs")  # what the scheduler's next pass, or a Celery worker, does
    assert owner.get(status_url).get_json() == {"status": "done", "total": 1, "handled": 1, "moved": 1, "error": None,
                                                "instance_ids": [_instance_id(site, waiting)], "refused": []}
    assert "new record" in owner.page("/processes/repair/migrate?to=2").split('data-testid="jobs"')[1]
    assert site.client("auditor").get(status_url).status_code == 403
    page = owner.page("/processes/repair/")
    response = owner.post("/processes/repair/v1/activate", {"csrf_token": csrf_from(page), "reason": "v2 misbehaves"})
    assert response.status_code == 302
    with site.db() as session:
        assert session.scalar(select(ProcessDefinition.version).where(ProcessDefinition.active.is_(True))) == 1
        rolled = session.scalar(select(AuditEvent).where(AuditEvent.action == "definition.rolled_back"))
        assert rolled.details["reason"] == "v2 misbehaves"
    page = owner.page("/processes/repair/migrate?to=1")
    assert "already ran (completed) and was changed" in page  # the accepted order cannot go back
    # asked anyway (a stale page), the background move refuses it with the reason and moves nothing
    response = _json_post(owner, "/processes/repair/migrate", {"to": 1, "reason": "back",
                                                               "instances": [_instance_id(site, accepted)]}, csrf_from(page))
    run_job(site.runtime.host, "migration_jobs")
    state = owner.get(response.get_json()["status"]).get_json()
    assert state["status"] == "done" and state["moved"] == 0
    assert "already ran (completed) and was changed" in state["refused"][0]["reason"]
    empty = _json_post(owner, "/processes/repair/migrate", {"to": 1, "reason": "back"}, csrf_from(page))
    assert empty.status_code == 400 and "at least one instance" in empty.get_json()["error"]
    unsaid = _json_post(owner, "/processes/repair/migrate", {"to": 1, "reason": " ", "instances": [1]}, csrf_from(page))
    assert unsaid.status_code == 400 and "Say why" in unsaid.get_json()["error"]
    forged = owner.http.post("/processes/repair/migrate", data=json.dumps({"to": 1, "reason": "x", "instances": [1]}),
                             content_type="application/json")
    assert forged.status_code == 400  # no CSRF token


def test_instance_viewer_marks_elements_and_admin_actions_need_a_reason(site):
    number = site.report()
    instance = _instance_id(site, number)
    admin = site.client("admin")
    page = admin.page(f"/processes/instances/{instance}")
    data = json.loads(page.split('id="instance-diagram">', 1)[1].split("</script>", 1)[0])
    assert data["marks"]["review"] == "active" and data["marks"]["order_received"] == "completed"
    assert data["marks"]["review_reminder"] == "waiting" and "Not reviewed in time" in page
    token = csrf_from(page)
    response = admin.post(f"/processes/instances/{instance}/suspend", {"csrf_token": token, "reason": ""})
    assert response.status_code == 302
    assert "suspended" not in admin.page(f"/processes/instances/{instance}").split('data-testid="status">')[1][:20]
    admin.post(f"/processes/instances/{instance}/suspend", {"csrf_token": token, "reason": "caller withdrew"})
    page = admin.page(f"/processes/instances/{instance}")
    assert 'data-testid="status">suspended' in page and "caller withdrew" in page
    admin.post(f"/processes/instances/{instance}/resume", {"csrf_token": token, "reason": "caller came back"})
    assert 'data-testid="status">running' in admin.page(f"/processes/instances/{instance}")


def test_a_schools_process_owner_deploys_for_that_school_only(site):
    """School separation of process versions: another school's owner deploys a changed repair diagram for their
    school; this school neither sees it nor starts from it, and neither does the platform."""
    from workflows.demo import DEMO_PASSWORD
    from workflows.people.orgchart import create_school
    from workflows.people.service import create_user

    with site.db() as session:
        other = create_school(session, actor="test", code="other", name="乙校", campus="本部")
        create_user(session, username="owner.b", password=DEMO_PASSWORD, display_name="乙校流程负责人",
                    school_id=other.id, roles=[("process_owner", None)])
        other_id = other.id
    owner_b = site.client("owner.b")
    token = _editor_token(owner_b)
    source = owner_b.get("/processes/repair/source").get_json()
    changed = source["xml"].replace("rule_duration('repair.escalation.red.after')", "rule_duration('repair.escalation.yellow.after')")
    answer = _json_post(owner_b, "/processes/repair/deploy", {"xml": changed, "comment": "乙校自己的版本"}, token)
    assert answer.get_json()["ok"] and answer.get_json()["version"] == 2

    owner_a, platform = site.client("owner"), site.client("platform")
    for client in (owner_a, platform):
        page = client.page("/processes/repair/")
        assert 'data-version="1"' in page and 'data-version="2"' not in page and "乙校自己的版本" not in page
        assert client.get("/processes/repair/v2/download").status_code == 404
        assert client.get("/processes/repair/source").get_json()["version"] == 1
    with site.db() as session:
        from engine.deployments import active_definition

        assert active_definition(session, "repair", site.school_id).version == 1
        assert active_definition(session, "repair", other_id).version == 2
        assert active_definition(session, "repair").version == 1
    number = site.report()
    with site.db() as session:
        instance = session.get(ProcessInstance, _instance_id(site, number))
        assert instance.definition.version == 1


def test_a_refused_action_on_an_instance_is_said_in_the_pages_language(site):
    """The engine words its refusal in English for logs; the viewer says which rule refused, in Chinese here."""
    instance = _instance_id(site, site.report())
    admin = site.client("admin")
    page = admin.page(f"/processes/instances/{instance}?lang=zh_CN")
    token = csrf_from(page)
    admin.post(f"/processes/instances/{instance}/resume", {"csrf_token": token, "reason": "误操作"})
    page = admin.page(f"/processes/instances/{instance}")
    assert "操作未执行：只有已挂起的流程实例才能恢复" in page and "cannot be resumed" not in page
