"""The words of duty management for pages and reports, as catalog msgids."""
from __future__ import annotations

from workflows.duty.enums import AnomalyKind, ChangeKind, ChangeStatus, EquipmentKind, Metric, PostKind, ShiftStatus, Stage
from workflows.i18n import N_, Message

KIND_WORDS: dict[str, Message] = {
    AnomalyKind.off_post: N_("Off post"), AnomalyKind.sleeping: N_("Suspected sleeping on duty"),
    AnomalyKind.handover: N_("Late or missing handover"), AnomalyKind.issue: N_("Issue reported on duty"),
    AnomalyKind.reading: N_("Operating data out of range"),
}
STAGE_WORDS: dict[str, Message] = {
    Stage.plan: N_("Plan"), Stage.do: N_("Do"), Stage.check: N_("Check"), Stage.act: N_("Act"),
    Stage.closed: N_("Closed"),
}
EQUIPMENT_WORDS: dict[str, Message] = {
    EquipmentKind.boiler: N_("Boiler"), EquipmentKind.water_tank: N_("Water tank"),
    EquipmentKind.power_room: N_("Power distribution"), EquipmentKind.fire_panel: N_("Fire alarm panel"),
    EquipmentKind.other: N_("Other equipment"),
}
METRIC_WORDS: dict[str, Message] = {
    Metric.boiler_temperature: N_("Boiler temperature (°C)"), Metric.boiler_pressure: N_("Boiler pressure (kPa)"),
    Metric.water_tank_level: N_("Water tank level (%)"), Metric.power_room_temperature: N_("Power room temperature (°C)"),
    Metric.fire_panel_faults: N_("Fire panel faults"),
}
POST_WORDS: dict[str, Message] = {
    PostKind.dorm_night_desk: N_("Dormitory night desk"), PostKind.security: N_("Security"),
    PostKind.boiler_room: N_("Boiler room"), PostKind.power_room: N_("Power distribution room"),
    PostKind.monitoring_centre: N_("Monitoring centre"),
}
CHANGE_WORDS: dict[str, Message] = {
    ChangeKind.swap: N_("Swap"), ChangeKind.substitute: N_("Substitute"), ChangeKind.leave: N_("Leave"),
}
CHANGE_STATUS_WORDS: dict[str, Message] = {
    ChangeStatus.pending: N_("Waiting for approval"), ChangeStatus.approved: N_("Approved"),
    ChangeStatus.refused: N_("Refused"),
}
SHIFT_WORDS: dict[str, Message] = {ShiftStatus.planned: N_("On the roster"), ShiftStatus.on_leave: N_("On leave")}
EVIDENCE_WORDS: dict[str, Message] = {
    "check_in": N_("No check-in at the shift's start"), "patrol": N_("Patrol missed"),
    "presence": N_("Presence check not answered"), "missing": N_("Handover not confirmed by both"),
    "late": N_("Handover confirmed late"),
}
