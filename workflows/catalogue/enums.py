"""The words of the service catalogue and the locations, as stored strings."""
from enum import StrEnum


class CatalogueAction(StrEnum):
    """The audit actions of the service catalogue and the locations (admin changes, listed on the audit page)."""

    item_created = "admin.catalogue.create"
    item_updated = "admin.catalogue.update"
    campus_created = "admin.campus.create"
    campus_updated = "admin.campus.update"
    campus_deactivated = "admin.campus.deactivate"
    campus_reactivated = "admin.campus.reactivate"
    building_created = "admin.building.create"
    building_updated = "admin.building.update"
    building_deactivated = "admin.building.deactivate"
    building_reactivated = "admin.building.reactivate"
    room_created = "admin.room.create"
    room_updated = "admin.room.update"
    locations_imported = "admin.locations.import"
