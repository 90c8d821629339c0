"""The one template that renders any generic form (templates/form.html), fed by a real Flask-WTF form inside the
app: every field type on the page, uploads and location parts read from a real multipart request, and hostile
values shown as text."""
from __future__ import annotations

import io

from flask import render_template_string
from flask_wtf import FlaskForm
from PIL import Image

from forms.builder import build_form_class, static_parts, submitted_data
from forms.schema import parse_definition

PAGE = '{% from "form.html" import render_form %}{{ render_form(definition, form, "en", parts) }}'
SOURCES = {"campuses": [("1", "Main"), ("2", "East")], "buildings": [("11", "Library", "1"), ("21", "Lab", "2")],
           "workers": [("3", "Liu")], "teams": [("7", "Plumbing")]}
DEFINITION = parse_definition("everything", {
    "title": "Everything",
    "store_as": "answer",
    "fields": [
        {"name": "how", "type": "instructions", "label": "How", "text": "Do **this** <script>alert(1)</script>"},
        {"name": "said", "type": "display", "label": "They said", "source": "said"},
        {"name": "note", "type": "text", "label": "Note", "required": True},
        {"name": "parts", "type": "checkboxes", "label": "Parts", "choices": [{"value": "pipe"}, {"value": "tap"}]},
        {"name": "worker", "type": "user", "label": "Worker", "choices_from": "workers"},
        {"name": "team", "type": "org", "label": "Team", "choices_from": "teams"},
        {"name": "where", "type": "location", "label": "Where", "required": True},
        {"name": "photos", "type": "photo", "label": "Photos", "max_files": 2, "max_size_mb": 2},
        {"name": "sheet", "type": "file", "label": "Sheet", "accept": ["image/png", "application/pdf"]},
        {"name": "done", "type": "checkbox", "label": "Done"},
    ],
})


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _form():
    return build_form_class(DEFINITION, base=FlaskForm, locale="en", source=lambda name: SOURCES[name])()


def test_every_field_type_renders_and_hostile_values_stay_text(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context("/?lang=en"):
        parts = static_parts(DEFINITION, locale="en", task_data={"said": '<img src=x onerror="alert(2)">'})
        html = render_template_string(PAGE, definition=DEFINITION, form=_form(), parts=parts)
    assert 'enctype="multipart/form-data"' in html and "/static/forms.js" in html and "/static/forms.css" in html
    assert "Do <strong>this</strong>" in html and "<script>alert(1)" not in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html and "<img src=x" not in html
    assert html.count('type="checkbox"') == 3  # two parts and "done"
    assert 'data-depends-on="where-campus"' in html and 'data-parent="2"' in html
    assert 'type="file"' in html and "multiple" in html and 'accept="image/gif,image/jpeg,image/png,image/webp"' in html
    assert 'data-max-files="2"' in html and 'data-max-bytes="2097152"' in html
    photos, sheet = html.split('data-max-files="2"', 1)[1].split('<div class="field upload', 1)
    # the picture-only field is worded as photos, the one that takes a PDF too as files
    assert 'data-choose="Choose photos"' in photos and "Up to 2 photos, each at most 2 MB." in photos
    assert 'data-too-many="Attach at most 2 photos."' in photos and 'aria-label="Chosen photos"' in photos
    assert 'data-choose="Choose files"' in sheet and "Up to 1 files, each at most 10 MB." in sheet
    assert 'accept="image/png,application/pdf"' in sheet
    assert '<option value="3">Liu</option>' in html and '<option value="7">Plumbing</option>' in html


def test_a_real_multipart_post_validates_and_errors_show_inline(app):
    app.config["WTF_CSRF_ENABLED"] = False
    data = {"note": "<b>fixed</b>", "parts": ["pipe", "tap"], "worker": "3", "team": "7", "where-campus": "1",
            "where-building": "11", "where-room": "2F", "done": "y",
            "photos": [(io.BytesIO(_png()), "a.png"), (io.BytesIO(_png()), "b.png")]}
    with app.test_request_context("/?lang=en", method="POST", data=data, content_type="multipart/form-data"):
        form = _form()
        assert form.validate(), form.errors
        values = submitted_data(DEFINITION, form, store=lambda field, upload: upload.filename)
    assert values == {"answer": {"note": "<b>fixed</b>", "parts": ["pipe", "tap"], "worker": 3, "team": 7,
                                 "where": {"campus_id": 1, "building_id": 11, "room": "2F"},
                                 "photos": ["a.png", "b.png"], "sheet": [], "done": True}}

    bad = {"note": "", "where-campus": "2", "where-building": "11",
           "photos": [(io.BytesIO(b"%PDF-1.4 not a picture"), "scan.png")]}
    with app.test_request_context("/?lang=en", method="POST", data=bad, content_type="multipart/form-data"):
        form = _form()
        assert not form.validate()
        html = render_template_string(PAGE, definition=DEFINITION, form=form, parts={})
    assert html.count('class="field has-error"') == 1  # the note
    assert '<fieldset class="field location has-error"' in html
    assert "This building is not on the chosen campus." in html
    assert '<div class="field upload has-error"' in html and "“scan.png” is not an accepted type" in html
    assert "Please choose the photos again" in html
