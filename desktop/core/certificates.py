"""Certificate numbers: given once, kept for reprints, looked up to verify a paper.

A registration gets its number the first time its certificate is printed
(:func:`assign_numbers`, inside the printing's write transaction) and keeps it: a reprint,
in the same or another language, shows the same number. Numbers are the event's id and a
serial counted per event from 1 ("7-0012"), in the order the first print lists the
people (by surname); unique in the database (``db.models.Certificate``).

Two workstations printing at once cannot take the same serial: on SQLite the write
transaction is ``BEGIN IMMEDIATE``; on PostgreSQL the event's row is locked first
(``SELECT … FOR UPDATE``), so the second printer reads the first one's numbers.

:func:`find_certificate` answers ``verify-certificate NUMBER``: whose it is and for which
event, as plain data (the command line says it in the interface language).

Assigning numbers is not an edit of the window's undo history: a number printed on paper
stays that person's, so no undo takes it back.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_mod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session as OrmSession

from db.models import Certificate, Event, Person, Registration
from db.types import utcnow
from desktop.core.raw import IN_CHUNK

SERIAL_DIGITS = 4


def certificate_number(event_id: int, serial: int) -> str:
    """"7-0012": the event's id and the serial (at least four digits)."""
    return f"{event_id}-{serial:0{SERIAL_DIGITS}d}"


def normalise_number(text: str) -> str:
    """A number as a person may type it ("№ 7-0012", " 7 – 0012 ", "No. 7-12") as stored."""
    cleaned = re.sub(r"^\s*(?:№|No\.?|Nr\.?|N)\s*", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"\s*[-‐‑‒–—]\s*", "-", cleaned).replace(" ", "")
    found = re.fullmatch(r"(\d+)-(\d+)", cleaned)
    if found:
        return certificate_number(int(found.group(1)), int(found.group(2)))
    return cleaned


def numbers_of(session: OrmSession, registration_ids: Sequence[int]) -> dict[int, str]:
    """The numbers the registrations have already (those without one are left out)."""
    found: dict[int, str] = {}
    wanted = sorted(set(registration_ids))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        for rid, number in session.execute(
            select(Certificate.registration_id, Certificate.number).where(Certificate.registration_id.in_(chunk))
        ):
            found[rid] = number
    return found


def assign_numbers(session: OrmSession, event_id: int, registration_ids: Sequence[int]) -> dict[int, str]:
    """Every registration's certificate number, new ones given in the order of
    ``registration_ids`` after the event's last serial; in the caller's write transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    numbers = numbers_of(session, registration_ids)
    new = [rid for rid in dict.fromkeys(registration_ids) if rid not in numbers]
    if not new:
        return numbers
    last = int(session.scalar(select(func.coalesce(func.max(Certificate.serial), 0))
                              .where(Certificate.event_id == event_id)) or 0)
    now = utcnow()
    rows = []
    for serial, rid in enumerate(new, start=last + 1):
        number = certificate_number(event_id, serial)
        rows.append({"uuid": uuid_mod.uuid4(), "event_id": event_id, "registration_id": rid, "serial": serial,
                     "number": number, "issued_at": now})
        numbers[rid] = number
    for start in range(0, len(rows), IN_CHUNK):
        session.execute(insert(Certificate), rows[start:start + IN_CHUNK])
    return numbers


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate number stands for: the person (name fields, as stored now), the
    event (its title per language and its days) and when the number was given."""

    number: str
    event_id: int
    event_title: Mapping[str, str]
    starts_on: dt.date
    ends_on: dt.date
    given: str
    family: str
    patronymic: str | None
    display: Mapping[str, str]
    issued_at: dt.datetime


def find_certificate(session: OrmSession, number: str) -> CertificateFacts | None:
    """The certificate with this number (typed as a person may: see ``normalise_number``),
    or None."""
    wanted = normalise_number(number)
    if not wanted:
        return None
    row = session.execute(
        select(Certificate.number, Event.id, Event.title, Event.starts_on, Event.ends_on, Person.given_name,
               Person.family_name, Person.patronymic, Person.display_name, Certificate.issued_at)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .join(Event, Event.id == Certificate.event_id)
        .where(func.upper(Certificate.number) == wanted.upper())
    ).first()
    if row is None:
        return None
    return CertificateFacts(row[0], int(row[1]), dict(row[2] or {}), row[3], row[4], row[5] or "", row[6] or "",
                            row[7], dict(row[8] or {}), row[9])


__all__ = ["CertificateFacts", "assign_numbers", "certificate_number", "find_certificate", "normalise_number",
           "numbers_of"]
