"""The words of duty management, as stored strings: equipment, readings, posts, rosters, presence and anomalies."""
from enum import StrEnum


class EquipmentKind(StrEnum):
    boiler = "boiler"
    water_tank = "water_tank"
    power_room = "power_room"
    fire_panel = "fire_panel"
    other = "other"


class Metric(StrEnum):
    """What a reading measures; its thresholds are the rules ``duty.readings.<metric>.min`` / ``.max``."""

    boiler_temperature = "boiler_temperature"  # °C
    boiler_pressure = "boiler_pressure"  # kPa
    water_tank_level = "water_tank_level"  # % full
    power_room_temperature = "power_room_temperature"  # °C
    fire_panel_faults = "fire_panel_faults"  # faults the panel shows


METRICS_OF: dict[str, tuple[Metric, ...]] = {  # what each kind of equipment is read for
    EquipmentKind.boiler: (Metric.boiler_temperature, Metric.boiler_pressure),
    EquipmentKind.water_tank: (Metric.water_tank_level,),
    EquipmentKind.power_room: (Metric.power_room_temperature,),
    EquipmentKind.fire_panel: (Metric.fire_panel_faults,),
}


class ReadingSource(StrEnum):
    device = "device"  # posted by the device through the API
    patrol = "patrol"  # entered at a patrol point


class PostKind(StrEnum):
    dorm_night_desk = "dorm_night_desk"
    security = "security"
    boiler_room = "boiler_room"
    power_room = "power_room"
    monitoring_centre = "monitoring_centre"


class ShiftStatus(StrEnum):
    planned = "planned"
    on_leave = "on_leave"  # the rostered person is on approved leave and nobody covers


class ChangeKind(StrEnum):
    """A change to the roster someone asks for; each waits for the supervisor's approval."""

    swap = "swap"  # two people exchange shifts
    substitute = "substitute"  # someone else takes the shift
    leave = "leave"  # the person is off (with a substitute when one is named)


class ChangeStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class ScanKind(StrEnum):
    check_in = "check_in"
    patrol = "patrol"


class ScanSource(StrEnum):
    phone = "phone"
    device = "device"  # a patrol device's export, imported as CSV
    face = "face"  # a face check-in at a kiosk or terminal in the post's building (attendance)


class AnomalyKind(StrEnum):
    off_post = "off_post"  # a missed check-in or patrol past its grace
    sleeping = "sleeping"  # an unanswered night presence check
    handover = "handover"  # a handover late or missing
    issue = "issue"  # reported by the person on duty
    reading = "reading"  # operating data out of range


class Stage(StrEnum):
    """Where an anomaly's PDCA stands."""

    plan = "plan"
    do = "do"
    check = "check"
    act = "act"
    closed = "closed"


class CheckVerdict(StrEnum):
    passed = "pass"
    failed = "fail"


class DutyAction(StrEnum):
    """Audit actions of duty management outside the PDCA diagram's steps."""

    EQUIPMENT_SAVED = "duty.equipment_saved"
    READINGS_INGESTED = "duty.readings_ingested"
    ANOMALY_RECORDED = "duty.anomaly_recorded"
    POST_SAVED = "duty.post_saved"
    TEMPLATE_SAVED = "duty.template_saved"
    ROSTER_GENERATED = "duty.roster_generated"
    CHANGE_REQUESTED = "duty.change_requested"
    CHANGE_DECIDED = "duty.change_decided"
    CHECKED_IN = "duty.checked_in"
    PATROL_SCANNED = "duty.patrol_scanned"
    PATROLS_IMPORTED = "duty.patrols_imported"
    PRESENCE_ASKED = "duty.presence_asked"
    PRESENCE_ANSWERED = "duty.presence_answered"
    HANDOVER_CONFIRMED = "duty.handover_confirmed"
