"""Roles, kinds of people and of org units, as stable string values stored in the database."""
from enum import StrEnum


class Role(StrEnum):
    requester = "requester"
    clerk = "clerk"
    auditor = "auditor"
    worker = "worker"
    repair_centre = "repair_centre"
    deputy_leader = "deputy_leader"
    main_leader = "main_leader"
    supervisor = "supervisor"
    school_leader = "school_leader"
    process_owner = "process_owner"
    admin = "admin"


class PersonKind(StrEnum):
    """What an account is (``User.kind``): a surveys' audience asks the accounts of its kind."""

    staff = "staff"
    student = "student"


class UnitKind(StrEnum):
    department = "department"
    service_unit = "service_unit"
    team = "team"
    service_hall = "service_hall"


class PeopleAction(StrEnum):
    """The audit actions of people and organisation (admin changes, listed on the audit page): accounts, their
    roles and API tokens, schools, units and imports of people."""

    user_created = "admin.user.create"
    user_updated = "admin.user.update"
    user_deactivated = "admin.user.deactivate"
    user_reactivated = "admin.user.reactivate"
    password_reset = "admin.user.password_reset"
    role_granted = "admin.role.grant"
    role_revoked = "admin.role.revoke"
    token_created = "admin.token.create"
    token_revoked = "admin.token.revoke"
    school_created = "admin.school.create"
    school_updated = "admin.school.update"
    unit_created = "admin.unit.create"
    unit_updated = "admin.unit.update"
    unit_activated = "admin.unit.activate"
    unit_deactivated = "admin.unit.deactivate"
    people_imported = "admin.people.import"
