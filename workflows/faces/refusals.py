"""Why a photo is refused for enrolment or check-in, as a type and as the sentence the person reads.

Each refusal asks for something the person can do (come closer, hold still, one person at a time), so a kiosk
can show it and the next frame can succeed."""
from __future__ import annotations

from enum import StrEnum

from workflows.i18n import N_


class FaceProblem(StrEnum):
    empty = "empty"  # nothing was sent
    too_large = "too_large"  # more bytes or pixels than a photo of a face needs
    not_image = "not_image"  # the bytes are no picture we read
    no_face = "no_face"
    several_faces = "several_faces"
    too_small = "too_small"  # the face is too few pixels across to tell people apart
    blurred = "blurred"
    replayed = "replayed"  # the very same frame was sent before
    unknown = "unknown"  # a face, but nobody enrolled in the school
    left = "left"  # the person matched (or named by a terminal) has left
    not_you = "not_you"  # a phone check-in whose face is someone else's
    not_staff = "not_staff"  # a phone account or a terminal's staff number not in the staff register


PROBLEM_WORDS: dict[str, str] = {
    FaceProblem.empty: N_("No photo was sent."),
    FaceProblem.too_large: N_("The photo is too large; send a photo of at most 8 MB and 40 megapixels."),
    FaceProblem.not_image: N_("This file is not a photo (JPEG, PNG or WebP)."),
    FaceProblem.no_face: N_("No face was found in the photo; look at the camera."),
    FaceProblem.several_faces: N_("More than one face is in the photo; one person at a time, please."),
    FaceProblem.too_small: N_("The face is too small in the photo; come closer to the camera."),
    FaceProblem.blurred: N_("The photo is blurred; hold still and try again."),
    FaceProblem.replayed: N_("This exact photo was already sent; take a new one."),
    FaceProblem.unknown: N_("This face is not enrolled in the school; the attempt is kept for review."),
    FaceProblem.left: N_("This person has left the service; check-ins are closed for them."),
    FaceProblem.not_you: N_("This face is not yours; check in with your own face."),
    FaceProblem.not_staff: N_("This person is not in the staff register."),
}


class FaceRefused(ValueError):
    """A photo refused for ``problem``; ``str()`` is the English sentence, pages translate :attr:`words`."""

    def __init__(self, problem: FaceProblem):
        super().__init__(PROBLEM_WORDS[problem])
        self.problem = problem

    @property
    def words(self) -> str:
        return PROBLEM_WORDS[self.problem]
