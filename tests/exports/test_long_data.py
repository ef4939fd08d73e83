"""The long-name data set is as long as the issue asks, and loads like any event."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import CheckIn, Event, Organisation, Person, Registration, Role, RoleKind
from tests.exports.conftest import LongEvent
from tests.exports.long_data import (
    GERMAN,
    KAZAKH,
    LONG_POSITION,
    LONG_SESSION_TITLE,
    ORG_SHORT_NAME,
    ORG_WITH_SHORT,
    ORG_WITHOUT_SHORT,
)

LANGS = ("en", "ru", "kk")


def test_the_texts_are_as_long_as_the_issue_says() -> None:
    for lang in LANGS:
        assert len(ORG_WITH_SHORT[lang]) >= 180 and len(ORG_WITHOUT_SHORT[lang]) >= 180, lang
        assert len(LONG_POSITION[lang]) >= 120, lang
        assert len(LONG_SESSION_TITLE[lang]) >= 330, lang
    assert f"{KAZAKH.family} {KAZAKH.given} {KAZAKH.patronymic}" == "Дүйсенбекова-Сатпаева Гүлназ Әбдіқадырқызы"
    assert GERMAN.family == "Freiherr von Hohenzollern-Sigmaringen"


def test_the_event_holds_them(long_event: LongEvent) -> None:
    with long_event.database.read() as s:
        event = s.get(Event, long_event.event_id)
        assert event is not None and set(event.title) == set(LANGS)
        families = set(s.scalars(select(Person.family_name)))
        assert {KAZAKH.family, GERMAN.family} <= families
        orgs = {o.name["en"]: o for o in s.scalars(select(Organisation))}
        assert orgs[ORG_WITH_SHORT["en"]].short_name == ORG_SHORT_NAME
        assert not orgs[ORG_WITHOUT_SHORT["en"]].short_name
        assert any(s.title == LONG_SESSION_TITLE for s in event.sessions)
        kinds = set(s.scalars(select(Role.kind)))
        assert {RoleKind.SPEAKER, RoleKind.MODERATOR} <= kinds
        registrations = s.scalar(select(func.count()).select_from(Registration))
        checked_in = s.scalar(select(func.count(func.distinct(CheckIn.registration_id))))
        assert registrations and checked_in and 0 < checked_in < registrations
        assert {p.role.value for p in event.partners} >= {"organiser", "co_organiser", "funder", "partner"}
