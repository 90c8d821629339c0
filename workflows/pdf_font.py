"""The font Chinese text is set in on every PDF we make (reports, room QR-code sheets).

An installed CJK TrueType font, embedded so that every viewer shows it (Debian's ``fonts-wqy-microhei``, which the
image and the test script install). Without one it falls back to reportlab's built-in CID font STSong-Light, which
needs no file but is not embedded: viewers without Asian fonts show blanks.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT = "HouqinCJK"
CID_FONT = "STSong-Light"
FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
              Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
              Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))


@cache
def cjk_font() -> str:
    """Register the font once and return its name: the first installed CJK file, else the CID font."""
    path = next((p for p in FONT_FILES if p.is_file()), None)
    if path is not None:
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        return FONT
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT
