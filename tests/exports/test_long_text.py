"""Issue 11, section 1: long text never breaks a page.

Every printed artefact is rendered with the long-name data (``tests/exports/long_data.py``) in
English, Russian and Kazakh, and side by side where it has that, and read back with pdfplumber:

* every word lies inside the page's margins (badges: inside its own badge, as cut from the
  sheet; name cards: inside its half of the folded card);
* no word touches a table's column rule (row numbers, titles side by side; the report's charts
  put their labels beside an axis by design and are left out);
* on badges no letter is smaller than the issue's floor (8 pt on A4×10 and ID-1, 9 pt on A4×8
  and A6);
* the sign-in sheet cuts nothing with "…" (organisation and position wrap in full).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.exports.conftest import LongEvent
from tests.exports.long_data import GERMAN, KAZAKH
from tests.exports.pdf_tools import (
    Frame,
    FramesForPage,
    page_texts,
    smallest_font_size,
    smallest_words,
    within_margins,
    words_outside,
    words_touching_rules,
)

MM = 72 / 25.4
LANGS = ("en", "ru", "kk")
PAIRS = ("en+ru", "en+kk", "ru+kk")

# The floor for the letters on a badge, by layout.
BADGE_MIN_PT = {"a4-10": 8.0, "id1": 8.0, "a4-8": 9.0, "a6": 9.0}
# A word may come no closer than this to a badge's cut: a guillotine strays by about a millimetre.
BADGE_SAFE = 1.0 * MM
# The printable page: no word nearer the edge than this (a desk printer leaves 4–5 mm blank);
# the text of a page keeps further in from the sides.
PAGE_EDGE = 6 * MM
PAGE_SIDE = 10 * MM
# A word keeps this far from a column rule beside it.
RULE_CLEARANCE = 1.0 * MM

Render = Callable[[LongEvent, Path, str], Any]


def _programme(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.programme import export_programme

    return export_programme(long.database, path, long.event_id, lang=lang)


def _sign_in(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.sign_in import export_sign_in_sheet

    return export_sign_in_sheet(long.database, path, long.event_id, lang=lang)


def _sign_in_by_sector(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.sign_in import export_sign_in_sheet

    return export_sign_in_sheet(long.database, path, long.event_id, lang=lang, group_by_sector=True)


def _attendance(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.sign_in import export_sign_in_sheet

    return export_sign_in_sheet(long.database, path, long.event_id, lang=lang, only_checked_in=True)


def _name_cards(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.name_cards import export_name_cards

    return export_name_cards(long.database, path, long.event_id, lang=lang)


def _certificates(long: LongEvent, path: Path, lang: str) -> Any:
    from desktop.exports.certificates import export_certificates

    return export_certificates(long.database, path, long.event_id, lang=lang)


def _report(long: LongEvent, path: Path, lang: str) -> Any:
    if importlib.util.find_spec("desktop.exports.report") is None:
        pytest.skip("the participation report (desktop/exports/report.py) is not there yet")
    from desktop.exports.report import export_report

    return export_report(long.database, path, long.event_id, lang=lang)


def _badges(layout: str) -> Render:
    def render(long: LongEvent, path: Path, lang: str) -> Any:
        from desktop.exports.badges import export_badges

        return export_badges(long.database, path, long.event_id, layout=layout, lang=lang)

    return render


def _fold_halves(_index: int, width: float, height: float) -> list[Frame]:
    """A name card's two faces: each word inside the upper or the lower half of the sheet."""
    half = height / 2
    return [(PAGE_SIDE, PAGE_EDGE, width - PAGE_SIDE, half), (PAGE_SIDE, half, width - PAGE_SIDE, height - PAGE_EDGE)]


PAGES: dict[str, tuple[Render, FramesForPage]] = {
    "programme": (_programme, within_margins(PAGE_SIDE, PAGE_EDGE)),
    "sign-in": (_sign_in, within_margins(PAGE_SIDE, PAGE_EDGE)),
    "sign-in-by-sector": (_sign_in_by_sector, within_margins(PAGE_SIDE, PAGE_EDGE)),
    "attendance": (_attendance, within_margins(PAGE_SIDE, PAGE_EDGE)),
    "name-cards": (_name_cards, _fold_halves),
    # Inside the certificate's double border (drawn 10 and 13 mm from the edges).
    "certificates": (_certificates, within_margins(15 * MM)),
    "report": (_report, within_margins(PAGE_SIDE, PAGE_EDGE)),
}

# Tests for rules the artefacts do not keep yet (others are fixing them as these are written):
# strict, so the test says so the day one is kept and the mark is to go.
# None today: every case passes with the artefacts as they stand (the badges' floor landed as
# this test was written). Add ("size", "badges-a4-10"): "issue 11 §1: …" and the like.
KNOWN: dict[tuple[str, str], str] = {}


def _known(test: str, artefact: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN.get((test, artefact))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _cases(test: str, artefacts: list[str], pairs: bool = False) -> list[Any]:
    out = []
    for artefact in artefacts:
        for lang in LANGS + (PAIRS if pairs and artefact == "programme" else ()):
            out.append(pytest.param(artefact, lang, id=f"{artefact}-{lang}", marks=_known(test, artefact)))
    return out


def _render(render: Render, long: LongEvent, tmp_path: Path, name: str, lang: str) -> Path:
    path = tmp_path / f"{name}-{lang}.pdf"
    render(long, path, lang)
    return path


def _listing(found: list[Any], limit: int = 8) -> str:
    more = f"\n… and {len(found) - limit} more" if len(found) > limit else ""
    return "\n".join(str(w) for w in found[:limit]) + more


@pytest.mark.parametrize(("artefact", "lang"), _cases("inside", list(PAGES), pairs=True))
def test_every_word_is_inside_the_page(long_event: LongEvent, tmp_path: Path, artefact: str, lang: str) -> None:
    render, frames = PAGES[artefact]
    pdf = _render(render, long_event, tmp_path, artefact, lang)
    outside = words_outside(pdf, frames)
    assert not outside, f"words outside the page's margins:\n{_listing(outside)}"


@pytest.mark.parametrize(("artefact", "lang"),
                         _cases("rules", ["programme", "sign-in", "attendance"], pairs=True))
def test_no_word_touches_a_column_rule(long_event: LongEvent, tmp_path: Path, artefact: str, lang: str) -> None:
    render, _frames = PAGES[artefact]
    pdf = _render(render, long_event, tmp_path, artefact, lang)
    touching = words_touching_rules(pdf, RULE_CLEARANCE)
    assert not touching, f"words on or within {RULE_CLEARANCE / MM:.0f} mm of a column rule:\n{_listing(touching)}"


@pytest.mark.parametrize(("artefact", "lang"), _cases("uncut", ["sign-in", "attendance"]))
def test_the_sign_in_sheet_cuts_nothing(long_event: LongEvent, tmp_path: Path, artefact: str, lang: str) -> None:
    render, _frames = PAGES[artefact]
    text = "\n".join(page_texts(_render(render, long_event, tmp_path, artefact, lang)))
    assert "…" not in text, "a cell or the footer is cut with '…' instead of wrapping"
    flat = text.replace("-\n", "-").replace("\n", " ")
    assert KAZAKH.given in flat and "Hohenzollern" in flat and GERMAN.given.split()[0] in flat


# ---- Badges: each word inside its own badge; no letter below the floor ----


def badge_cells(layout: str, inset: float = BADGE_SAFE) -> FramesForPage:
    """The badges of a sheet as cut (from the layout's geometry in desktop/exports/badges.py),
    each less ``inset`` on every side, in pdfplumber's coordinates (from the top-left)."""
    from desktop.exports.badges import layout_class

    sheet = layout_class(layout)
    bw, bh = sheet.badge_mm[0] * MM, sheet.badge_mm[1] * MM

    def frames(_index: int, width: float, height: float) -> list[Frame]:
        x0 = (width - sheet.cols * bw) / 2
        y0 = (height - sheet.rows * bh) / 2
        return [(x0 + col * bw + inset, y0 + row * bh + inset, x0 + (col + 1) * bw - inset, y0 + (row + 1) * bh - inset)
                for row in range(sheet.rows) for col in range(sheet.cols)]

    return frames


def _badge_cases(test: str) -> list[Any]:
    return [pytest.param(layout, lang, id=f"{layout}-{lang}", marks=_known(test, f"badges-{layout}"))
            for layout in BADGE_MIN_PT for lang in LANGS]


@pytest.mark.parametrize(("layout", "lang"), _badge_cases("inside"))
def test_every_word_is_inside_its_badge(long_event: LongEvent, tmp_path: Path, layout: str, lang: str) -> None:
    pdf = _render(_badges(layout), long_event, tmp_path, f"badges-{layout}", lang)
    outside = words_outside(pdf, badge_cells(layout))
    assert not outside, (f"words outside their badge (or within {BADGE_SAFE / MM:.0f} mm of its cut):\n"
                         f"{_listing(outside)}")


@pytest.mark.parametrize(("layout", "lang"), _badge_cases("size"))
def test_no_letter_on_a_badge_is_below_the_floor(long_event: LongEvent, tmp_path: Path, layout: str,
                                                  lang: str) -> None:
    pdf = _render(_badges(layout), long_event, tmp_path, f"badges-{layout}", lang)
    floor = BADGE_MIN_PT[layout]
    smallest = smallest_font_size(pdf)
    assert smallest >= floor - 0.01, (f"letters of {smallest:.1f} pt on {layout} badges (at least {floor:g} pt):\n"
                                      f"{_listing(smallest_words(pdf, floor))}")


def test_the_cells_are_where_the_badges_are(long_event: LongEvent, tmp_path: Path) -> None:
    """The cells computed here hold the badges' words (and the check can fail: shifted by half a
    badge, they do not)."""
    from desktop.exports.badges import layout_class

    pdf = _render(_badges("a4-10"), long_event, tmp_path, "badges", "en")
    half = layout_class("a4-10").badge_mm[0] * MM / 2

    def shifted(index: int, width: float, height: float) -> list[Frame]:
        return [(x0 + half, top, x1 + half, bottom) for x0, top, x1, bottom in badge_cells("a4-10", 0)(index, width,
                                                                                                        height)]

    assert not words_outside(pdf, badge_cells("a4-10", 0))
    assert len(words_outside(pdf, shifted)) > 20
