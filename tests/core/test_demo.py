"""The demo event holds what demo-event.md asks for, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    Event,
    EventOrganisation,
    Gender,
    ItemKind,
    PartnerRole,
    Person,
    Registration,
    RoleKind,
    Sector,
)
from desktop.core.agenda import load_agenda
from desktop.core.checkin import participation
from desktop.core.demo import create_demo, load_demo_facts
from desktop.core.events import list_events
from desktop.core.i18n import missing_languages
from desktop.core.people import roster
from desktop.core.registrations import registration_rows

SIX_SECTORS = {
    Sector.JUDICIARY, Sector.GOVERNMENT, Sector.INTERNATIONAL,
    Sector.ACADEMIA, Sector.CIVIL_SOCIETY, Sector.DIPLOMATIC,
}
NAMED = {"Yerzhan Zhienbayev", "Aslambek Mergaliyev", "Elvira Azimova", "Dmitry Malakhov",
         "Nail Akhmetzakirov", "Pamela Harris", "Yuri Fenopetov"}


def test_event_titles_dates_and_partners(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        ev = s.get(Event, event_id)
        assert ev is not None and ev.is_demo
        assert ev.title["en"].startswith("Improving the Effectiveness of the Justice System in Kazakhstan")
        assert missing_languages(ev.title) == []
        assert "Қ" in ev.title["kk"] or "қ" in ev.title["kk"]
        assert (ev.starts_on.isoformat(), ev.ends_on.isoformat()) == ("2025-02-28", "2025-02-28")
        roles = Counter(s.scalars(select(EventOrganisation.role).where(EventOrganisation.event_id == event_id)))
    assert roles == {PartnerRole.CO_ORGANISER: 2, PartnerRole.ORGANISER: 1, PartnerRole.FUNDER: 3}


def test_agenda_has_the_days_parts_in_order(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        days = load_agenda(s, event_id)
    assert len(days) == 1
    (entries,) = days.values()
    kinds = [e.kind for e in entries]
    assert kinds[0] == ItemKind.REGISTRATION and kinds[1] == ItemKind.OPENING
    assert kinds[-1] == ItemKind.CLOSING
    assert ItemKind.BREAK in kinds and ItemKind.LUNCH in kinds
    sessions = [e for e in entries if e.is_session]
    assert [e.title["en"].split(".")[0] for e in sessions] == ["Session 1", "Session 2", "Session 3"]
    assert entries == sorted(entries, key=lambda e: e.starts_at)
    for sess in sessions:
        assert sess.people_in(RoleKind.MODERATOR), sess.title["en"]
        assert any(c.people_in(RoleKind.SPEAKER) for c in sess.children), sess.title["en"]
        assert all(sess.starts_at <= c.starts_at and c.ends_at <= sess.ends_at for c in sess.children)
        assert sess.room, "every session is in a named room"
        for entry in [sess, *sess.children]:
            assert missing_languages(entry.title) == [], entry.title
    fenopetov = [c for c in sessions[0].children if any(p.name == "Yuri Fenopetov" for p in c.people)]
    assert fenopetov and "sociological surveys" in fenopetov[0].title["en"].lower()


def test_named_people_are_on_the_programme(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        on_stage = roster(s, event_id, on_stage_only=True)
    assert {p.name for p in on_stage} == NAMED
    # The report gives one position only; the demo invents none.
    assert {p.name for p in on_stage if p.position} == {"Yuri Fenopetov"}


def test_registrations_spread_over_sectors_genders_and_check_ins(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        rows = registration_rows(s, event_id)
        figures = participation(s, event_id)
        genders = Counter(s.scalars(
            select(Person.gender).join(Registration, Registration.person_id == Person.id)
            .where(Registration.event_id == event_id)))
        emails = s.scalars(select(Person.email).where(Person.email.is_not(None))).all()
    assert len(rows) == 120 == figures.registered
    assert SIX_SECTORS <= {r.sector for r in rows}
    assert genders[Gender.FEMALE] >= 30 and genders[Gender.MALE] >= 30
    checked = [r for r in rows if r.checked_in_at is not None]
    assert 0 < len(checked) == figures.checked_in < 60
    assert {r.desk for r in checked} == {"Desk 1", "Desk 2"}
    assert len({r.code for r in rows}) == 120
    assert emails and all(re.fullmatch(r"[a-z0-9.]+@example\.(org|kz)", e) for e in emails)


def test_demo_is_the_same_every_time_and_can_be_made_twice(database: Database) -> None:
    first, second = create_demo(database), create_demo(database)
    with database.read() as s:
        events = list_events(s)
        names = [
            sorted(s.scalars(select(Person.family_name).join(Registration).where(Registration.event_id == e)))
            for e in (first, second)
        ]
        assert s.scalar(select(func.count()).select_from(Event)) == 2
    assert {e.registrations for e in events} == {120}
    assert names[0] == names[1]


def test_demo_facts_file_names_no_real_mail_domain() -> None:
    facts = load_demo_facts()
    text = str(facts)
    assert "@" not in text  # addresses are generated, all on example domains
    assert facts["attendees"]["count"] == sum(facts["attendees"]["sectors"].values())
    assert facts["attendees"]["count"] + len(facts["named_people"]) == 120
