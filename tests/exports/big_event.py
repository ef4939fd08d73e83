"""A big event for the participation report's tests and bench: ``n`` registrations (10,000 by
default) over three days in Asia/Almaty, written with Core inserts (seconds, not minutes).

Every sector, gender and status occurs; people come from a dozen countries (some give none);
a few hundred organisations; speakers and moderators in the agenda; check-ins on each of the
three days, near midnight local time too (where a day in UTC is another day in Almaty), some
of them undone, some people checked out again.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import insert, select

from db.engine import Database
from db.models import (
    AgendaSession,
    CheckIn,
    Event,
    EventOrganisation,
    Gender,
    Organisation,
    Person,
    Registration,
    Role,
    RoleKind,
    Sector,
    Status,
)

ZONE = "Asia/Almaty"
FIRST_DAY = dt.date(2025, 3, 3)
DAYS = 3
COUNTRIES = ["KZ", "KZ", "KZ", "KZ", "RU", "KG", "UZ", "PL", "NO", "US", "DE", "FR", "TR", None]


def build_big_event(database: Database, n: int = 10_000, seed: int = 11) -> int:
    """Write the event; returns its id."""
    from zoneinfo import ZoneInfo

    rng = random.Random(seed)
    zone = ZoneInfo(ZONE)
    now = dt.datetime.now(dt.UTC)
    sectors = [s.value for s in Sector]
    statuses = ["confirmed"] * 6 + ["registered"] * 3 + ["invited", "waitlisted", "declined", "cancelled"]
    genders = ["female"] * 5 + ["male"] * 4 + ["not_stated"]

    def stamp() -> dict[str, Any]:
        return {"uuid": uuid.uuid4(), "created_at": now, "updated_at": now}

    with database.write() as s:
        event_id = s.execute(insert(Event.__table__).values(
            title={"en": "Regional Forum on Access to Justice in Central Asia", "ru": "Региональный форум о доступе "
                   "к правосудию в Центральной Азии", "kk": "Орталық Азиядағы сот төрелігіне қол жеткізу жөніндегі "
                   "өңірлік форум"},
            subtitle={}, starts_on=FIRST_DAY, ends_on=FIRST_DAY + dt.timedelta(days=DAYS - 1), timezone=ZONE,
            venue={"en": "Congress Hall"}, city={"en": "Almaty", "ru": "Алматы", "kk": "Алматы"},
            languages=["en", "ru", "kk"], is_demo=False, **stamp())).inserted_primary_key[0]
        first_org = s.scalar(select(Organisation.id).order_by(Organisation.id.desc())) or 0
        orgs = [{"id": first_org + k + 1, "name": {"en": f"Organisation {k}"}, "short_name": {},
                 "sector": sectors[k % len(sectors)], "country": COUNTRIES[k % len(COUNTRIES)], **stamp()}
                for k in range(300)]
        s.execute(insert(Organisation.__table__), orgs)
        s.execute(insert(EventOrganisation.__table__), [
            {"uuid": uuid.uuid4(), "event_id": event_id, "organisation_id": orgs[k]["id"], "role": role, "position": k}
            for k, role in enumerate(("organiser", "co_organiser", "funder", "funder"))])
        first_person = s.scalar(select(Person.id).order_by(Person.id.desc())) or 0
        people = []
        for k in range(n):
            org = rng.choice(orgs) if rng.random() < 0.93 else None
            people.append({
                "id": first_person + k + 1, "given_name": f"Given{k}", "family_name": f"Family{k % 997:03d}",
                "display_name": {}, "position": {}, "bio": {}, "gender": rng.choice(genders),
                "organisation_id": org["id"] if org else None,
                "country": rng.choice(COUNTRIES) if rng.random() < 0.5 else None, **stamp()})
        for start in range(0, n, 5000):
            s.execute(insert(Person.__table__), people[start:start + 5000])
        registrations = [{"event_id": event_id, "person_id": p["id"], "category": "participant",
                          "status": rng.choice(statuses), "badge_code": f"R{k:06d}", "source": "import", **stamp()}
                         for k, p in enumerate(people)]
        for start in range(0, n, 5000):
            s.execute(insert(Registration.__table__), registrations[start:start + 5000])
        regs = s.execute(select(Registration.id, Registration.status).where(Registration.event_id == event_id)
                         .order_by(Registration.id)).all()

        # The agenda: a session a day with a moderator and speakers (some speak twice).
        speaker_ids = [p["id"] for p in people[:40]]
        roles = []
        for day in range(DAYS):
            start = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(10))
            session_id = s.execute(insert(AgendaSession.__table__).values(
                event_id=event_id, title={"en": f"Session {day + 1}"}, starts_at=start,
                ends_at=start + dt.timedelta(hours=2), position=day, uuid=uuid.uuid4())).inserted_primary_key[0]
            roles.append({"uuid": uuid.uuid4(), "person_id": speaker_ids[day], "session_id": session_id,
                          "kind": RoleKind.MODERATOR.value, "position": 0})
            for k in range(8):
                roles.append({"uuid": uuid.uuid4(), "person_id": speaker_ids[3 + (day * 8 + k) % 30],
                              "session_id": session_id, "kind": RoleKind.SPEAKER.value, "position": k + 1})
            roles.append({"uuid": uuid.uuid4(), "person_id": speaker_ids[35 + day], "session_id": session_id,
                          "kind": RoleKind.DISCUSSANT.value, "position": 9})
        s.execute(insert(Role.__table__), roles)

        # Check-ins: most of the expected come, on one of the three days (some on two, after
        # checking out); arrival times from 07:00 to 23:59 local, so some fall on another UTC day.
        rows = []
        for rid, status in regs:
            if Status(status) not in (Status.CONFIRMED, Status.REGISTERED) and rng.random() > 0.05:
                continue
            if rng.random() > 0.7:
                continue
            day = rng.randrange(DAYS)
            local = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(7)) + dt.timedelta(
                minutes=rng.randrange(17 * 60))
            at = local.replace(tzinfo=zone).astimezone(dt.UTC)
            first = {"uuid": uuid.uuid4(), "registration_id": rid, "desk": "Desk 1", "action": "in",
                     "undoes": None, "happened_at": at, "recorded_at": at}
            rows.append(first)
            luck = rng.random()
            if luck < 0.03:  # a mistake, undone
                rows.append({"uuid": uuid.uuid4(), "registration_id": rid, "desk": "Desk 1", "action": "undo",
                             "undoes": first["uuid"], "happened_at": at + dt.timedelta(minutes=1),
                             "recorded_at": at + dt.timedelta(minutes=1)})
            elif luck < 0.10 and day + 1 < DAYS:  # out in the evening, in again the next morning
                out = at + dt.timedelta(hours=1)
                again = (local + dt.timedelta(days=1)).replace(hour=8, tzinfo=zone).astimezone(dt.UTC)
                rows.append({"uuid": uuid.uuid4(), "registration_id": rid, "desk": "Desk 2", "action": "out",
                             "undoes": None, "happened_at": out, "recorded_at": out})
                rows.append({"uuid": uuid.uuid4(), "registration_id": rid, "desk": "Desk 2", "action": "in",
                             "undoes": None, "happened_at": again, "recorded_at": again})
        for start in range(0, len(rows), 5000):
            s.execute(insert(CheckIn.__table__), rows[start:start + 5000])
    return int(event_id)


__all__ = ["build_big_event", "Gender"]
