"""The diagram editor's pages and endpoints: it opens at every version of every shipped process, offers a timer the
duration rules only (by label), refuses a timer that counts a threshold with a message naming the element and the
rule, and keeps an element's names in both languages with the diagram, shown to each reader in their language."""
from __future__ import annotations

import json
import re

import pytest
from websupport import ROOT

from engine.diagram_names import HOUQIN, translations
from rules.book import is_duration_key

SHIPPED = sorted(json.loads(path.read_text(encoding="utf-8"))["process_id"] for path in (ROOT / "bpmn").glob("*/process.json"))
THRESHOLD_TIMER = ("rule_duration('repair.escalation.red.after')", "rule_duration('repair.rating.bad_below')")


def _editor_token(client, process_key: str = "repair") -> str:
    return re.search(r'data-csrf="([^"]+)"', client.page(f"/processes/{process_key}/editor")).group(1)


def _json_post(client, path: str, body: dict, token: str):
    return client.http.post(path, data=json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token})


def test_the_editor_opens_at_every_version_of_every_shipped_process(site):
    owner = site.client("owner")
    assert SHIPPED == ["assessment", "certificate", "complaint", "delegated_task", "duty_pdca", "inspection_finding", "job_ticket",
                       "rating_appeal", "repair", "survey", "work_plan"]
    for key in SHIPPED:  # a second version of each, deployed from the editor (its names now in both languages)
        xml = owner.get(f"/processes/{key}/source").get_json()["xml"]
        answer = _json_post(owner, f"/processes/{key}/deploy", {"xml": xml, "comment": "opened and deployed"},
                            _editor_token(owner, key))
        assert answer.get_json()["ok"], answer.get_json()
    for key in SHIPPED:
        versions = sorted(int(v) for v in re.findall(r'data-version="(\d+)"', owner.page(f"/processes/{key}/")))
        assert len(set(versions)) == 2, (key, versions)
        for version in set(versions):
            page = owner.page(f"/processes/{key}/editor?version={version}")  # "以此版本为起点编辑"
            assert f'data-source-url="/processes/{key}/source?version={version}"' in page
            source = owner.get(f"/processes/{key}/source?version={version}").get_json()
            assert source["origin"] == "version" and source["version"] == version
            assert 'id="' + key + '"' in source["xml"]
        assert owner.get(f"/processes/{key}/editor?version=99").status_code == 404


def test_a_timer_is_offered_the_duration_rules_only_each_by_its_label(site):
    owner = site.client("owner")
    choices = owner.get("/processes/choices.json?lang=zh_CN").get_json()
    offered = {choice["name"]: choice["label"] for choice in choices["durations"]}
    assert offered and all(is_duration_key(key) for key in offered)
    assert "repair.rating.bad_below" not in offered and "repair.escalation.red.role" not in offered
    assert offered["repair.escalation.yellow.after"] == "黄色催办时限"
    assert {"name": "main_leader", "label": "主要领导"} in choices["roles"]
    assert "rules" not in choices


@pytest.mark.parametrize("lang, message", [
    ("en", "rule_duration() needs a duration rule, but “A rating is bad when the overall stars are below” "
           "(repair.rating.bad_below) is a rule of another kind."),
    ("zh_CN", "rule_duration() 需要时长规则，而“总体评分低于此星级即为差评”（repair.rating.bad_below）是另一类规则。"),
])
def test_validate_refuses_a_timer_counting_a_threshold_naming_the_element_and_the_rule(site, lang, message):
    owner = site.client("owner")
    token = _editor_token(owner)
    xml = owner.get("/processes/repair/source").get_json()["xml"].replace(*THRESHOLD_TIMER)
    answer = _json_post(owner, f"/processes/repair/validate?lang={lang}", {"xml": xml}, token)
    assert answer.status_code == 422
    [problem] = answer.get_json()["problems"]
    assert problem["element_id"] == "escalate_red" and problem["message"] == message
    assert problem["text"].endswith(message) and "[escalate_red (Open 15 days: red)]" in problem["text"]
    assert _json_post(owner, "/processes/repair/deploy", {"xml": xml, "comment": "x"}, token).status_code == 422


def test_names_in_both_languages_are_kept_with_the_diagram_and_shown_in_the_readers_language(site):
    owner = site.client("owner")
    token = _editor_token(owner)
    xml = owner.get("/processes/repair/source").get_json()["xml"]
    # the editor opens a shipped diagram with each name's Chinese from the catalog beside the English
    assert re.search(r'<bpmn:userTask id="review" name="Review the order" houqin:nameZh="[^"]+"', xml), \
        re.search(r'<bpmn:userTask id="review"[^>]*>', xml).group(0)
    assert f'xmlns:houqin="{HOUQIN}"' in xml
    assert '<bpmn:lane id="Lane_auditor" name="auditor">' in xml  # a lane's name is a role: not translated
    renamed = re.sub(r'(<bpmn:userTask id="review" name=")Review the order(" houqin:nameZh=")[^"]+"',
                     r'\1Check the request\2核对报修单"', xml)
    answer = _json_post(owner, "/processes/repair/deploy", {"xml": renamed, "comment": "clearer task name"}, token)
    assert answer.get_json()["ok"]
    deployed = owner.get("/processes/repair/v2/download").get_data(as_text=True)
    assert translations({"repair.bpmn": deployed})["Check the request"] == {"zh_CN": "核对报修单"}

    number = site.report()  # starts on version 2
    auditor = site.client("auditor")
    row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*{number}.*?</tr>', auditor.page("/?lang=zh_CN"), re.S).group(0)
    assert "核对报修单" in row  # no catalog entry: the diagram's own name
    row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*{number}.*?</tr>', auditor.page("/?lang=en"), re.S).group(0)
    assert "Check the request" in row and "核对报修单" not in row
