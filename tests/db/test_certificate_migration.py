"""Migration 0005 on a database with data: the certificates' table and the event's
signatories come and go without touching the rows already there (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from db.engine import open_database
from db.migrate import downgrade
from db.models import Certificate, Event, Registration
from tests.db.conftest import add_sample

SIGNATORIES = ("signatory1_name", "signatory1_title", "signatory2_name", "signatory2_title")


def test_an_event_of_0004_gets_empty_signatories_and_no_certificates(db_target: str) -> None:
    db = open_database(db_target)
    try:
        sample = add_sample(db)
        downgrade(db.engine, "0004")
        with db.engine.connect() as conn:
            insp = inspect(conn)
            assert "certificate" not in insp.get_table_names()
            assert not {c["name"] for c in insp.get_columns("event")} & set(SIGNATORIES)
    finally:
        db.close()

    db = open_database(db_target)  # upgraded on open
    try:
        with db.read() as s:
            event = s.get(Event, sample.one("event"))
            assert event is not None and event.title["en"] == "Round table on court practice"
            assert [getattr(event, c) for c in SIGNATORIES] == [{}, {}, {}, {}]
            assert s.scalars(select(Certificate)).all() == []
            assert s.scalar(select(Registration.badge_code)) == "K7Q2MX"
        with db.write() as s:
            event = s.get(Event, sample.one("event"))
            assert event is not None
            event.signatory1_name = {"ru": "Иванова Мария Петровна"}
            s.add(Certificate(event_id=event.id, registration_id=sample.one("registration"), serial=1, number="x-1"))
        with db.read() as s:
            assert s.scalar(select(Event.signatory1_name)) == {"ru": "Иванова Мария Петровна"}
            assert s.scalar(select(Certificate.number)) == "x-1"
    finally:
        db.close()


def test_a_certificate_goes_with_its_registration(db_target: str) -> None:
    db = open_database(db_target)
    try:
        sample = add_sample(db)
        with db.write() as s:
            s.query(Certificate).delete()  # the sample's own
            s.add(Certificate(event_id=sample.one("event"), registration_id=sample.one("registration"),
                              serial=1, number="n-1"))
        with db.write() as s:
            from db.models import CheckIn

            s.query(CheckIn).delete()
            s.query(Registration).delete()
        with db.read() as s:
            assert s.scalars(select(Certificate)).all() == []
    finally:
        db.close()
