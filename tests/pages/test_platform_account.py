"""An account above every school (the platform administrator) reaches the header's links without a server error:
pages that belong to one school refuse it plainly, and the process pages show the platform's versions."""
from __future__ import annotations


def test_every_header_link_of_the_platform_account_answers_without_a_server_error(site):
    platform = site.client("platform")
    for path in ("/", "/orders", "/counter/new", "/dashboard", "/reports/", "/plans/calendar", "/tasks-supervision",
                 "/admin/rules/", "/admin/webhooks/", "/processes/", "/admin/schools/", "/notifications/", "/m/report",
                 "/my"):
        status = platform.get(path).status_code
        assert status < 500, (path, status)
    assert 'data-version="1"' in platform.page("/processes/repair/")
