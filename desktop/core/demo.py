"""The demo event: the Astana round table of 28 February 2025 (``resources/demo``).

The event's facts (titles, sessions, named speakers, organisers, funders) come from the
public report; times, rooms, the venue and the 113 generated attendees are illustrative,
fictional, and marked so (``Event.is_demo``). Generation is seeded: every demo database
holds the same people.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session as OrmSession

import resources
from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    Category,
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
    Source,
    Status,
)
from desktop.core.codes import BadgeCodes
from desktop.core.collation import store_sort_keys
from desktop.core.translit import ascii_slug

DEMO_FILE = resources.path("demo", "astana_round_table.json")
SEED = 20250228
CHECKED_IN = 24  # attendees already checked in when the demo opens
DESKS = ("Desk 1", "Desk 2")


def load_demo_facts() -> dict[str, Any]:
    with DEMO_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def create_demo(database: Database) -> int:
    """Create the demo event in one transaction and return its id."""
    from desktop.core.person_keys import settle

    with database.write() as session:
        event_id = build_demo(session)
        settle(session)  # the people's skeletons, for the search (a write of core leaves none to be made)
        return event_id


def build_demo(session: OrmSession) -> int:
    facts = load_demo_facts()
    rng = random.Random(SEED)
    ev_facts = facts["event"]
    day = dt.date.fromisoformat(ev_facts["date"])
    tz = ZoneInfo(ev_facts["timezone"])

    event = Event(
        title=ev_facts["title"], subtitle=ev_facts["subtitle"], starts_on=day, ends_on=day,
        timezone=ev_facts["timezone"], venue=ev_facts["venue"], city=ev_facts["city"],
        languages=ev_facts["languages"], is_demo=True,
        notes="Demo: facts of a public event; times, rooms, venue and attendees are illustrative.",
    )
    session.add(event)

    rooms: dict[str, Room] = {}
    for pos, r in enumerate(facts["rooms"]):
        rooms[r["key"]] = Room(name=r["name"], capacity=r["capacity"], position=pos)
        event.rooms.append(rooms[r["key"]])

    orgs: dict[str, Organisation] = {}
    for o in facts["organisations"]:
        orgs[o["key"]] = Organisation(
            name=o["name"], short_name=o.get("short_name", {}), sector=Sector(o["sector"]),
            country=o.get("country"),
        )
        session.add(orgs[o["key"]])
    for pos, p in enumerate(facts["partners"]):
        event.partners.append(
            EventOrganisation(organisation=orgs[p["org"]], role=PartnerRole(p["role"]), position=pos)
        )

    codes = BadgeCodes(rng)
    people: dict[str, Person] = {}
    registrations: list[Registration] = []
    for p in facts["named_people"]:
        person = Person(
            given_name=p["given"], family_name=p["family"], display_name=p.get("display", {}),
            position=p.get("position", {}), organisation=orgs.get(p["org"]) if p["org"] else None,
            gender=Gender(p["gender"]),
        )
        people[p["key"]] = person
        session.add(person)
        registrations.append(Registration(
            event=event, person=person, category=Category(p["category"]), status=Status.CONFIRMED,
            badge_code=codes.new(), source=Source.DEMO,
        ))

    def at(hhmm: str) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))

    def add_roles(target: AgendaSession | AgendaItem, pairs: list[list[str]]) -> None:
        for pos, (kind, key) in enumerate(pairs):
            target.roles.append(Role(person=people[key], kind=RoleKind(kind), position=pos))

    for pos, entry in enumerate(facts["agenda"]):
        if "session" in entry:
            s = AgendaSession(
                title=entry["session"], starts_at=at(entry["start"]),
                ends_at=at(entry["end"]), room=rooms[entry["room"]], colour=entry.get("colour"),
                position=pos,
            )
            event.sessions.append(s)
            add_roles(s, [["moderator", key] for key in entry["moderators"]])
            for ipos, it in enumerate(entry["items"]):
                item = AgendaItem(
                    session=s, kind=ItemKind(it["kind"]), title=it["title"],
                    description=it.get("description", {}), starts_at=at(it["start"]),
                    ends_at=at(it["end"]), room=rooms[entry["room"]], position=ipos,
                )
                event.items.append(item)
                add_roles(item, it.get("roles", []))
        else:
            item = AgendaItem(
                kind=ItemKind(entry["kind"]), title=entry["title"],
                description=entry.get("description", {}), starts_at=at(entry["start"]),
                ends_at=at(entry["end"]), room=rooms[entry["room"]], position=pos,
            )
            event.items.append(item)
            add_roles(item, entry.get("roles", []))

    registrations.extend(_attendees(facts["attendees"], orgs, event, codes, rng))
    session.add_all(registrations)
    session.flush()

    # Some of the generated attendees were checked in this morning, at two desks.
    first_in = dt.datetime.combine(day, dt.time(8, 40), tz)
    arrivals = rng.sample(
        [r for r in registrations if r.source == Source.DEMO and r.status == Status.CONFIRMED
         and r.category == Category.PARTICIPANT],
        CHECKED_IN,
    )
    for n, reg in enumerate(sorted(arrivals, key=lambda r: r.id)):
        happened = (first_in + dt.timedelta(minutes=2 * n + rng.randint(0, 1))).astimezone(dt.UTC)
        session.add(CheckIn(
            registration=reg, desk=DESKS[n % 2], action=CheckInAction.IN,
            happened_at=happened, recorded_at=happened,
        ))
    session.flush()
    store_sort_keys(session)  # the new people's (a write never leaves them to be made)
    return event.id


def _attendees(spec: dict[str, Any], orgs: dict[str, Organisation], event: Event,
               codes: BadgeCodes, rng: random.Random) -> list[Registration]:
    names = spec["names"]
    out: list[Registration] = []
    used: set[tuple[str, str]] = set()
    statuses = [Status.CONFIRMED] * 14 + [Status.REGISTERED] * 3 + [
        Status.WAITLISTED, Status.DECLINED, Status.CANCELLED, Status.INVITED]
    categories = [Category.PARTICIPANT] * 16 + [Category.OBSERVER, Category.PRESS]
    for sector_key, count in spec["sectors"].items():
        sector = Sector(sector_key)
        org_keys = spec["orgs_by_sector"][sector_key]
        for i in range(count):
            org = orgs[org_keys[i % len(org_keys)]]
            pool = names.get(org.country or "KZ", names["KZ"]) if sector == Sector.DIPLOMATIC else names["KZ"]
            gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
            if rng.random() < 0.03:
                gender = Gender.NOT_STATED
            is_female = gender == Gender.FEMALE or (gender == Gender.NOT_STATED and rng.random() < 0.5)
            for _ in range(50):
                given = rng.choice(pool["female" if is_female else "male"])
                idx = rng.randrange(len(pool["family_male"]))
                family = pool["family_female" if is_female else "family_male"][idx]
                if (given, family) not in used:
                    break
            used.add((given, family))
            patronymic = None
            if "patronymic_stems" in pool and rng.random() < 0.7:
                stem = rng.choice(pool["patronymic_stems"])
                patronymic = stem + ("вна" if is_female and stem.endswith(("е", "о")) else
                                     "овна" if is_female else
                                     "вич" if stem.endswith(("е", "о")) else "ович")
            domain = "example.kz" if (org.country or "KZ") == "KZ" else "example.org"
            email = f"{ascii_slug(given)[:1]}.{ascii_slug(family)}{len(out) + 1}@{domain}"
            person = Person(
                given_name=given, family_name=family, patronymic=patronymic,
                position=rng.choice(spec["positions"][sector_key]), organisation=org,
                country=org.country, email=email, gender=gender,
            )
            out.append(Registration(
                event=event, person=person, category=rng.choice(categories),
                status=rng.choice(statuses), badge_code=codes.new(), source=Source.DEMO,
                photo_consent=rng.random() < 0.85,
            ))
    return out
