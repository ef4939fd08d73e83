"""Certificate numbers: one per registration, given in the order printed, kept for reprints,
found again as a person types them (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Certificate, Registration
from desktop.core.certificates import (
    assign_numbers,
    certificate_number,
    find_certificate,
    normalise_number,
    numbers_of,
)


def _registrations(database: Database, event_id: int, n: int) -> list[int]:
    with database.read() as s:
        return list(s.scalars(select(Registration.id).where(Registration.event_id == event_id)
                              .order_by(Registration.id.desc()).limit(n)))


def test_numbers_are_given_once_in_the_order_printed_and_kept(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    first, second, third = _registrations(database, event_id, 3)
    with database.write() as s:
        numbers = assign_numbers(s, event_id, [second, first])
    assert numbers == {second: certificate_number(event_id, 1), first: certificate_number(event_id, 2)}
    assert numbers[second] == f"{event_id}-0001"
    with database.write() as s:  # a reprint with one more person
        again = assign_numbers(s, event_id, [first, third, second])
    assert again == {**numbers, third: f"{event_id}-0003"}
    with database.read() as s:
        assert s.scalar(select(Certificate.serial).where(Certificate.registration_id == third)) == 3
        assert numbers_of(s, [first, second, third, 10**9]) == again


def test_find_a_certificate_as_typed(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    (rid,) = _registrations(database, event_id, 1)
    with database.write() as s:
        number = assign_numbers(s, event_id, [rid])[rid]
        reg = s.get(Registration, rid)
        assert reg is not None
        family = reg.person.family_name
    with database.read() as s:
        for typed in (number, f"№ {number}", f" No. {event_id} – 1 ", f"{event_id}-1"):
            facts = find_certificate(s, typed)
            assert facts is not None, typed
            assert facts.number == number and facts.event_id == event_id and facts.family == family
            assert facts.event_title["en"].startswith("Improving")
        assert find_certificate(s, f"{event_id}-0002") is None
        assert find_certificate(s, "") is None
        assert find_certificate(s, "nonsense") is None


@pytest.mark.parametrize("typed, stored", [
    ("7-0012", "7-0012"), ("№7-12", "7-0012"), ("no. 7 — 0012", "7-0012"), ("7-12345", "7-12345"), ("abc", "abc"),
])
def test_normalise_number(typed: str, stored: str) -> None:
    assert normalise_number(typed) == stored


def test_two_printers_at_once_take_no_serial_twice(demo: tuple[Database, int]) -> None:
    """Two workstations print overlapping selections at the same moment (the second while the
    first has given its numbers but not yet committed them): every registration gets one
    number, and no serial is given twice."""
    import threading
    import time

    database, event_id = demo
    ids = _registrations(database, event_id, 40)
    results: dict[str, dict[int, str]] = {}
    errors: list[BaseException] = []
    given = threading.Event()

    def first() -> None:
        try:
            with database.write() as s:
                results["first"] = assign_numbers(s, event_id, ids[:30])
                given.set()
                time.sleep(0.5)  # the second printer starts now
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            given.set()

    def second() -> None:
        try:
            given.wait(30)
            with database.write() as s:
                results["second"] = assign_numbers(s, event_id, ids[10:])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert all(results["first"][r] == results["second"][r] for r in ids[10:30])  # read, not made again
    with database.read() as s:
        rows = s.execute(select(Certificate.registration_id, Certificate.serial).where(
            Certificate.event_id == event_id)).all()
    assert sorted(r for r, _ in rows) == sorted(ids)
    assert sorted(serial for _, serial in rows) == list(range(1, 41))
