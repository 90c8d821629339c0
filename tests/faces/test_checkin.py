"""Enrolment and check-in on PostgreSQL with real photos: the same person matches at the kiosk, another person is
unknown (kept for review), bad frames are refused with nothing stored, and one school never matches another's."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from engine.db import unit_of_work
from tests.faces import pictures
from tests.faces.staffing import hire, staff_school
from tests.statements import statements
from workflows.attendance import checkins, enrolment, upkeep
from workflows.attendance.enums import Channel, EnrolmentStatus
from workflows.attendance.models import Checkin, CheckinPoint, Enrolment, FaceEncoding, FrameSeen, PendingPhoto, UnknownAttempt
from workflows.attendance.points import point_by_code, point_by_token
from workflows.errors import FieldError
from workflows.faces.matcher import GALLERIES
from workflows.faces.refusals import FaceProblem, FaceRefused
from workflows.staff.models import StaffMember


@pytest.fixture
def pg(runtime, migrated_pg_url):
    GALLERIES.forget()
    return runtime(migrated_pg_url)


@pytest.fixture
def school(pg):
    with pg.session() as session:
        staffing = staff_school(session, pg.people())
        obama = hire(session, staffing, "D001", "Barack")
        enrolment.enrol(session, staff=obama, photos=[pictures.photo_bytes("obama"), pictures.no_face()], consent=True,
                        note="signed form", actor="admin", user_id=None)
    enrolment.encode_waiting(pg.runtime.host.session_factory, pg.runtime.rules)
    return staffing


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def kiosk_check_in(pg, token: str, frame: bytes) -> checkins.Outcome:
    with unit_of_work(pg.runtime.host.session_factory) as session:
        point = point_by_token(session, token)
        assert point is not None
        return checkins.by_face(session, pg.runtime.rules, point=point, frame=frame)


def test_enrolment_encodes_the_good_photo_and_says_why_the_other_was_refused(pg, school):
    with pg.session() as session:
        row = session.scalars(select(Enrolment)).one()
        assert row.status == EnrolmentStatus.ready and row.photos_done == 2
        assert row.problems == [{"photo": 2, "problem": "no_face"}]
        assert count(session, FaceEncoding) == 1 and count(session, PendingPhoto) == 0
        assert session.scalars(select(FaceEncoding)).one().photo is None  # the school keeps no photos by default


def test_another_photo_of_the_same_person_checks_in_at_the_kiosk(pg, school):
    outcome = kiosk_check_in(pg, school.kiosk_token, pictures.kiosk_frame("obama2"))
    assert outcome.problem is None and outcome.staff is not None and outcome.staff.number == "D001"
    with pg.session() as session:
        stored = session.scalars(select(Checkin)).one()
        assert stored.channel == Channel.kiosk and stored.post_id == school.post_id and stored.point_id == school.kiosk_id
        assert 0 < stored.distance < 0.45
    again = kiosk_check_in(pg, school.kiosk_token, pictures.jpeg(pictures.photo("obama3")))  # moments later
    assert again.repeated and again.checkin is not None and again.checkin.id == stored.id


def test_another_person_is_refused_and_kept_for_review(pg, school):
    outcome = kiosk_check_in(pg, school.kiosk_token, pictures.kiosk_frame("biden"))
    assert outcome.problem == FaceProblem.unknown and outcome.checkin is None
    with pg.session() as session:
        attempt = session.scalars(select(UnknownAttempt)).one()
        assert attempt.point_id == school.kiosk_id and attempt.distance > 0.6 and attempt.frame
        assert count(session, Checkin) == 0


@pytest.mark.parametrize(("frame", "problem"), [
    (b"GIF89a not really", FaceProblem.not_image),
    (b"", FaceProblem.empty),
    (pictures.no_face(), FaceProblem.no_face),
    (pictures.two_faces(), FaceProblem.several_faces),
    (pictures.tiny("obama2"), FaceProblem.too_small),
    (pictures.blurred("obama2"), FaceProblem.blurred),
])
def test_bad_frames_are_refused_and_nothing_is_stored(pg, school, frame, problem):
    with pytest.raises(FaceRefused) as refused:
        kiosk_check_in(pg, school.kiosk_token, frame)
    assert refused.value.problem == problem
    with pg.session() as session:
        assert count(session, Checkin) == count(session, UnknownAttempt) == count(session, FrameSeen) == 0


def test_the_same_frame_sent_again_is_refused_as_a_replay(pg, school):
    frame = pictures.kiosk_frame("obama2")
    kiosk_check_in(pg, school.kiosk_token, frame)
    with pytest.raises(FaceRefused) as refused:
        kiosk_check_in(pg, school.kiosk_token, frame)
    assert refused.value.problem == FaceProblem.replayed


def test_a_check_in_reads_the_frames_replay_row_once(pg, school):
    """Whether the frame is a replay and where to note it now come from one read of its row."""
    for frame in (pictures.kiosk_frame("obama2"), pictures.kiosk_frame("biden")):  # a match, then an unknown face
        with statements(pg.runtime.db_engine) as sent:
            kiosk_check_in(pg, school.kiosk_token, frame)
        assert sum(s.startswith("SELECT") and "FROM face_frame_seen" in s for s in sent) == 1, sent


def test_unknown_or_revoked_tokens_and_codes_find_no_point(pg, school):
    with pg.session() as session:
        assert point_by_token(session, "not-a-token") is None and point_by_token(session, "") is None
        assert point_by_token(session, school.qr_code) is None  # a QR code is no kiosk token
        assert point_by_code(session, school.qr_code) is not None
        stored = session.get(CheckinPoint, school.kiosk_id).token_hash
        assert stored != school.kiosk_token and len(stored) == 64  # only its SHA-256 is kept
        session.get(CheckinPoint, school.kiosk_id).active = False
    with pg.session() as session:
        assert point_by_token(session, school.kiosk_token) is None


def test_a_person_who_left_is_refused_and_their_face_is_forgotten(pg, school, clock):
    with pg.session() as session:
        session.scalars(select(StaffMember)).one().left_on = date(2025, 3, 1)
    with pytest.raises(FaceRefused) as refused:
        kiosk_check_in(pg, school.kiosk_token, pictures.kiosk_frame("obama2"))
    assert refused.value.problem == FaceProblem.left
    with pg.session() as session:
        assert count(session, Checkin) == count(session, FrameSeen) == 0
        assert upkeep.forget_leavers(session, clock.now) == 1
    with pg.session() as session:
        assert count(session, FaceEncoding) == 0
        assert session.scalars(select(Enrolment)).one().status == EnrolmentStatus.withdrawn
    with pytest.raises(FieldError), pg.session() as session:
        enrolment.enrol(session, staff=session.scalars(select(StaffMember)).one(), photos=[pictures.photo_bytes("obama")],
                        consent=True, note="", actor="admin", user_id=None)


def test_enrolment_needs_consent_and_one_to_five_real_photos(pg, school):
    with pg.session() as session:
        person = hire(session, school, "D002", "Joe")
        for photos, consent in ([], True), ([pictures.photo_bytes("biden")] * 6, True), ([b"nope"], True), \
                ([pictures.photo_bytes("biden")], False):
            with pytest.raises(FieldError):
                enrolment.enrol(session, staff=person, photos=photos, consent=consent, note="", actor="a", user_id=None)
        assert count(session, Enrolment) == 1  # only the first person's


def test_a_second_school_never_matches_the_first_schools_people(pg, school):
    with pg.session() as session:
        other = staff_school(session, pg.people())
    outcome = kiosk_check_in(pg, other.kiosk_token, pictures.kiosk_frame("obama2"))
    assert outcome.problem == FaceProblem.unknown and outcome.attempt is not None and outcome.attempt.distance is None
    with pg.session() as session:
        assert count(session, Checkin) == 0


def test_a_person_who_asks_is_forgotten_and_no_longer_matches(pg, school):
    with pg.session() as session:
        person = session.scalars(select(StaffMember)).one()
        assert enrolment.withdraw(session, staff=person, reason="asked on 5 December", actor="admin")
        assert not enrolment.withdraw(session, staff=person, reason="twice", actor="admin")
    with pg.session() as session:
        assert count(session, FaceEncoding) == count(session, PendingPhoto) == 0
        assert session.scalars(select(Enrolment)).one().withdrawn_reason == "asked on 5 December"
    outcome = kiosk_check_in(pg, school.kiosk_token, pictures.kiosk_frame("obama2"))
    assert outcome.problem == FaceProblem.unknown  # the cached gallery was rebuilt at the new version


def test_a_school_that_keeps_photos_keeps_a_small_copy(pg, school):
    with pg.session() as session:
        pg.runtime.rules.save(session, school_id=school.school_id, content={"school": {"attendance.enrolment.keep_photos": True}},
                              author="admin", comment="keep photos")
        person = hire(session, school, "D002", "Joe")
        enrolment.enrol(session, staff=person, photos=[pictures.photo_bytes("biden")], consent=True, note="", actor="a",
                        user_id=None, batch="b1")
        assert enrolment.batch_progress(session, school_id=school.school_id, batch="b1").done == 0
    enrolment.encode_waiting(pg.runtime.host.session_factory, pg.runtime.rules)
    with pg.session() as session:
        kept = session.scalars(select(FaceEncoding).where(FaceEncoding.staff_id == person.id)).one().photo
        assert kept is not None and kept[:3] == b"\xff\xd8\xff"
        progress = enrolment.batch_progress(session, school_id=school.school_id, batch="b1")
        assert (progress.total, progress.done, progress.ready, progress.finished) == (1, 1, 1, True)
