from __future__ import annotations

import datetime as dt

import pytest

from db.engine import Database
from db.models import Event
from desktop.core.events import EventNotFound, event_detail, format_dates, resolve_event


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2025, 2, 28), (2025, 2, 28), "28 February 2025"),
        ((2025, 3, 3), (2025, 3, 5), "3–5 March 2025"),
        ((2025, 3, 30), (2025, 4, 2), "30 March – 2 April 2025"),
        ((2025, 12, 31), (2026, 1, 1), "31 December 2025 – 1 January 2026"),
    ],
)
def test_format_dates(start, end, expected) -> None:  # type: ignore[no-untyped-def]
    assert format_dates(dt.date(*start), dt.date(*end)) == expected


def _add_event(database: Database, title: str) -> int:
    with database.write() as s:
        ev = Event(title={"en": title}, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2))
        s.add(ev)
        s.flush()
        return ev.id


def test_resolve_event_none_one_many(database: Database) -> None:
    with database.read() as s, pytest.raises(EventNotFound, match="no event yet"):
        resolve_event(s, None)
    first = _add_event(database, "Spring school")
    with database.read() as s:
        assert resolve_event(s, None).id == first
    second = _add_event(database, "Autumn forum")
    with database.read() as s:
        with pytest.raises(EventNotFound, match=r"2 events.*Spring school.*|2 events.*Autumn forum"):
            resolve_event(s, None)
        assert resolve_event(s, second).title == {"en": "Autumn forum"}
        with pytest.raises(EventNotFound, match="no event with id 999"):
            resolve_event(s, 999)


def test_event_detail_of_demo(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        detail = event_detail(s, event_id)
    assert detail.timezone == "Asia/Almaty"
    assert [r[1]["en"] for r in detail.rooms] == ["Main hall", "Foyer", "Restaurant"]
    funders = [p.name["en"] for p in detail.partners if p.role.value == "funder"]
    assert funders == ["Republic of Poland", "Kingdom of Norway", "United States of America"]
