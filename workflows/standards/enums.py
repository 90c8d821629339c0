"""The words of the standards library, as stored strings."""
from enum import StrEnum


class ServiceType(StrEnum):
    """What kind of service a standards document is for (the library's shelves)."""

    cleaning = "cleaning"
    dormitory = "dormitory"
    repair = "repair"
    canteen = "canteen"
    security = "security"
    grounds = "grounds"
    other = "other"


class StandardAction(StrEnum):
    """Audit actions of the library: a document written and each new version of it."""

    created = "standards.created"
    revised = "standards.revised"
