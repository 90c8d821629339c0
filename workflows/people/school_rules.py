"""Each school's rules stamp on its own row: the version of its rules in force beside its time zone.

The rule store asks for both on every lookup. The school's row is in the session already on most requests (the
token check and the time zone read it), so the stamp costs no query there; a save bumps the version in the same
transaction as the new rule set, so every process sees both at once or neither.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from rules.store import SchoolStamp
from workflows.people.models import School
from workflows.people.timezone import DEFAULT_ZONE


class SchoolRowRecords:
    """:class:`rules.store.SchoolRecords` kept in ``school.timezone`` and ``school.rules_version``."""

    def stamp(self, session: Session, school_id: int) -> SchoolStamp:
        school = session.get(School, school_id)
        if school is None:  # an unknown id reads the shipped defaults in the default zone
            return SchoolStamp(zone=DEFAULT_ZONE, version=0)
        return SchoolStamp(zone=school.timezone, version=school.rules_version)

    def saved(self, session: Session, school_id: int, version: int) -> None:
        session.get_one(School, school_id).rules_version = version
