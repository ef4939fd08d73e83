"""Fixtures for the storage tests: a small event with one row of every model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    BadgePrint,
    Category,
    Certificate,
    CheckIn,
    CheckInAction,
    Event,
    EventOrganisation,
    Gender,
    ItemKind,
    Organisation,
    PartnerRole,
    Person,
    Registration,
    Role,
    RoleKind,
    Room,
    Sector,
    Status,
)


@dataclass(frozen=True)
class Sample:
    """Integer keys of the sample rows, by table name (``role`` holds two rows)."""

    ids: dict[str, list[int]]

    def one(self, table: str) -> int:
        return self.ids[table][0]


def add_sample(db: Database) -> Sample:
    """Write one event with a row in every table and return the rows' keys."""
    with db.write() as s:
        court = Organisation(
            name={"en": "Supreme Court", "ru": "Верховный суд", "kk": "Жоғарғы Сот"},
            short_name={"en": "SC"},
            sector=Sector.JUDICIARY,
            country="KZ",
        )
        person = Person(
            given_name="Әсел",
            family_name="Қасымова",
            patronymic="Ұлықбекқызы",
            position={"en": "Judge", "kk": "Судья"},
            organisation=court,
            gender=Gender.FEMALE,
        )
        event = Event(
            title={"en": "Round table on court practice", "kk": "Сот практикасы бойынша дөңгелек үстел"},
            starts_on=dt.date(2025, 5, 20),
            ends_on=dt.date(2025, 5, 21),
            timezone="Asia/Almaty",
        )
        room = Room(event=event, name={"en": "Hall A"}, capacity=120)
        partner = EventOrganisation(event=event, organisation=court, role=PartnerRole.ORGANISER)
        block = AgendaSession(
            event=event,
            title={"en": "Opening"},
            starts_at=dt.datetime(2025, 5, 20, 9, 0),
            ends_at=dt.datetime(2025, 5, 20, 11, 0),
            room=room,
        )
        item = AgendaItem(
            event=event,
            session=block,
            kind=ItemKind.KEYNOTE,
            title={"en": "Keynote"},
            starts_at=dt.datetime(2025, 5, 20, 9, 30),
            ends_at=dt.datetime(2025, 5, 20, 10, 0),
            room=room,
        )
        chair = Role(person=person, session=block, kind=RoleKind.MODERATOR)
        speaker = Role(person=person, item=item, kind=RoleKind.SPEAKER)
        reg = Registration(
            event=event,
            person=person,
            badge_code="K7Q2MX",
            category=Category.SPEAKER,
            status=Status.CONFIRMED,
        )
        s.add_all([court, person, event, room, partner, block, item, chair, speaker, reg])
        s.flush()
        arrived = CheckIn(registration=reg, desk="Desk 1", action=CheckInAction.IN)
        s.add(arrived)
        s.flush()
        undo = CheckIn(registration=reg, desk="Desk 1", action=CheckInAction.UNDO, undoes=arrived.uuid)
        s.add(undo)
        certificate = Certificate(event_id=event.id, registration_id=reg.id, serial=1, number=f"{event.id}-0001")
        s.add(certificate)
        printed = BadgePrint(registration_id=reg.id, desk="Desk 1")
        s.add(printed)
        s.flush()
        rows = [court, person, event, room, partner, block, item, chair, speaker, reg, arrived, undo, certificate,
                printed]
        ids: dict[str, list[int]] = {}
        for obj in rows:
            ids.setdefault(type(obj).__table__.name, []).append(obj.id)
    return Sample({k: sorted(v) for k, v in ids.items()})


@pytest.fixture
def sample(database: Database) -> Sample:
    return add_sample(database)
