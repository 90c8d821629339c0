"""The generic form builder: every field type and validator, the load-time checks, and hostile input (oversized
and disguised uploads, script in text, markdown carrying script). No web app: plain WTForms forms fed a MultiDict
the way Flask-WTF feeds request.form and request.files."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from markupsafe import Markup, escape
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Form

from forms import markdown
from forms.builder import build_form_class, lookup, static_parts, submitted_data, validate_mapping
from forms.schema import FormDefinitionError, check_sources, load_all, parse_definition
from forms.sources import SourceTable, takes_argument
from forms.uploads import Upload, UploadRejected, all_pictures, safe_name, sniff

TEAMS = [("7", "Plumbing"), ("8", "Carpentry")]
CAMPUSES = [("1", "Main campus"), ("2", "East campus")]
BUILDINGS = [("11", "Library", "1"), ("12", "Dorm 1", "1"), ("21", "Lab", "2")]


def source(name: str):
    tables = {"teams": TEAMS, "workers": [("3", "Liu"), ("4", "Wang")], "campuses": CAMPUSES, "buildings": BUILDINGS,
              "users_of_role:auditor": [("5", "Zhang")]}
    return tables[name]


def definition(*fields, store_as=None):
    raw = {"title": {"zh_CN": "测试", "en": "Test"}, "fields": list(fields)}
    if store_as:
        raw["store_as"] = store_as
    return parse_definition("test", raw)


def field(name="value", type="text", **options):
    return {"name": name, "type": type, "label": {"zh_CN": "值", "en": "Value"}, **options}


def submit(defn, data=None, files=None, *, locale="en"):
    formdata = MultiDict()
    for key, value in (data or {}).items():
        for item in value if isinstance(value, list) else [value]:
            formdata.add(key, item)
    for key, uploads in (files or {}).items():
        for filename, content in uploads:
            formdata.add(key, FileStorage(stream=io.BytesIO(content), filename=filename, content_type="image/png"))
    form = build_form_class(defn, base=Form, locale=locale, source=source)(formdata=formdata)
    return form, form.validate()


def png(size=(20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def stored(fieldef, upload: Upload):
    return {"name": upload.filename, "type": upload.mime, "bytes": upload.size}


# --- field types ----------------------------------------------------------------------------

def test_text_and_textarea_are_stripped_and_length_checked():
    defn = definition(field("title", min_length=2, max_length=5), field("body", "textarea", required=True))
    form, ok = submit(defn, {"title": "  abc ", "body": " long text "})
    assert ok and submitted_data(defn, form) == {"title": "abc", "body": "long text"}
    form, ok = submit(defn, {"title": "abcdef", "body": ""})
    assert not ok
    assert form.errors == {"title": ["Enter at most 5 characters."], "body": ["This field is required."]}
    form, ok = submit(defn, {"title": "a", "body": "x"}, locale="zh_CN")
    assert form.errors == {"title": ["至少 2 个字"]}


def test_number_range_and_type():
    defn = definition(field("hours", "number", min=0.5, max=8))
    form, ok = submit(defn, {"hours": "2.5"})
    assert ok and submitted_data(defn, form) == {"hours": 2.5}
    assert submit(defn, {"hours": "9"})[0].errors == {"hours": ["Enter a number of at most 8."]}
    assert submit(defn, {"hours": "0"})[0].errors == {"hours": ["Enter a number of at least 0.5."]}
    assert "hours" in submit(defn, {"hours": "lots"})[0].errors
    form, ok = submit(defn, {})
    assert ok and submitted_data(defn, form) == {"hours": None}


def test_pattern_must_match_the_whole_value():
    defn = definition(field("room", pattern=r"[A-Z]\d{3}"))
    assert submit(defn, {"room": "B302"})[1]
    form, ok = submit(defn, {"room": "B302; drop table"})
    assert not ok and form.errors == {"room": ["This is not in the expected format."]}
    assert submit(defn, {"room": ""})[1]  # optional: empty is fine


def test_select_and_radio_accept_only_their_choices():
    choices = [{"value": "a", "label": {"zh_CN": "甲", "en": "A"}}, {"value": "b", "label": "B"}]
    defn = definition(field("pick", "select", choices=choices, required=True), field("way", "radio", choices=choices))
    form, ok = submit(defn, {"pick": "b", "way": "a"})
    assert ok and submitted_data(defn, form) == {"pick": "b", "way": "a"}
    form, ok = submit(defn, {"pick": "zzz"})
    assert not ok and "pick" in form.errors
    zh = build_form_class(defn, base=Form, locale="zh_CN")()
    assert [label for _value, label, *_ in zh.pick.iter_choices()] == ["甲", "B"]


def test_checkbox_and_checkbox_list():
    options = [{"value": v, "label": v.upper()} for v in ("pipe", "valve", "tap")]
    defn = definition(field("confirm", "checkbox", required=True), field("parts", "checkboxes", choices=options,
                                                                         required=True, max_choices=2))
    form, ok = submit(defn, {"confirm": "y", "parts": ["pipe", "tap"]})
    assert ok and submitted_data(defn, form) == {"confirm": True, "parts": ["pipe", "tap"]}
    form, ok = submit(defn, {"parts": ["pipe", "valve", "tap"]})
    assert not ok
    assert form.errors["confirm"] == ["This field is required."]
    assert form.errors["parts"] == ["Choose at most 2."]
    assert not submit(defn, {"confirm": "y", "parts": ["pipe", "gold"]})[1]  # not one of the choices
    html = str(build_form_class(defn, base=Form, source=source)().parts())
    assert html.count('type="checkbox"') == 3


def test_date_datetime_and_stars():
    defn = definition(field("day", "date", required=True), field("at", "datetime"), field("score", "stars", required=True))
    form, ok = submit(defn, {"day": "2026-11-20", "at": "2026-11-20T14:30", "score": "4"})
    assert ok and submitted_data(defn, form) == {"day": "2026-11-20", "at": "2026-11-20T14:30:00", "score": 4}
    assert isinstance(form.day.data, date) and isinstance(form.at.data, datetime)
    form, ok = submit(defn, {"day": "20/11/2026", "score": "6"})
    assert not ok and {"day", "score"} <= set(form.errors)


def test_user_and_org_pickers_take_their_choices_from_a_source_and_give_ids():
    defn = definition(field("team", "org", choices_from="teams", required=True),
                      field("worker", "user", choices_from="workers"),
                      field("auditor", "user", choices_from="users_of_role:auditor"))
    form, ok = submit(defn, {"team": "8", "worker": "", "auditor": "5"})
    assert ok and submitted_data(defn, form) == {"team": 8, "worker": None, "auditor": 5}
    form, ok = submit(defn, {"team": "99"})
    assert not ok and "team" in form.errors  # not one the source offered
    with pytest.raises(ValueError, match="needs data source 'teams'"):
        build_form_class(defn, base=Form)


def test_location_picker_keeps_the_building_on_the_chosen_campus():
    defn = definition(field("where", "location", required=True), store_as="place")
    form, ok = submit(defn, {"where-campus": "1", "where-building": "12", "where-room": " 302 "})
    assert ok and submitted_data(defn, form) == {"place": {"where": {"campus_id": 1, "building_id": 12, "room": "302"}}}
    form, ok = submit(defn, {"where-campus": "2", "where-building": "12"})
    assert not ok and form.errors == {"where": {"building": ["This building is not on the chosen campus."]}}
    form, ok = submit(defn, {"where-campus": "", "where-room": "x" * 61})
    assert not ok and set(form.errors["where"]) == {"campus", "room"}
    html = str(build_form_class(defn, base=Form, source=source)().where.building())
    assert 'data-parent="2"' in html  # the page filters buildings by campus with it


def test_display_and_instructions_take_no_input_and_show_task_data():
    defn = definition(field("reason", "display", source="appeal.reason"), field("how", "instructions", text="**Call** them"),
                      field("note", "textarea"))
    form_class = build_form_class(defn, base=Form)
    assert set(form_class()._fields) == {"note"}
    parts = static_parts(defn, locale="en", task_data={"appeal": {"reason": "<b>unfair</b>"}})
    assert parts == {"reason": "<b>unfair</b>", "how": "<p><strong>Call</strong> them</p>"}
    assert static_parts(defn, locale="en", task_data={})["reason"] is None
    assert lookup({"a": {"b": 1}}, "a.b") == 1 and lookup({"a": 1}, "a.b") is None


def test_a_display_field_says_its_when_empty_text_where_the_task_data_holds_no_value():
    defn = definition(field("item", "display", source="item_text",
                            when_empty={"zh_CN": "不在检查表内", "en": "Not on the checklist"}))
    assert static_parts(defn, locale="zh_CN", task_data={"item_text": ""})["item"] == "不在检查表内"
    assert static_parts(defn, locale="en", task_data={})["item"] == "Not on the checklist"
    assert static_parts(defn, locale="en", task_data={"item_text": "楼道地面干净"})["item"] == "楼道地面干净"
    with pytest.raises(FormDefinitionError, match="when_empty"):
        definition(field("note", "textarea", when_empty="nothing"))


def test_required_if_applies_to_any_field_type():
    defn = definition(
        field("decision", "radio", required=True, choices=[{"value": "accept"}, {"value": "reject"}]),
        field("reason", "textarea", required_if={"field": "decision", "in": ["reject"]}, max_length=10),
        field("parts", "checkboxes", choices=[{"value": "x"}], required_if={"field": "decision", "in": ["reject"]}))
    assert submit(defn, {"decision": "accept"})[1]
    form, ok = submit(defn, {"decision": "reject", "reason": "   "})
    assert not ok and form.errors == {"reason": ["This field is required for your choice."],
                                      "parts": ["This field is required for your choice."]}
    form, ok = submit(defn, {"decision": "accept", "reason": "far too long for it"})
    assert not ok and form.errors == {"reason": ["Enter at most 10 characters."]}  # still checked when given


# --- uploads --------------------------------------------------------------------------------

def test_photo_upload_is_checked_and_handed_to_the_storage_callback():
    defn = definition(field("photos", "photo", max_files=2, max_size_mb=1), store_as="done")
    form, ok = submit(defn, files={"photos": [("../../etc/a.png", png()), ("b.png", png((5, 5)))]})
    assert ok
    data = submitted_data(defn, form, store=stored)
    assert [p["name"] for p in data["done"]["photos"]] == ["a.png", "b.png"]
    assert {p["type"] for p in data["done"]["photos"]} == {"image/png"}
    with pytest.raises(ValueError, match="no storage"):
        submitted_data(defn, form)
    form, ok = submit(defn, {})  # nothing chosen: an empty file part is no file
    assert ok and submitted_data(defn, form) == {"done": {"photos": []}}


def test_oversized_too_many_and_disguised_uploads_are_refused():
    defn = definition(field("photos", "photo", max_files=2, max_size_mb=0.01, required=True))
    too_big = png((400, 400)) + b"\x00" * 20_000
    form, ok = submit(defn, files={"photos": [("big.png", too_big)]})
    assert not ok and form.errors == {"photos": ["“big.png” is larger than 0.01 MB."]}
    form, ok = submit(defn, files={"photos": [("a.png", png())] * 3})
    assert not ok and form.errors == {"photos": ["Attach at most 2 photos."]}
    script = b"<script>alert(1)</script>"
    form, ok = submit(defn, files={"photos": [("cat.png", script)]})  # claims image/png, is text
    assert not ok and form.errors == {"photos": ["“cat.png” is not an accepted type (accepted: GIF, JPEG, PNG, WebP)."]}
    form, ok = submit(defn, files={"photos": [("x.exe", b"MZ\x90\x00" + b"\x00" * 64)]}, locale="zh_CN")
    assert not ok and "类型不被接受" in form.errors["photos"][0]
    form, ok = submit(defn, {})
    assert not ok and form.errors == {"photos": ["This field is required."]}


def test_file_fields_accept_only_their_declared_types():
    defn = definition(field("sheet", "file", accept=["application/pdf"]))
    assert submit(defn, files={"sheet": [("job.pdf", b"%PDF-1.7\n...")]})[1]
    form, ok = submit(defn, files={"sheet": [("job.pdf", png())]})
    assert not ok and "not an accepted type (accepted: PDF)" in form.errors["sheet"][0]
    html = str(build_form_class(defn, base=Form)().sheet())
    assert 'accept="application/pdf"' in html and "multiple" not in html


def test_a_field_that_takes_pictures_only_is_worded_as_photos_whatever_its_type():
    assert all_pictures(["image/png", "image/jpeg"]) and all_pictures("image/*") and all_pictures(" image/webp, image/gif")
    assert not all_pictures("image/*,application/pdf") and not all_pictures(["text/plain"]) and not all_pictures("")
    scans = definition(field("scans", "file", accept=["image/png", "image/jpeg"], max_files=2),
                       field("sheet", "file", accept=["image/png", "application/pdf"], max_files=2))
    assert scans.field("scans").pictures_only and not scans.field("sheet").pictures_only
    form, ok = submit(scans, files={"scans": [("a.png", png())] * 3, "sheet": [("b.png", png())] * 3}, locale="zh_CN")
    assert not ok and form.errors == {"scans": ["最多上传 2 张照片"], "sheet": ["最多上传 2 个文件"]}


def test_sniffing_and_names():
    assert sniff(png()) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"GIF89a...") == "image/gif"
    assert sniff("报修说明".encode()) == "text/plain"
    assert sniff(b"\x00\x01\x02") is None
    assert safe_name("C:\\Users\\me\\photo.png") == "photo.png"
    assert safe_name("../../x\u0000y.png") == "xy.png" and safe_name("") == "file"
    assert len(safe_name("a" * 500 + ".png")) == 120


def test_api_submissions_cannot_carry_files():
    defn = definition(field("result", "textarea", required=True), field("photos", "photo"),
                      field("proof", "file", accept=["application/pdf"], required=True))
    valid, errors, _cleaned = validate_mapping(defn, {"result": "ok", "photos": "a.png", "proof": "x.pdf"})
    assert not valid and errors == {"proof": ["This field is required."]}
    optional = definition(field("result", "textarea", required=True), field("photos", "photo"))
    assert validate_mapping(optional, {"result": "ok", "photos": ["a.png"]}) == (True, {}, {"result": "ok", "photos": []})


def test_validate_mapping_takes_locations_as_objects():
    defn = definition(field("where", "location", required=True))
    valid, errors, cleaned = validate_mapping(defn, {"where": {"campus": 1, "building": 11, "room": "3F"}}, source=source)
    assert valid, errors
    assert cleaned == {"where": {"campus_id": 1, "building_id": 11, "room": "3F"}}


# --- hostile text and markdown --------------------------------------------------------------

def test_script_in_text_fields_is_rendered_escaped():
    defn = definition(field("note", "text"), field("body", "textarea"))
    form, ok = submit(defn, {"note": '"><script>alert(1)</script>', "body": "</textarea><script>alert(2)</script>"})
    assert ok
    note, body = str(form.note()), str(form.body())
    assert "<script>" not in note and "&lt;script&gt;" in note and "&#34;&gt;" in note
    assert "<script>" not in body and "&lt;/textarea&gt;" in body
    assert submitted_data(defn, form)["note"] == '"><script>alert(1)</script>'  # kept as typed; escaped when shown
    assert str(escape(submitted_data(defn, form)["body"])).startswith("&lt;/textarea&gt;")


def test_markdown_instructions_lose_script_handlers_and_bad_links():
    html = markdown.render("**Note** <script>alert(1)</script> <img src=x onerror=alert(2)> "
                           "[click](javascript:alert(3)) <a href='https://ok.example' onclick='x()'>ok</a>\n\n"
                           "<iframe src='https://evil.example'></iframe><style>body{}</style>\n\n- one\n- two")
    assert "<strong>Note</strong>" in html and "<li>one</li>" in html
    for bad in ("<script", "alert(1)", "onerror", "<img", "javascript:", "onclick", "<iframe", "<style"):
        assert bad not in html, bad
    assert 'href="https://ok.example"' in html and 'rel="noopener noreferrer"' in html
    assert Markup(html) == html  # plain str, marked safe only by the template


# --- load-time checks -----------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    (field(type="slider"), "unknown field type 'slider'"),
    ({"type": "text", "label": "x"}, "needs a name"),
    (field(colour="red"), "unknown field options ['colour']"),
    (field(type="select"), "needs choices or choices_from"),
    (field(type="user"), "needs choices_from"),
    (field(type="display"), "needs source"),
    (field(type="file"), "needs accept"),
    (field(type="file", accept=["application/x-msdownload"]), "cannot check MIME types"),
    (field(type="photo", accept=["application/pdf"]), "accepts images only"),
    (field(type="photo", max_size_mb=500), "max_size_mb"),
    (field(pattern="([a-z"), "not a valid regular expression"),
    (field(min_length=5, max_length=2), "min_length is greater than max_length"),
    (field(type="number", min="low"), "min must be a number"),
    (field(accept=["image/png"]), "do not apply to a text field"),
    (field(type="number", max_length=3), "do not apply to a number field"),
    (field(required_if={"field": "missing", "in": ["x"]}), "not an input field here"),
    (field(required_if="decision"), "required_if needs"),
    (field(type="checkboxes", choices=[{"value": "a"}], max_choices=0), "max_choices"),
    (field(type="radio", choices=[{"value": "a"}, {"value": "a"}]), "duplicate choice values"),
])
def test_bad_definitions_fail_at_load_with_a_clear_message(bad, message):
    with pytest.raises(FormDefinitionError, match=message.replace("[", r"\[").replace("(", r"\(")):
        definition(bad)


def test_unknown_data_sources_fail_at_load(tmp_path):
    defs = {"f": definition(field("who", "user", choices_from="wizards"))}
    with pytest.raises(FormDefinitionError, match="unknown data source 'wizards'"):
        check_sources(defs, {"workers", "teams"})
    located = {"f": definition(field("where", "location"))}
    with pytest.raises(FormDefinitionError, match="unknown data source 'campuses'"):
        check_sources(located, {"workers"})

    @takes_argument
    def users_of_role(**kwargs):
        return []

    table = SourceTable({"workers": lambda **kw: [], "users_of_role": users_of_role})
    check_sources({"f": definition(field("who", "user", choices_from="users_of_role:auditor"))}, table)
    with pytest.raises(FormDefinitionError, match="unknown data source 'workers:x'"):
        check_sources({"f": definition(field("who", "user", choices_from="workers:x"))}, table)
    assert table["users_of_role:auditor"].keywords == {"argument": "auditor"}

    (tmp_path / "broken.yaml").write_text("fields:\n  - {name: a, type: slider, label: A}\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match=r"broken.yaml: form broken, field 1 \(a\): unknown field type"):
        load_all(tmp_path)


def test_every_shipped_definition_loads_and_builds_in_both_languages():
    from workflows.bootstrap import build_modules

    definitions = load_all()
    check_sources(definitions, build_modules().sources)
    for defn in definitions.values():
        for locale in ("zh_CN", "en"):
            form = build_form_class(defn, base=Form, locale=locale, source=lambda name: [("1", "x", "1")])()
            for f in defn.fields:
                if f.is_input:
                    assert form[f.name].label.text, (defn.key, f.name)
    assert definitions["repair_complete"].field("photos").purpose == "result"


def test_the_storage_callback_may_refuse_a_file():
    defn = definition(field("photos", "photo"))
    form, ok = submit(defn, files={"photos": [("a.png", png())]})
    assert ok

    def refuse(_field, upload):
        raise UploadRejected(f"{upload.filename} is not a readable image")

    with pytest.raises(UploadRejected, match="a.png"):
        submitted_data(defn, form, store=refuse)


# --- fields that depend on another, values suggested by the process ----------------------------------------------

MEMBERS = [("3", "Liu", ["7"]), ("4", "Wang", ["8"]), ("5", "He", ["7", "8"])]


def test_a_dependent_choice_must_belong_to_the_other_fields_value():
    defn = definition(field("team", "org", choices_from="teams", required=True),
                      field("worker", "user", choices_from="members", depends_on="team"))

    def members(name):
        return MEMBERS if name == "members" else source(name)

    def check(data):
        form = build_form_class(defn, base=Form, locale="en", source=members)(formdata=MultiDict(data))
        return form.validate(), form.errors

    assert check({"team": "7", "worker": "3"}) == (True, {})
    assert check({"team": "8", "worker": "5"}) == (True, {})  # works in both teams
    assert check({"team": "8", "worker": ""}) == (True, {})  # nobody in particular
    assert check({"team": "8", "worker": "3"}) == (False, {"worker": ["“Liu” does not belong to the chosen Value; choose again."]})
    ok, errors = check({"team": "", "worker": "3"})
    assert not ok and list(errors) == ["team"]  # the missing team speaks, not the worker
    form = build_form_class(defn, base=Form, locale="zh_CN", source=members)(formdata=MultiDict({"team": "8", "worker": "3"}))
    assert not form.validate() and form.errors["worker"] == ["“Liu”不属于所选的值，请重新选择"]
    rendered = str(form.worker)
    assert 'data-parent="7 8"' in rendered and 'data-parent="7"' in rendered


def test_depends_on_must_name_another_choice_field():
    with pytest.raises(FormDefinitionError, match="depends_on names 'nope'"):
        definition(field("worker", "user", choices_from="workers", depends_on="nope"))
    with pytest.raises(FormDefinitionError, match="depends_on names 'note'"):
        definition(field("note"), field("worker", "user", choices_from="workers", depends_on="note"))
    with pytest.raises(FormDefinitionError, match="do not apply to a text field"):
        definition(field("team", "org", choices_from="teams"), field("note", depends_on="team"))


def test_default_from_preselects_what_the_task_data_suggests_and_a_posted_choice_wins():
    defn = definition(field("team", "org", choices_from="teams", default_from="order.team_id"),
                      field("note", default_from="order.note"))
    shown = build_form_class(defn, base=Form, locale="en", source=source,
                             task_data={"order": {"team_id": 8, "note": "从报修单带出"}})()
    assert '<option selected value="8">Carpentry</option>' in str(shown.team) and shown.note.data == "从报修单带出"
    assert build_form_class(defn, base=Form, locale="en", source=source, task_data={})().team.data in (None, "None")
    posted = build_form_class(defn, base=Form, locale="en", source=source,
                              task_data={"order": {"team_id": 8}})(formdata=MultiDict({"team": "7"}))
    assert posted.validate() and posted.team.data == "7"
    assert defn.reads_task_data and not definition(field("note")).reads_task_data


def test_a_person_field_needs_a_source_that_can_be_searched():
    class Searchable:
        def __call__(self, name):
            return []

        def search(self):
            return None

    defs = {"f": definition(field("who", "person", choices_from="staff"))}
    check_sources(defs, SourceTable({"staff": Searchable()}))
    with pytest.raises(FormDefinitionError, match="needs a data source that can be searched"):
        check_sources(defs, SourceTable({"staff": lambda *a, **k: []}))
    with pytest.raises(FormDefinitionError, match="needs choices_from"):
        definition(field("who", "person"))
