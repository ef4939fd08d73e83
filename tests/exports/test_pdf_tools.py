"""The tools that read where words lie and how small they are printed can fail: a word drawn
off the page, across two frames, or in 5 pt is found; words in place are not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from desktop.exports.fonts import register_fonts
from tests.exports.pdf_tools import (
    smallest_font_size,
    smallest_words,
    within_margins,
    words,
    words_outside,
    words_touching_rules,
)

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from desktop.exports.fonts import Fonts

A4 = (595.2756, 841.8898)


def _pdf(path: Path, draw: Callable[[Canvas, Fonts], object]) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    fonts = register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(fonts.regular, 10)
    draw(canvas, fonts)
    canvas.showPage()
    canvas.save()
    return path


def test_words_have_their_boxes(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "a.pdf", lambda c, f: c.drawString(100, 700, "Дүйсенбекова-Сатпаева Гүлназ"))
    (page,) = words(pdf)
    assert [w.text for w in page] == ["Дүйсенбекова-Сатпаева", "Гүлназ"]
    first = page[0]
    assert first.x0 == pytest.approx(100, abs=0.1)
    assert first.top < A4[1] - 700 < first.bottom  # the baseline, measured from the top
    assert first.size == pytest.approx(10)


def test_a_word_off_the_page_is_outside(tmp_path: Path) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.drawString(72, 700, "In place")
        c.drawString(A4[0] - 40, 600, "Hohenzollern-Sigmaringen")  # runs past the right edge

    pdf = _pdf(tmp_path / "off.pdf", draw)
    outside = words_outside(pdf, within_margins(36))
    assert [w.text for w in outside] == ["Hohenzollern-Sigmaringen"]
    assert "page 1" in str(outside[0])


def test_a_word_in_the_margin_is_outside(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "margin.pdf", lambda c, f: c.drawString(72, 20, "footer"))  # 20 pt from the foot
    assert words_outside(pdf, within_margins(36))
    assert not words_outside(pdf, within_margins(10))


def test_a_word_across_two_frames_is_outside(tmp_path: Path) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.drawString(20, 700, "left")
        c.drawString(280, 700, "across")

    pdf = _pdf(tmp_path / "cells.pdf", draw)
    half = A4[0] / 2

    def cells(_index: int, width: float, height: float) -> list[tuple[float, float, float, float]]:
        return [(0, 0, half, height), (half, 0, width, height)]

    assert [w.text for w in words_outside(pdf, cells)] == ["across"]


def test_the_smallest_font_is_found(tmp_path: Path) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.drawString(72, 700, "Ten points")
        c.setFont(f.regular, 5)
        c.drawString(72, 680, "five")

    assert smallest_font_size(_pdf(tmp_path / "five.pdf", draw)) == pytest.approx(5, abs=0.01)
    assert [w.text for w in smallest_words(tmp_path / "five.pdf", 8)] == ["five"]
    assert smallest_font_size(_pdf(tmp_path / "ten.pdf", lambda c, f: c.drawString(72, 700, "x"))) == pytest.approx(10)


@pytest.mark.parametrize("angle", [90, 180, 270, 30])
def test_the_size_is_as_printed_when_turned(tmp_path: Path, angle: int) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.setFont(f.regular, 8)
        c.saveState()
        c.translate(300, 400)
        c.rotate(angle)
        c.drawString(0, 0, "Turned words")
        c.restoreState()

    assert smallest_font_size(_pdf(tmp_path / "turned.pdf", draw)) == pytest.approx(8, abs=0.01)


def test_the_size_is_as_printed_when_scaled(tmp_path: Path) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.saveState()
        c.scale(0.5, 0.5)
        c.drawString(200, 200, "Shrunk")  # 10 pt on a page drawn at half size
        c.restoreState()

    assert smallest_font_size(_pdf(tmp_path / "scaled.pdf", draw)) == pytest.approx(5, abs=0.01)


def test_a_word_touching_a_rule_is_found(tmp_path: Path) -> None:
    def draw(c: Canvas, f: Fonts) -> None:
        c.line(100, 600, 100, 720)  # a column line
        c.drawString(60, 700, "42")  # ends well before it
        c.drawString(101, 680, "Touching")  # starts on it
        c.drawString(110, 660, "Clear")  # 10 pt to its right
        c.drawString(60, 500, "Below")  # under the line's end: not beside it
        c.drawString(90, 640, "Across")  # drawn over it

    pdf = _pdf(tmp_path / "rules.pdf", draw)
    assert sorted(w.text for w in words_touching_rules(pdf, clearance=2)) == ["Across", "Touching"]
