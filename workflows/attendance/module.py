"""Attendance as a module: its rules (``attendance.*``), audit words, dashboard cards and scheduler jobs. It runs no
diagram: check-ins are single acts, not processes with waits."""
from __future__ import annotations

from engine.registry import Registry
from rules.store import RuleStore
from workflows.attendance import figures, upkeep
from workflows.attendance.enums import AttendanceAction
from workflows.attendance.indicators import INDICATORS
from workflows.i18n import N_
from workflows.modules.contract import ProcessModule
from workflows.modules.demo_hook import demo_hook


def register(registry: Registry, store: RuleStore) -> None:
    upkeep.register(registry, store)


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_attendance:seed_attendance"),
    name="attendance", label=N_("Attendance"), process_keys=frozenset(), register=register, figures=figures.figures,
    indicators=INDICATORS,
    actions={
        AttendanceAction.consented: N_("Face enrolment consented"),
        AttendanceAction.enrolled: N_("Face enrolled"),
        AttendanceAction.enrolment_withdrawn: N_("Face data deleted"),
        AttendanceAction.point_added: N_("Check-in point added"),
        AttendanceAction.point_revoked: N_("Check-in point revoked"),
        AttendanceAction.checked_in: N_("Checked in"),
        AttendanceAction.unknown_face: N_("Unknown face refused"),
        AttendanceAction.corrected: N_("Attendance corrected"),
        AttendanceAction.shift_saved: N_("Shift saved"),
        AttendanceAction.roster_saved: N_("Roster saved"),
    },
)
