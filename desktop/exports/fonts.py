"""The bundled fonts every printed page uses (``resources/fonts``, DejaVu Sans).

DejaVu Sans covers Latin, Cyrillic and every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І), so one
family serves English, Russian and Kazakh pages and pages with two languages side by side.
ReportLab embeds the glyphs used (a subset) in every PDF it writes with them.

Call :func:`register_fonts` before building a page; it is cheap after the first call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


@cache
def register_fonts() -> Fonts:
    """Register the bundled fonts with ReportLab (once per process) and return their names.

    The family is registered too, so ``<b>`` and ``<i>`` in a Paragraph pick the bold and
    oblique faces.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for name, filename in FILES.items():
        path = FONT_DIR / filename
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
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
