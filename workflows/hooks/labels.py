"""The business events in words, for the admin pages (catalog msgids)."""
from workflows.hooks.enums import BusinessEvent
from workflows.i18n import N_

EVENT_WORDS: dict[BusinessEvent, str] = {
    BusinessEvent.order_created: N_("An order is created"),
    BusinessEvent.order_closed: N_("An order is closed"),
    BusinessEvent.rating_bad: N_("A bad rating is given"),
    BusinessEvent.order_escalated: N_("An order turns green, yellow or red"),
}
