"""The words of the standards library for pages and the API, as catalog msgids."""
from workflows.i18n import N_
from workflows.standards.enums import ServiceType

SERVICE_WORDS: dict[str, str] = {
    ServiceType.cleaning: N_("Cleaning"), ServiceType.dormitory: N_("Dormitory management"),
    ServiceType.repair: N_("Repairs"), ServiceType.canteen: N_("Canteen"), ServiceType.security: N_("Security"),
    ServiceType.grounds: N_("Grounds upkeep"), ServiceType.other: N_("Other services"),
}
