"""Roles and org-unit kinds, as stable string values stored in the database."""
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


class UnitKind(StrEnum):
    department = "department"
    service_unit = "service_unit"
    team = "team"
    service_hall = "service_hall"
