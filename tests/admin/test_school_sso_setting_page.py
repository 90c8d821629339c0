"""A school's administrator chooses on the org-chart page what single sign-on does with people the school does
not know; the choice is audited and only touches their own school."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import AuditEvent
from workflows.people.models import School


def test_an_admin_chooses_to_create_unknown_people_as_requesters(site):
    admin = site.client("admin")
    page = admin.page("/admin/org/")
    assert 'selected value="refuse"' in page and 'value="create"' in page
    with site.db() as session:
        other = School(code="other", name="Other school")
        session.add(other)
        session.flush()
        other_id = other.id
    saved = admin.submit("/admin/org/school", {"name": "示范学院", "sso_unknown": "create"}, form_page="/admin/org/")
    assert saved.status_code == 302
    assert admin.submit("/admin/org/school", {"name": "示范学院", "sso_unknown": "everyone"},
                        form_page="/admin/org/").status_code == 400
    with site.db() as session:
        assert session.get(School, site.school_id).sso_unknown == "create"
        assert session.get(School, other_id).sso_unknown == "refuse"
        [change] = [e for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "admin.school.update"))
                    if "sso_unknown" in (e.details.get("after") or {})]
    assert (change.details["before"], change.details["after"], change.school_id) == (
        {"sso_unknown": "refuse"}, {"sso_unknown": "create"}, site.school_id)
    assert 'selected value="create"' in admin.page("/admin/org/")
