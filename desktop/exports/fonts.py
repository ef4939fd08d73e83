"""The bundled fonts every printed page uses (``resources/fonts``, DejaVu Sans).

DejaVu Sans covers Latin, Cyrillic and every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І), so one
family serves English, Russian and Kazakh pages and pages with two languages side by side.
ReportLab embeds the glyphs used (a subset) in every PDF it writes with them.

Call :func:`register_fonts` before building a page; it is cheap after the first call.

Every embedded subset is named with a tag of its own (``QXKTRB+DejaVuSans``), made from the
font, the subset's number and the letters it holds: ReportLab names every document's first
subset ``AAAAAA+``, so two of our PDFs merged into one held different fonts of the same
name, which preflight tools reject and some viewers mix up. The same subset gets the same
tag (the output stays reproducible); a different one, in this document or another, does not.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans-Family"

FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# Letters a font for our pages must have: Kazakh's own, Russian's, and Latin with diacritics.
REQUIRED_LETTERS = (
    "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ÀÉÖÜßàéöüśńłćżźçñ"
)


class FontError(Exception):
    """A bundled font is missing or unreadable (an installation problem)."""


@dataclass(frozen=True)
class Fonts:
    """The registered names, for ParagraphStyle(fontName=…) and canvas.setFont(…)."""

    regular: str = REGULAR
    bold: str = BOLD
    italic: str = ITALIC
    bold_italic: str = BOLD_ITALIC
    family: str = FAMILY


TAG_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# The tags of the font whose subsets ReportLab is writing now (per thread: exports may run
# beside each other), read by the tag function ReportLab calls.
_tags: contextvars.ContextVar[Sequence[bytes] | None] = contextvars.ContextVar("subset_tags", default=None)


def subset_tag(font_name: str, number: int, codes: Sequence[int]) -> bytes:
    """The six capital letters that name a font subset in a PDF: from the font's name, the
    subset's number and the characters it holds, in order."""
    digest = hashlib.sha256(f"{font_name}\0{number}\0".encode())
    digest.update(",".join(map(str, codes)).encode())
    value = int.from_bytes(digest.digest()[:8], "big")
    letters = []
    for _ in range(6):
        value, n = divmod(value, len(TAG_LETTERS))
        letters.append(TAG_LETTERS[n])
    return "".join(letters).encode("ascii")


@cache
def _font_class() -> type:
    """ReportLab's TrueType font, its subsets tagged by :func:`subset_tag`.

    ReportLab asks its module's ``SUBSETN(n)`` for the tag of subset ``n`` while it writes a
    font's subsets (``TTFont.addObjects``); that function is wrapped once to answer with the
    tags this font worked out before (and as before for any other font)."""
    from reportlab.pdfbase import ttfonts

    plain = ttfonts.SUBSETN

    def tag_of(n: int, *args: Any) -> bytes:
        tags = _tags.get()
        if tags is None or not 0 <= n < len(tags):
            return bytes(plain(n, *args))
        return tags[n]

    setattr(ttfonts, "SUBSETN", tag_of)  # noqa: B010 - a module's function, replaced on purpose

    class TaggedTTFont(ttfonts.TTFont):
        def addObjects(self, doc: Any) -> None:
            state = self.state.get(doc)
            subsets = state.subsets if state is not None else []
            token = _tags.set([subset_tag(self.fontName, n, codes) for n, codes in enumerate(subsets)])
            try:
                super().addObjects(doc)
            finally:
                _tags.reset(token)

    return TaggedTTFont


@cache
def register_fonts() -> Fonts:
    """Register the bundled fonts with ReportLab (once per process) and return their names.

    The family is registered too, so ``<b>`` and ``<i>`` in a Paragraph pick the bold and
    oblique faces.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    font_class = _font_class()
    for name, filename in FILES.items():
        path = FONT_DIR / filename
        try:
            pdfmetrics.registerFont(font_class(name, str(path)))
        except (OSError, TTFError) as exc:
            raise FontError(f"the bundled font {path} cannot be read ({exc}); reinstall Conference Desk.") from None
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    for name in FILES:
        # Paragraph markup looks the family up by the face's own name as well.
        pdfmetrics.registerFontFamily(name, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return Fonts()


def missing_letters(font_name: str, letters: str = REQUIRED_LETTERS) -> str:
    """The letters of ``letters`` that the registered font ``font_name`` has no glyph for."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):  # one of PDF's standard fonts: no glyph table to look in
        raise FontError(f"{font_name} is not a TrueType font; its letters cannot be checked.")
    widths = font.face.charWidths  # code point -> advance width, for every glyph the font has
    return "".join(ch for ch in letters if ord(ch) not in widths)
