"""The bundled fonts cover every letter our three languages print, and travel with their licence."""

from __future__ import annotations

import pytest

from desktop.exports.fonts import FILES, FONT_DIR, REQUIRED_LETTERS, missing_letters, register_fonts


def test_every_bundled_face_has_every_kazakh_russian_and_latin_letter() -> None:
    fonts = register_fonts()
    for name in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
        assert missing_letters(name) == "", name
    assert set("ӘҒҚҢӨҰҮҺІ") <= set(REQUIRED_LETTERS)


def test_a_letter_the_font_lacks_is_reported() -> None:
    register_fonts()
    # Egyptian hieroglyph A001: not in DejaVu Sans.
    assert missing_letters("DejaVuSans", "Ә\U00013000") == "\U00013000"


@pytest.mark.parametrize("filename", [*FILES.values(), "LICENSE.txt"])
def test_fonts_and_licence_are_in_resources(filename: str) -> None:
    path = FONT_DIR / filename
    assert path.is_file() and path.stat().st_size > 0
    if filename == "LICENSE.txt":
        text = path.read_text(encoding="utf-8")
        assert "Bitstream" in text and "DejaVu" in text
