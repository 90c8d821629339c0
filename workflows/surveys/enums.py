"""The words of a survey, as stored strings: its state, audience, question kinds and audit actions."""
from enum import StrEnum


class Status(StrEnum):
    draft = "draft"  # being written; nobody sees it
    scheduled = "scheduled"  # published, waiting for its opening date
    open = "open"  # taking answers
    closed = "closed"  # past its closing date: results only


class Audience(StrEnum):
    """Who is asked. Students and staff are the school's accounts of that kind; diners of a canteen and residents
    of a building have no list in the platform, so they answer by the survey's link (with their login) or by the
    one-time links handed out to them."""

    students = "students"
    staff = "staff"
    diners = "diners"
    residents = "residents"
    everyone = "everyone"


class QuestionKind(StrEnum):
    single = "single"  # one option
    multiple = "multiple"  # any options
    rating = "rating"  # 1 … scale stars
    nps = "nps"  # 0 … 10, would you recommend
    text = "text"


class Channel(StrEnum):
    """How an answer came in: a logged-in person, or a one-time link handed to an invitee."""

    login = "login"
    token = "token"


class SurveyAction(StrEnum):
    """Audit actions of a survey (its business events)."""

    created = "surveys.created"
    edited = "surveys.edited"
    published = "surveys.published"
    opened = "surveys.opened"
    reminded = "surveys.reminded"
    answered = "surveys.answered"
    invited = "surveys.invited"
    closed = "surveys.closed"
