"""Rows that a school names in both languages the product speaks (a service item, a post, a certificate type).

Such names are data, not messages: the catalogues cannot translate them, so the row holds both and answers in
the reader's language."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column


class BilingualName:
    """``name_zh`` and ``name_en``, and :meth:`name` in a locale (English for ``en``, else Chinese)."""

    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_zh


class SchoolVocabulary(BilingualName):
    """An entry of a school's own list (its posts, its certificate types): a code unique in the school, both names,
    and ``active`` (an entry is switched off, never deleted, so old records keep their names)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
