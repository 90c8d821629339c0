"""The school's time zone is set with its name on the org-chart page, audited; a zone nobody knows is refused."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import AuditEvent
from workflows.people.models import School


def test_an_admin_sets_the_schools_time_zone_beside_its_name(site):
    admin = site.client("admin")
    page = admin.page("/admin/org/")
    assert 'value="America/New_York"' in page and 'selected value="Asia/Shanghai"' in page
    saved = admin.submit("/admin/org/school", {"name": "示范学院", "timezone": "America/New_York"},
                         form_page="/admin/org/")
    assert saved.status_code == 302
    refused = admin.submit("/admin/org/school", {"name": "示范学院", "timezone": "Mars/Olympus"},
                           form_page="/admin/org/")
    assert refused.status_code == 400
    with site.db() as session:
        assert session.get(School, site.school_id).timezone == "America/New_York"
        [change] = [e for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "admin.school.update"))
                    if "timezone" in (e.details.get("after") or {})]
    assert (change.details["before"], change.details["after"]) == ({"timezone": "Asia/Shanghai"},
                                                                   {"timezone": "America/New_York"})
    assert 'selected value="America/New_York"' in admin.page("/admin/org/")
