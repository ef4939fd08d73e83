"""Font subsets get tags of their own (issue 11, section 5): not every document's first
subset "AAAAAA+", so merged PDFs and preflight tools do not meet two fonts of one name."""

from __future__ import annotations

from pathlib import Path

from desktop.exports.fonts import missing_letters, register_fonts, subset_tag
from tests.exports.conftest import LongEvent


def _base_fonts(path: Path) -> list[str]:
    """The BaseFont names of every embedded subset in a PDF ("TAG+Name"; a canvas's unused
    Helvetica, named without a tag, is left out)."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    reader = PdfReader(path)
    names = []
    for n in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(n)
        except Exception:  # noqa: BLE001 - a free object number
            continue
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Font" and "/BaseFont" in obj:
            if "+" in str(obj["/BaseFont"]):
                names.append(str(obj["/BaseFont"]))
    return names


def _tags(names: list[str]) -> list[str]:
    return [name.lstrip("/").split("+")[0] for name in names]


def _document(path: Path, lines: list[tuple[str, str]]) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    canvas = Canvas(str(path))
    y = 800
    for font, text in lines:
        canvas.setFont(font, 10)
        canvas.drawString(72, y, text)
        y -= 14
    canvas.save()
    return path


def test_subset_tags_differ_across_documents_and_within_one(tmp_path: Path) -> None:
    fonts = register_fonts()
    # More than 256 different letters: the regular face needs a second subset.
    letters = [chr(c) for c in [*range(0x21, 0x17F), *range(0x400, 0x4FF)]]
    many = "".join(ch for ch in letters if not missing_letters(fonts.regular, ch))
    one = _base_fonts(_document(tmp_path / "one.pdf", [
        (fonts.regular, "Дүйсенбекова-Сатпаева Гүлназ"), (fonts.bold, "Hohenzollern"),
        *[(fonts.regular, many[i:i + 80]) for i in range(0, len(many), 80)]]))
    two = _base_fonts(_document(tmp_path / "two.pdf", [
        (fonts.regular, "Freiherr von Hohenzollern-Sigmaringen"), (fonts.bold, "Әбдіқадырқызы")]))
    assert len(one) >= 3 and len(two) == 2
    tags = _tags(one + two)
    assert all(len(t) == 6 and t.isascii() and t.isalpha() and t.isupper() for t in tags), tags
    assert len(set(tags)) == len(tags), f"subset tags repeat: {one} {two}"
    assert "AAAAAA" not in tags


def test_the_same_subset_gets_the_same_tag(tmp_path: Path) -> None:
    """Tags come from the subset: the same page made twice is the same file's fonts."""
    fonts = register_fonts()
    lines = [(fonts.regular, "Қатысушылар тізімі"), (fonts.bold, "Список участников")]
    assert _base_fonts(_document(tmp_path / "a.pdf", lines)) == _base_fonts(_document(tmp_path / "b.pdf", lines))


def test_a_tag_depends_on_font_number_and_letters() -> None:
    base = subset_tag("DejaVuSans", 0, [65, 66])
    assert len(base) == 6 and base.isupper()
    assert len({base, subset_tag("DejaVuSans-Bold", 0, [65, 66]), subset_tag("DejaVuSans", 1, [65, 66]),
                subset_tag("DejaVuSans", 0, [66, 65])}) == 4


def test_the_exporters_pages_are_tagged(long_event: LongEvent, tmp_path: Path) -> None:
    """Pages the exporters make carry the tags: a sign-in sheet and badges, merged by an
    organiser, name no two different fonts alike."""
    from desktop.exports.badges import export_badges
    from desktop.exports.sign_in import export_sign_in_sheet

    sheet, badges = tmp_path / "sheet.pdf", tmp_path / "badges.pdf"
    export_sign_in_sheet(long_event.database, sheet, long_event.event_id, lang="kk")
    export_badges(long_event.database, badges, long_event.event_id, lang="kk")
    names = _base_fonts(sheet) + _base_fonts(badges)
    assert names and "AAAAAA" not in _tags(names)
    assert len(set(names)) == len(names), names
