"""A small event for the registration list tests: names in Kazakh, Russian and Latin with
diacritics, display names, organisations named in three languages, every status and
category, and check-ins with OUT and UNDO rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.engine import Database
from db.models import (
    Category,
    CheckIn,
    CheckInAction,
    Event,
    Organisation,
    Person,
    Registration,
    Sector,
    Status,
)

DAY = dt.date(2025, 2, 28)


def utc(hh: int, mm: int) -> dt.datetime:
    """A time on the event day, given in Astana time (UTC+5), as aware UTC."""
    return dt.datetime(2025, 2, 28, hh, mm, tzinfo=dt.timezone(dt.timedelta(hours=5))).astimezone(dt.UTC)


# key: (given, family, patronymic, display, email, org, status, category, code)
PEOPLE: dict[str, tuple[str, str, str | None, dict[str, str], str | None, str | None, Status, Category, str]] = {
    "sarsenbayeva": ("Айгерім", "Сәрсенбаева", None, {}, "a.sarsenbayeva@court.kz", "court",
                     Status.CONFIRMED, Category.PARTICIPANT, "K7Q2MX"),
    "sarsenbayev": ("Бауыржан", "Сәрсенбаев", None, {}, None, "court",
                    Status.REGISTERED, Category.SPEAKER, "A2B3C4"),
    "akhmetova": ("Жанар", "Ахметова", "Серікқызы", {}, None, "osce",
                  Status.CONFIRMED, Category.PARTICIPANT, "ZZ9YX8"),
    "akhmetov": ("Серік", "Ахметов", None, {}, None, None,
                 Status.INVITED, Category.OBSERVER, "M4N5P6"),
    "wisniewska": ("Małgorzata", "Wiśniewska", None, {}, "m.wisniewska@uj.edu.pl", "uni",
                   Status.CONFIRMED, Category.SPEAKER, "Q7R8S9"),
    "wisniewski": ("Paweł", "Wiśniewski", None, {}, None, "uni",
                   Status.CANCELLED, Category.PARTICIPANT, "T2V3W4"),
    "ivanov": ("Сергей", "Иванов", "Петрович", {}, None, "media",
               Status.WAITLISTED, Category.PRESS, "X5Y6Z7"),
    "petrova": ("Алёна", "Петрова", None, {}, None, "media",
                Status.DECLINED, Category.PRESS, "B8C9D2"),
    "zhienbayev": ("Ержан", "Жиенбаев", None, {"en": "Yerzhan Zhienbayev"}, None, "court",
                   Status.CONFIRMED, Category.SPEAKER, "E3F4G5"),
    "oneill": ("Seán", "O'Neill-Walker", None, {}, "sean.oneill@osce.org", "osce",
               Status.CONFIRMED, Category.ORGANISER, "H6J7K8"),
    "yilmaz": ("Ayşe", "Yılmaz", None, {}, None, None,
               Status.REGISTERED, Category.INTERPRETER, "N9P2Q3"),
}

ORGANISATIONS = {
    "court": ({"en": "Supreme Court", "ru": "Верховный суд", "kk": "Жоғарғы Сот"}, {"en": "SC"}, Sector.JUDICIARY),
    "osce": ({"en": "OSCE Programme Office", "ru": "Офис программ ОБСЕ"}, {"en": "OSCE", "ru": "ОБСЕ"},
             Sector.INTERNATIONAL),
    "uni": ({"en": "Jagiellonian University", "ru": "Ягеллонский университет"}, {}, Sector.ACADEMIA),
    "media": ({"en": "Kazinform"}, {}, Sector.MEDIA),
}

# Check-ins: (key, action, time in Astana, undoes the n-th row of this list)
CHECK_INS: list[tuple[str, CheckInAction, tuple[int, int], int | None]] = [
    ("sarsenbayeva", CheckInAction.IN, (9, 10), None),
    ("sarsenbayev", CheckInAction.IN, (9, 0), None),
    ("sarsenbayev", CheckInAction.OUT, (9, 20), None),
    ("sarsenbayev", CheckInAction.IN, (9, 40), None),
    ("akhmetova", CheckInAction.IN, (9, 30), None),
    ("akhmetova", CheckInAction.OUT, (10, 0), None),
    ("wisniewska", CheckInAction.IN, (8, 55), None),
    ("zhienbayev", CheckInAction.IN, (9, 5), None),
    ("zhienbayev", CheckInAction.UNDO, (9, 6), 7),
]
CHECKED_IN = {"sarsenbayeva": utc(9, 10), "sarsenbayev": utc(9, 40), "wisniewska": utc(8, 55)}


@dataclass(frozen=True)
class Sample:
    event_id: int
    other_event_id: int
    ids: dict[str, int]          # registration id by key
    person_ids: dict[str, int]   # person id by key (and "roster_only")
    org_ids: dict[str, int]

    def key_of(self, registration_id: int) -> str:
        return next(k for k, v in self.ids.items() if v == registration_id)

    def keys(self, registration_ids: list[int]) -> list[str]:
        return [self.key_of(r) for r in registration_ids]


def build(database: Database) -> Sample:
    with database.write() as s:
        orgs = {k: Organisation(name=n, short_name=sh, sector=sec) for k, (n, sh, sec) in ORGANISATIONS.items()}
        event = Event(title={"en": "Round table"}, starts_on=DAY, ends_on=DAY, timezone="Asia/Almaty")
        other = Event(title={"en": "Another seminar"}, starts_on=DAY, ends_on=DAY, timezone="UTC")
        s.add_all([*orgs.values(), event, other])
        people: dict[str, Person] = {}
        regs: dict[str, Registration] = {}
        for key, (given, family, patronymic, display, email, org, status, category, code) in PEOPLE.items():
            person = Person(given_name=given, family_name=family, patronymic=patronymic, display_name=display,
                            email=email, organisation=orgs[org] if org else None)
            people[key] = person
            regs[key] = Registration(event=event, person=person, status=status, category=category, badge_code=code)
        # In the roster, and registered for the other event only.
        people["roster_only"] = Person(given_name="Асель", family_name="Ахметжанова", organisation=orgs["court"])
        s.add_all([*people.values(), *regs.values()])
        s.add(Registration(event=other, person=people["roster_only"], badge_code="K7Q2MX"))
        s.add(Registration(event=other, person=people["akhmetova"], badge_code="W2W2W2"))
        s.flush()
        rows: list[CheckIn] = []
        for key, action, (hh, mm), undoes in CHECK_INS:
            row = CheckIn(registration=regs[key], desk="Desk 1", action=action, happened_at=utc(hh, mm),
                          undoes=rows[undoes].uuid if undoes is not None else None)
            s.add(row)
            s.flush()
            rows.append(row)
        return Sample(event.id, other.id, {k: r.id for k, r in regs.items()},
                      {k: p.id for k, p in people.items()}, {k: o.id for k, o in orgs.items()})
