"""Reading back the PDFs our printed pages make: text per page, fonts, QR codes."""

from __future__ import annotations

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
