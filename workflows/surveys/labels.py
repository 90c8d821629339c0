"""The words of a survey for pages, the API and the Excel sheet, as catalog msgids."""
from workflows.i18n import N_
from workflows.surveys.enums import Audience, QuestionKind, Status
from workflows.surveys.models import Survey

STATUS_WORDS: dict[str, str] = {
    Status.draft: N_("Draft"), Status.scheduled: N_("Waiting to open"), Status.open: N_("Open"),
    Status.closed: N_("Closed"),
}
AUDIENCE_WORDS: dict[str, str] = {
    Audience.students: N_("Students"), Audience.staff: N_("Staff"), Audience.diners: N_("Diners of a canteen"),
    Audience.residents: N_("Residents of a building"), Audience.everyone: N_("Everyone with the link"),
}
KIND_WORDS: dict[str, str] = {
    QuestionKind.single: N_("Single choice"), QuestionKind.multiple: N_("Multiple choice"),
    QuestionKind.rating: N_("Rating"), QuestionKind.nps: N_("Would you recommend (0–10)"),
    QuestionKind.text: N_("Written answer"),
}


def text(item: dict, locale: str, stem: str = "text") -> str:
    """A question's, section's or option's text in the reader's language (Chinese when no English was written)."""
    if locale.startswith("en"):
        return item.get(f"{stem}_en") or item.get("en") or item.get(f"{stem}_zh") or item.get("zh") or ""
    return item.get(f"{stem}_zh") or item.get("zh") or ""


def title(survey: Survey, locale: str) -> str:
    return survey.title_en if locale.startswith("en") and survey.title_en else survey.title_zh


def intro(survey: Survey, locale: str) -> str:
    return survey.intro_en if locale.startswith("en") and survey.intro_en else survey.intro_zh
