"""Certificates of attendance: one per person checked in, the wording in each language (the
same gender-free sentence for everyone), the full name, a number kept for reprints, the
event's signatories, the organisers' and funders' logos, fonts embedded; long names and
organisations set inside the border, never cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import EventOrganisation, Organisation, PartnerRole
from desktop.core.demo import CHECKED_IN
from desktop.exports.certificates import export_certificates
from desktop.exports.print_common import NothingToPrint, load_attendees, load_event
from tests.databases import Templates
from tests.exports.conftest import LongEvent
from tests.exports.pdf_tools import (
    demo_database,
    fonts_of,
    page_count,
    page_sizes_mm,
    page_texts,
    smallest_font_size,
    within_margins,
    words,
    words_outside,
)
from tests.images import png

MM = 72 / 25.4


def _images(page: Any) -> list[Any]:
    """The images a page draws, also inside its forms (the certificate's fixed parts are one)."""
    found: list[Any] = []

    def visit(resources: Any) -> None:
        for x in ((resources or {}).get("/XObject") or {}).values():
            x = x.get_object()
            if x["/Subtype"] == "/Image":
                found.append(x)
            elif x["/Subtype"] == "/Form":
                visit(x.get("/Resources"))

    visit(page["/Resources"])
    return found


@pytest.mark.parametrize("lang, title, attended", [
    ("en", "CERTIFICATE OF ATTENDANCE", "attended"),
    ("ru", "СЕРТИФИКАТ УЧАСТНИКА", "является участником мероприятия"),
    ("kk", "ҚАТЫСУ СЕРТИФИКАТЫ", "іс-шараға қатысты"),
])
def test_one_certificate_for_each_person_checked_in(tmp_path: Path, lang: str, title: str, attended: str,
                                                    db_templates: Templates) -> None:
    database, event_id = demo_database(tmp_path, db_templates)
    try:
        out = tmp_path / "certificates.pdf"
        result = export_certificates(database, out, event_id, lang=lang)
        with database.read() as s:
            people = load_attendees(s, event_id, lang, only_checked_in=True)
            event = load_event(s, event_id, lang)
    finally:
        database.close()
    assert result.items == result.pages == page_count(out) == CHECKED_IN == len(people) == 24
    assert page_sizes_mm(out) == {(297.0, 210.0)}
    organisers = [p.name for p in event.partners_in("organiser", "co_organiser")]
    assert len(organisers) == 3
    for person, text in zip(people, page_texts(out)):
        flat = " ".join(text.split())
        assert title in flat and attended in flat
        assert person.listed in flat  # the full name, as the language writes it on papers
        assert all(name in flat for name in organisers)
    fonts = fonts_of(out)
    assert fonts and all(fonts.values())


def test_everyone_with_all_and_organiser_logos(tmp_path: Path, db_templates: Templates) -> None:
    from pypdf import PdfReader

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        with database.write() as s:
            org_id = s.scalar(select(EventOrganisation.organisation_id).where(
                EventOrganisation.event_id == event_id, EventOrganisation.role == PartnerRole.ORGANISER))
            org = s.get(Organisation, org_id)
            org.logo, org.logo_mime = png(60, 20, (0x1F, 0x4E, 0x8C)), "image/png"
        out = tmp_path / "all.pdf"
        result = export_certificates(database, out, event_id, only_checked_in=False)
        assert result.items == 118
        assert _images(PdfReader(out).pages[0])
    finally:
        database.close()


def test_nobody_checked_in_leaves_no_file(tmp_path: Path) -> None:
    import datetime as dt

    from db.engine import open_database
    from db.models import Event

    database = open_database(tmp_path / "empty.sqlite")
    try:
        with database.write() as s:
            event = Event(title={"en": "Quiet"}, starts_on=dt.date(2025, 3, 3), ends_on=dt.date(2025, 3, 4))
            s.add(event)
            s.flush()
            event_id = event.id
        with pytest.raises(NothingToPrint, match="checked in"):
            export_certificates(database, tmp_path / "c.pdf", event_id)
        assert not (tmp_path / "c.pdf").exists()
    finally:
        database.close()


def test_an_undone_check_in_counts_nowhere(tmp_path: Path, db_templates: Templates) -> None:
    """Undo at the desk takes a person out of the certificates, the sign-in sheet of those
    checked in and the participation figures; a new check-in brings them back."""
    from db.models import Registration
    from desktop.core.checkin import participation
    from desktop.core.desk import check_in, undo_check_in
    from desktop.exports.sign_in import export_sign_in_sheet

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        with database.read() as s:
            in_before = load_attendees(s, event_id, "en", only_checked_in=True)
            figures_before = participation(s, event_id)
            inside = {p.code for p in in_before}
            code = next(c for c in s.scalars(
                select(Registration.badge_code).where(Registration.event_id == event_id,
                                                      Registration.status == "confirmed")
                .order_by(Registration.badge_code)) if c not in inside)
        done = check_in(database, event_id, code, "Desk 3")
        assert done.check_in_uuid is not None
        undo_check_in(database, done.check_in_uuid, "Desk 3")

        out = tmp_path / "certificates.pdf"
        sheet = tmp_path / "sheet.pdf"
        result = export_certificates(database, out, event_id)
        export_sign_in_sheet(database, sheet, event_id, only_checked_in=True)
        with database.read() as s:
            in_after = load_attendees(s, event_id, "en", only_checked_in=True)
            figures_after = participation(s, event_id)

        assert [p.name for p in in_after] == [p.name for p in in_before]
        assert result.items == len(in_before) == 24
        assert figures_after == figures_before
        sheet_text = "".join(page_texts(sheet))
        assert all(p.family in sheet_text for p in in_before)

        again = check_in(database, event_id, code, "Desk 3")
        with database.read() as s:
            back = load_attendees(s, event_id, "en", only_checked_in=True)
            assert participation(s, event_id).checked_in == figures_before.checked_in + 1
        assert again.check_in_uuid is not None and code in {p.code for p in back} and len(back) == 25
    finally:
        database.close()


# -- issue 11: numbers, wording without gender, signatories, logos, long names -----------------


def _set_signatories(database: Any, event_id: int, n: int) -> None:
    from sqlalchemy import update

    from db.models import Event

    values: dict[str, Any] = {}
    if n >= 1:
        values.update(signatory1_name={"en": "Asel Kassymova", "ru": "Касымова Асель Ұлықбековна"},
                      signatory1_title={"en": "Chair of the Justice Quality Commission",
                                        "ru": "Председатель Комиссии по качеству правосудия"})
    if n >= 2:
        values.update(signatory2_name={"en": "Volker Frobarth", "ru": "Фробарт Фолькер"},
                      signatory2_title={"en": "Head of the OSCE Programme Office in Astana"})
    with database.write() as s:
        s.execute(update(Event).where(Event.id == event_id).values(**values))


def test_the_sentence_needs_no_gender_and_the_number_stays(tmp_path: Path, db_templates: Templates) -> None:
    import re

    from db.models import Gender, Person, Registration

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        with database.read() as s:
            people = load_attendees(s, event_id, "ru", only_checked_in=True)
            genders = {p.gender for p in people}
        assert {Gender.FEMALE.value, Gender.MALE.value} <= genders  # both are printed below
        with database.write() as s:  # one person whose gender is not stated
            person = s.scalars(select(Person).join(Registration).where(
                Registration.id == people[0].registration_id)).one()
            person.gender = Gender.NOT_STATED
        first, again = tmp_path / "ru.pdf", tmp_path / "ru-again.pdf"
        export_certificates(database, first, event_id, lang="ru")
        export_certificates(database, again, event_id, lang="ru")
    finally:
        database.close()
    texts = page_texts(first)
    for text in texts:
        flat = " ".join(text.split())
        assert "Настоящий сертификат подтверждает, что" in flat and "является участником мероприятия" in flat
        assert "(а)" not in flat and "принял" not in flat
    numbers = [re.search(r"№ (\d+-\d{4})", t).group(1) for t in texts]  # type: ignore[union-attr]
    assert len(set(numbers)) == len(texts) == 24
    assert [re.search(r"№ (\d+-\d{4})", t).group(1) for t in page_texts(again)] == numbers  # type: ignore[union-attr]
    assert numbers[0].startswith(f"{event_id}-")


@pytest.mark.parametrize("signatories", [0, 1, 2])
def test_signatories_of_the_event(tmp_path: Path, db_templates: Templates, signatories: int) -> None:
    database, event_id = demo_database(tmp_path, db_templates)
    try:
        _set_signatories(database, event_id, signatories)
        out = tmp_path / "ru.pdf"
        export_certificates(database, out, event_id, lang="ru", registration_ids=None)
    finally:
        database.close()
    flat = " ".join(page_texts(out)[0].split())
    assert ("Касымова Асель Ұлықбековна" in flat) == (signatories >= 1)
    assert ("Председатель Комиссии по качеству правосудия" in flat) == (signatories >= 1)
    # A name missing in Russian falls back to another language; its title too.
    assert ("Фробарт Фолькер" in flat and "Head of the OSCE Programme Office" in flat) == (signatories == 2)
    assert ("Подпись" in flat) == (signatories == 0)


def test_organisers_and_funders_logos(tmp_path: Path, db_templates: Templates) -> None:
    from pypdf import PdfReader

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        with database.write() as s:
            for n, role in enumerate((PartnerRole.ORGANISER, PartnerRole.FUNDER)):
                org_id = s.scalar(select(EventOrganisation.organisation_id).where(
                    EventOrganisation.event_id == event_id, EventOrganisation.role == role).limit(1))
                org = s.get(Organisation, org_id)
                org.logo, org.logo_mime = png(60 + n, 20, (0x1F, 0x4E, 0x8C)), "image/png"
        out = tmp_path / "logos.pdf"
        export_certificates(database, out, event_id)
    finally:
        database.close()
    assert len(_images(PdfReader(out).pages[0])) == 2
    text = " ".join(page_texts(out)[0].split())
    assert "WITH THE FINANCIAL SUPPORT OF" in text and "Kingdom of Norway" in text


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_long_names_fit_inside_the_border_uncut(long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    from tests.exports.long_data import GERMAN, KAZAKH

    _set_signatories(long_event.database, long_event.event_id, 2)
    out = tmp_path / f"long-{lang}.pdf"
    export_certificates(long_event.database, out, long_event.event_id, lang=lang, only_checked_in=False)
    outside = words_outside(out, within_margins(15 * MM))
    assert not outside, "\n".join(map(str, outside[:8]))
    assert smallest_font_size(out) >= 8.0 - 0.01
    text = "\n".join(page_texts(out))
    assert "…" not in text
    flat = " ".join(text.replace("-\n", "-").split())
    if lang != "en":
        assert f"{KAZAKH.family} {KAZAKH.given} {KAZAKH.patronymic}" in flat
    assert "Hohenzollern-Sigmaringen" in flat and GERMAN.given in flat
    # No two blocks of the page overlap: the lines' boxes, page by page.
    for page in words(out):
        lines: dict[float, list[Any]] = {}
        for w in page:
            lines.setdefault(round(w.top, 0), []).append(w)
        boxes = sorted((min(w.top for w in ws), max(w.bottom for w in ws), min(w.x0 for w in ws),
                        max(w.x1 for w in ws)) for ws in lines.values())
        for (t1, b1, l1, r1), (t2, _b2, l2, r2) in zip(boxes, boxes[1:]):
            overlap_x = min(r1, r2) - max(l1, l2)
            assert t2 >= b1 - 1.0 or overlap_x <= 0, f"lines overlap at {t1:.0f}/{t2:.0f} pt"


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_long_name_breaks_at_a_space_or_its_own_hyphen_never_between_syllables(
        long_event: LongEvent, tmp_path: Path, lang: str) -> None:
    # "Александр Константино-" / "польский-Преображенский" on an official paper: the name is
    # set a little smaller, "Александр" / "Константинопольский-Преображенский".
    from tests.exports import long_data as data

    out = tmp_path / f"long-{lang}.pdf"
    export_certificates(long_event.database, out, long_event.event_id, lang=lang, only_checked_in=False)
    texts = [data.EVENT_TITLE[lang], data.ORG_WITH_SHORT[lang], data.ORG_WITHOUT_SHORT[lang]]
    texts += [f"{p.given} {p.family} {p.patronymic or ''}" for p in data.LONG_PEOPLE]
    known = {word.strip("«»,.:;·") for text in texts for word in text.split()}
    whole = 0
    for page in page_texts(out):
        lines = [line.split() for line in page.splitlines() if line.split()]
        whole += any(data.RUSSIAN.family in line for line in lines)
        for line, after in zip(lines, lines[1:]):
            if line[-1].endswith("-") and len(line[-1]) > 1:
                word = (line[-1] + after[0]).strip("«»,.:;·")
                assert word in known, f"{line[-1]} / {after[0]}"
    assert whole == 1  # his certificate, the surname on a line of its own


def test_fit_wrapped_prefers_a_smaller_size_to_a_break_between_syllables() -> None:
    from desktop.exports.certificates import fit_wrapped, syllable_breaks
    from desktop.exports.fonts import register_fonts

    bold = register_fonts().bold
    name = "Александр Константинопольский-Преображенский"
    size, lines = fit_wrapped(name, bold, 36, 18, 200 * MM, max_lines=2)
    assert lines == ["Александр", "Константинопольский-Преображенский"] and 18 <= size < 36
    # A name that cannot be set without such a break at any size allowed still fits, broken.
    size, lines = fit_wrapped(name, bold, 36, 30, 120 * MM, max_lines=2)
    assert size >= 30 and syllable_breaks(name, lines) >= 1


def test_a_long_run_written_in_parts_is_whole(tmp_path: Path, db_templates: Templates,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # PageWriter may save a long document in parts, each on a canvas of its own: the forms a
    # run shares are drawn again on each part's canvas, and the file keeps its title.
    from pypdf import PdfReader

    from desktop.exports.certificates import CertificateSheet

    monkeypatch.setattr(CertificateSheet, "default_part_pages", 5)
    database, event_id = demo_database(tmp_path, db_templates)
    try:
        out = tmp_path / "parts.pdf"
        result = export_certificates(database, out, event_id, lang="ru")
    finally:
        database.close()
    texts = page_texts(out)
    assert result.pages == len(texts) == 24
    assert all("СЕРТИФИКАТ УЧАСТНИКА" in t and "является участником мероприятия" in t for t in texts)
    assert str(PdfReader(out).metadata.title).endswith("Сертификаты участника")
