"""Certificates of attendance: one per person checked in, the wording in each language,
the organisers' logos, fonts embedded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import EventOrganisation, Organisation, PartnerRole
from desktop.core.demo import CHECKED_IN
from desktop.exports.certificates import export_certificates
from desktop.exports.print_common import NothingToPrint, load_attendees
from tests.databases import Templates
from tests.exports.pdf_tools import demo_database, fonts_of, page_count, page_sizes_mm, page_texts
from tests.images import png


@pytest.mark.parametrize("lang, title, attended", [
    ("en", "CERTIFICATE OF ATTENDANCE", "attended"),
    ("ru", "СЕРТИФИКАТ УЧАСТНИКА", "участие в мероприятии"),
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
    finally:
        database.close()
    assert result.items == result.pages == page_count(out) == CHECKED_IN == len(people) == 24
    assert page_sizes_mm(out) == {(297.0, 210.0)}
    for person, text in zip(people, page_texts(out)):
        assert title in text and attended in text
        assert all(part in text for part in person.name.split())
        assert {"en": "Organised by", "ru": "Организаторы", "kk": "Ұйымдастырушылар"}[lang].upper() in text
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
        page = PdfReader(out).pages[0]
        images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
        assert images
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
