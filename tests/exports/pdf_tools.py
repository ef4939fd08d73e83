"""Reading back the PDFs our printed pages make: text per page, fonts, QR codes, and where each
word lies and how small it is printed (pdfplumber)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.databases import Templates


def page_texts(path: Path) -> list[str]:
    """The text of each page, in the order it was drawn."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def fonts_of(path: Path) -> dict[str, bool]:
    """Every font the pages use: its base name → whether its glyphs are embedded."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}

    def visit(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            faces = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for face in faces:
                descriptor = face.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font.get("/BaseFont"))] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def page_sizes_mm(path: Path) -> set[tuple[float, float]]:
    from pypdf import PdfReader

    return {(round(float(p.mediabox.width) / 72 * 25.4, 1), round(float(p.mediabox.height) / 72 * 25.4, 1))
            for p in PdfReader(path).pages}


def qr_codes(path: Path, scale: float = 3.0) -> list[list[str]]:
    """The QR codes a camera would read on each page, rendered at ``scale`` × 72 dpi."""
    import pypdfium2 as pdfium
    import zxingcpp

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            image = pdf[i].render(scale=scale).to_pil()
            pages.append([r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)])
        return pages
    finally:
        pdf.close()


def demo_database(folder: Path, templates: Templates) -> tuple[Any, int]:
    """A new SQLite database in ``folder`` holding the demo event: (database, event id).

    ``templates`` is the ``db_templates`` fixture: the file is a copy of its demo template.
    """
    from db.engine import open_database

    database = open_database(templates.copy_sqlite("demo", folder / "demo.sqlite"))
    return database, templates.demo_event_id["sqlite"]


# ---- Where the words lie (pdfplumber): every word inside its frame, the smallest font ----

Frame = tuple[float, float, float, float]
"""A rectangle on a page in points, measured as pdfplumber does from the top-left corner:
(x0, top, x1, bottom)."""

FramesForPage = Callable[[int, float, float], Sequence[Frame]]
"""The frames of a page, given its index and size (width, height) in points."""


@dataclass(frozen=True)
class Word:
    """A word on a page: its box in points from the page's top-left corner, and the size of its
    smallest letter as printed (the font size times the scale the page's transform gives it)."""

    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    def inside(self, frame: Frame, tolerance: float = 0.5) -> bool:
        x0, top, x1, bottom = frame
        return (self.x0 >= x0 - tolerance and self.x1 <= x1 + tolerance
                and self.top >= top - tolerance and self.bottom <= bottom + tolerance)

    def __str__(self) -> str:
        return (f"page {self.page + 1}: {self.text!r} at ({self.x0:.1f}, {self.top:.1f})–"
                f"({self.x1:.1f}, {self.bottom:.1f}) pt, {self.size:.1f} pt")


def printed_size(char: Mapping[str, Any]) -> float:
    """The size a letter is printed at, whatever the page's transform (scaled, rotated).

    pdfminer boxes a horizontal glyph as ``adv`` wide and one font size high in text space, then
    maps the box by the text matrix (a b c d); its own ``size`` is the box's height, which for a
    letter turned by 90° is its advance instead. The font size is found again from the box
    and the matrix, and scaled by how much the matrix stretches the glyph's vertical."""
    a, b, c, d = (abs(v) for v in char["matrix"][:4])
    adv = float(char["adv"])
    if d >= c:
        font_size = (float(char["height"]) - b * adv) / d
    else:
        font_size = (float(char["width"]) - a * adv) / c
    return font_size * math.hypot(c, d)


def words(path: Path) -> list[list[Word]]:
    """The words of each page with their boxes (letters joined when less than 1 pt apart)."""
    import pdfplumber

    pages: list[list[Word]] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            found = page.extract_words(x_tolerance=1, y_tolerance=1, keep_blank_chars=False,
                                       use_text_flow=False, return_chars=True)
            pages.append([
                Word(index, w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                     min(printed_size(ch) for ch in w["chars"]))
                for w in found
            ])
    return pages


def page_size(path: Path, index: int = 0) -> tuple[float, float]:
    """The size of a page in points: (width, height)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        return float(page.width), float(page.height)


def within_margins(left: float, top: float | None = None, right: float | None = None,
                   bottom: float | None = None) -> FramesForPage:
    """The one frame of every page: the page less its margins (in points; like CSS, one value
    gives all four)."""
    top = left if top is None else top
    right = left if right is None else right
    bottom = top if bottom is None else bottom

    def frames(_index: int, width: float, height: float) -> list[Frame]:
        return [(left, top, width - right, height - bottom)]

    return frames


def words_outside(path: Path, frames_for_page: FramesForPage, tolerance: float = 0.5) -> list[Word]:
    """Every word that lies inside none of its page's frames (a word across two frames is
    outside): the empty list when the pages keep every word in its place."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
    outside: list[Word] = []
    for index, page_words in enumerate(words(path)):
        frames = frames_for_page(index, *sizes[index])
        outside.extend(w for w in page_words if not any(w.inside(f, tolerance) for f in frames))
    return outside


def smallest_font_size(path: Path) -> float:
    """The size of the smallest letter printed in the document, in points (as printed: a font
    drawn at 10 pt on a page scaled by a half counts as 5 pt)."""
    import pdfplumber

    smallest = math.inf
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                if char["text"].strip():
                    smallest = min(smallest, printed_size(char))
    return smallest


def smallest_words(path: Path, limit: float) -> list[Word]:
    """The words with a letter smaller than ``limit`` points (to say which in a failure)."""
    return [w for page in words(path) for w in page if w.size < limit - 0.01]


def vertical_rules(path: Path, thinner_than: float = 1.5) -> list[list[tuple[float, float, float]]]:
    """The vertical rules drawn on each page: (x, top, bottom) of every vertical line, and of
    every rectangle thinner than ``thinner_than`` points (a rule drawn as a filled bar)."""
    import pdfplumber

    pages: list[list[tuple[float, float, float]]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rules = [((float(ln["x0"]) + float(ln["x1"])) / 2, float(ln["top"]), float(ln["bottom"]))
                     for ln in page.lines if abs(float(ln["x1"]) - float(ln["x0"])) < 0.01]
            rules += [((float(r["x0"]) + float(r["x1"])) / 2, float(r["top"]), float(r["bottom"]))
                      for r in page.rects if float(r["x1"]) - float(r["x0"]) < thinner_than
                      and float(r["bottom"]) - float(r["top"]) > thinner_than]
            pages.append(rules)
    return pages


def words_touching_rules(path: Path, clearance: float) -> list[Word]:
    """Every word that comes closer than ``clearance`` points to a vertical rule beside it (or
    crosses one): a table's words must keep clear of its column lines."""
    touching: list[Word] = []
    for page_words, rules in zip(words(path), vertical_rules(path), strict=True):
        for w in page_words:
            for x, top, bottom in rules:
                if top < w.bottom - 1 and bottom > w.top + 1 and w.x0 - clearance < x < w.x1 + clearance:
                    touching.append(w)
                    break
    return touching
