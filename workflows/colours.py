"""The three escalation colours, as stable strings stored on orders, plan occurrences and delegated tasks.

Something left waiting turns green, then yellow, then red, each after a rule duration counted while it stays
open: a repair order after 3, 7 and 15 days from acceptance by default (``repair.escalation.<colour>.after``,
chased by the service hall, the deputy leader and the main leader in turn), a plan occurrence after its due
time and a delegated task around its deadline (their own ``…escalation``/``…slip`` rules). ``none`` is stored
until the first colour is reached; it is no escalation.
"""
from enum import StrEnum

from workflows.i18n import N_


class Colour(StrEnum):
    none = "none"
    green = "green"
    yellow = "yellow"
    red = "red"


ESCALATION = (Colour.green, Colour.yellow, Colour.red)  # the colours an escalation reaches, in the order it does
COLOUR_WORDS: dict[Colour, str] = {Colour.none: N_("No colour"), Colour.green: N_("Green"), Colour.yellow: N_("Yellow"),
                                   Colour.red: N_("Red")}  # catalog msgids; pages wrap them in lazy_gettext
