"""Attendance as a module: its rules (``attendance.*``), audit words, dashboard cards and scheduler jobs. It runs no
diagram: check-ins are single acts, not processes with waits."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.registry import Registry
from rules.store import RuleStore
from workflows.attendance import figures, upkeep
from workflows.attendance.enums import AttendanceAction
from workflows.attendance.indicators import INDICATORS
from workflows.i18n import N_
from workflows.modules.contract import DemoSetting, ProcessModule


def register(registry: Registry, store: RuleStore) -> None:
    upkeep.register(registry, store)


def seed_demo(session: Session, demo: DemoSetting) -> bool:
    """The demo's clockings, imported only when the demo is seeded: each is made at its moment (time_machine),
    which starting the app has no use for."""
    from workflows.demo_attendance import seed_attendance

    return seed_attendance(session, demo.rules, school_id=demo.school_id)


MODULE = ProcessModule(
    demo=seed_demo,
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
