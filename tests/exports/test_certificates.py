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
from tests.exports.pdf_tools import demo_database, fonts_of, page_count, page_sizes_mm, page_texts
from tests.images import png


@pytest.mark.parametrize("lang, title, attended", [
    ("en", "CERTIFICATE OF ATTENDANCE", "attended"),
    ("ru", "СЕРТИФИКАТ УЧАСТНИКА", "участие в мероприятии"),
    ("kk", "ҚАТЫСУ СЕРТИФИКАТЫ", "қатысқанын растайды"),
])
def test_one_certificate_for_each_person_checked_in(tmp_path: Path, lang: str, title: str, attended: str) -> None:
    database, event_id = demo_database(tmp_path)
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


def test_everyone_with_all_and_organiser_logos(tmp_path: Path) -> None:
    from pypdf import PdfReader

    database, event_id = demo_database(tmp_path)
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
