"""The header's menus, grouped by what people do (their tasks, repairs, plans and supervision, statistics,
administration). Each link names a view, and it is shown only when that view lets the user in: the roles the view
itself requires (``roles_required`` marks the view with ``allowed_roles``) and the kind of account (a school's or
the platform's) the page is for. So the menus cannot offer a page the route would refuse."""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workflows.people.service import role_names


class Audience(StrEnum):
    """Which accounts a page is for: a school's people, the administrators above every school, or both."""

    school = "school"
    platform = "platform"
    everyone = "everyone"


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: Any  # a lazy translation, read in the page's language
    audience: Audience = Audience.school


@dataclass(frozen=True)
class Menu:
    key: str
    label: Any
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ShownLink:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class ShownMenu:
    """A menu as the header draws it: a single link is drawn as that link, more as a menu that opens.
    ``current``: the page shown belongs to one of its links' areas (a person's page under People)."""

    key: str
    label: str
    links: list[ShownLink]
    current: bool


MENUS = (
    Menu("work", _l("Inbox"), (Link("inbox.index", _l("Inbox"), Audience.everyone),)),
    Menu("repairs", _l("Repairs"), (
        Link("portal.report", _l("Report a problem")), Link("portal.mine", _l("My requests")),
        Link("orders.index", _l("Orders")), Link("counter.new", _l("Counter intake")),
        Link("complaint_intake.new", _l("Make a complaint or suggestion")), Link("complaints.mine_list", _l("My complaints")),
        Link("complaint_intake.hotline", _l("Hotline complaint")), Link("survey_answer.mine", _l("My surveys")))),
    Menu("plans", _l("Plans & tasks"), (
        Link("plans.calendar", _l("Work plans")), Link("supervision.board", _l("Task supervision")))),
    Menu("quality", _l("Quality"), (
        Link("complaints.index", _l("Complaints and suggestions")),
        Link("inspection_phone.home", _l("Inspect")), Link("inspections.findings", _l("Inspection findings")),
        Link("inspection_admin.checklists_index", _l("Inspection checklists")),
        Link("inspection_admin.schedules", _l("Inspection schedules")),
        Link("standards.index", _l("Service standards")), Link("surveys.index", _l("Satisfaction surveys")))),
    Menu("staff", _l("Staff and duty"), (
        Link("staff.index", _l("Staff register")), Link("staffing.index", _l("Staffing")),
        Link("staff_setup.index", _l("Posts and certificates")), Link("admin_imports.staff", _l("Import the staff register")),
        Link("attendance.now_on_post", _l("On post now")), Link("attendance.rates_page", _l("On-post rate")),
        Link("attendance.staff_list", _l("Staff attendance")), Link("attendance_admin.shifts", _l("Shifts and rosters")),
        Link("attendance_admin.points_page", _l("Check-in points")), Link("attendance.unknown", _l("Unknown faces")),
        Link("duty.board", _l("On duty now")), Link("duty.calendar", _l("Roster")),
        Link("duty.anomalies", _l("Duty anomalies")), Link("duty_phone.home", _l("My duty")))),
    Menu("figures", _l("Figures and assessment"), (
        Link("dashboard.index", _l("Dashboard")), Link("onescreen.index", _l("One screen")), Link("reports.index", _l("Reports")),
        Link("assessment.index", _l("Assessment campaigns")), Link("assessment.results", _l("Results and rankings")),
        Link("assessment_schemes.index", _l("Assessment schemes")))),
    Menu("admin", _l("Administration"), (
        Link("admin_people.index", _l("People")), Link("admin_org.index", _l("Org chart")),
        Link("admin_catalogue.index", _l("Service catalogue")), Link("admin_catalogue.locations", _l("Locations")),
        Link("admin_imports.people", _l("Import")), Link("rules_admin.index", _l("Rules")),
        Link("processes.index", _l("Processes"), Audience.everyone), Link("admin_webhooks.index", _l("Webhooks")),
        Link("admin_subscribers.index", _l("Event subscribers")),
        Link("admin_outbox.index", _l("Outgoing messages")), Link("admin_audit.index", _l("Change log")),
        Link("admin_schools.index", _l("Schools"), Audience.platform))),
)


def _opens(link: Link, roles: set[str], platform: bool) -> bool:
    """Whether the link's view lets this user in: its required roles, and the kind of account it is for."""
    needed: frozenset[str] = getattr(current_app.view_functions[link.endpoint], "allowed_roles", frozenset())
    if needed and not roles & needed:
        return False
    return link.audience is Audience.everyone or (link.audience is Audience.platform) == platform


def _within(opened: list[Link], links: list[ShownLink]) -> bool:
    """Whether the page shown is one of these links' areas: their blueprint, or a page under a folder-like link
    (``/processes/repair/editor`` under ``/processes/``)."""
    if request.blueprint in {link.endpoint.partition(".")[0] for link in opened}:
        return True
    return any(link.url.endswith("/") and link.url != "/" and request.path.startswith(link.url) for link in links)


def menus_for(roles: set[str], *, platform: bool) -> list[ShownMenu]:
    """The menus (in order, without the empty ones) for someone holding ``roles``; ``platform``: an account above
    every school."""
    shown = []
    for menu in MENUS:
        opened = [link for link in menu.links if _opens(link, roles, platform)]
        if opened:
            links = [ShownLink(url_for(link.endpoint), str(link.label), request.endpoint == link.endpoint)
                     for link in opened]
            shown.append(ShownMenu(menu.key, str(menu.label), links, current=_within(opened, links)))
    if any(link.current for menu in shown for link in menu.links):  # a menu holding the page itself is the one marked
        shown = [replace(menu, current=any(link.current for link in menu.links)) for menu in shown]
    return shown


def _header_menus() -> dict[str, list[ShownMenu]]:
    if not getattr(current_user, "is_authenticated", False):
        return {"menus": []}
    return {"menus": menus_for(role_names(current_user), platform=current_user.school_id is None)}


def init_app(app: Flask) -> None:
    app.context_processor(_header_menus)
