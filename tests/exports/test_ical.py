"""The agenda as an .ics file: one VEVENT per item, escaping, folding at 75 octets, UTC times."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AgendaItem
from desktop.core.events import EventNotFound
from desktop.exports.ical import Calendar, CalendarItem, escape_text, export_ical, fold, write_calendar

UTC = dt.UTC


def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar stream: CRLF-separated, a line starting with a space
    or tab continues the one before."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    joined: list[bytes] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            joined[-1] += line[1:]
        else:
            joined.append(line)
    return [line.decode("utf-8") for line in joined]


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def split_value(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name, value


def events(lines: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, value = split_value(line)
            current[name] = value
    return found


def test_escaping() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert unescape(escape_text("Room 1, floor 2; \\ back\nnext")) == "Room 1, floor 2; \\ back\nnext"


@pytest.mark.parametrize("text", ["a" * 200, "Қазақстан Республикасының Жоғарғы Соты " * 6, "x" + "€" * 80,
                                  "ab" + "😀" * 40, "short"])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(text: str) -> None:
    data = fold(f"SUMMARY:{text}")
    for physical in data[:-2].split(b"\r\n"):
        assert len(physical) <= 75
        physical.decode("utf-8")  # no character is cut in two
    assert unfold(data) == [f"SUMMARY:{text}"]


def sample_calendar() -> Calendar:
    start = dt.datetime(2025, 2, 28, 4, 0, tzinfo=UTC)
    return Calendar(
        title={"en": "Round table"}, venue={"en": "Centre"}, city={"en": "Astana"},
        items=[
            CalendarItem("a@conference-desk", {"en": "Opening, welcome; and \\ more", "ru": "Открытие"}, start,
                         start + dt.timedelta(minutes=30), "opening", {"en": "Main hall"}, {"en": "Session 1"},
                         [("speaker", {"en": "Ivan Petrov"}, {"en": "Judge"}, {"en": "Supreme Court"}),
                          ("moderator", {"ru": "Аида"}, {}, {})]),
            CalendarItem("b@conference-desk", {}, start + dt.timedelta(hours=1), start + dt.timedelta(hours=2),
                         "lunch"),
        ],
    )


def test_write_calendar() -> None:
    out = io.BytesIO()
    stamp = dt.datetime(2025, 2, 20, 12, 0, tzinfo=UTC)
    assert write_calendar(sample_calendar(), out, "en+ru", stamp=stamp) == 2
    lines = unfold(out.getvalue())
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Conference Desk//Agenda export//EN"]
    assert lines[-1] == "END:VCALENDAR"
    first, second = events(lines)
    assert first["UID"] == "a@conference-desk"
    assert first["DTSTAMP"] == "20250220T120000Z"
    assert (first["DTSTART"], first["DTEND"]) == ("20250228T040000Z", "20250228T043000Z")
    assert unescape(first["SUMMARY"]) == "Opening, welcome; and \\ more"
    assert unescape(first["LOCATION"]) == "Main hall, Centre, Astana"
    assert unescape(first["DESCRIPTION"]).split("\n") == [
        "Открытие", "Session: Session 1", "Ivan Petrov, Judge, Supreme Court", "Moderator: Аида"]
    assert unescape(second["SUMMARY"]) == "Lunch"  # no title: called by its kind
    assert second["TRANSP"] == "TRANSPARENT"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown programme language"):
        write_calendar(sample_calendar(), io.BytesIO(), "de")


def test_the_demo_event(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = tmp_path / "agenda.ics"
    count = export_ical(database, path, event_id, "kk")
    data = path.read_bytes()
    for physical in data.split(b"\r\n"):
        assert len(physical) <= 75
    lines = unfold(data)
    found = events(lines)
    with database.read() as session:
        items = session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.event_id == event_id))
        uuids = set(session.scalars(select(AgendaItem.uuid).where(AgendaItem.event_id == event_id)))
    assert count == len(found) == items
    assert {e["UID"] for e in found} == {f"{u}@conference-desk" for u in uuids}
    # Asia/Almaty was UTC+5 on 28 February 2025: registration at 09:00 local is 04:00 UTC.
    registration = next(e for e in found if unescape(e["SUMMARY"]) == "Қатысушыларды тіркеу")
    assert (registration["DTSTART"], registration["DTEND"]) == ("20250228T040000Z", "20250228T043000Z")
    assert all(e["DTSTART"].endswith("Z") and e["DTEND"] > e["DTSTART"] for e in found)
    assert [e["DTSTART"] for e in found] == sorted(e["DTSTART"] for e in found)
    closing = next(e for e in found if unescape(e["SUMMARY"]).startswith("Жабылу"))
    assert "Юрий Фенопетов, Басшының орынбасары, ЕҚЫҰ-ның Астанадағы бағдарламалар офисі" in unescape(
        closing["DESCRIPTION"])
    assert unescape(closing["LOCATION"]).startswith("Үлкен зал, ")


def test_failures_leave_no_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(EventNotFound):
        export_ical(database, out / "x.ics", event_id + 50)
    with pytest.raises(ValueError):
        export_ical(database, out / "x.ics", event_id, "xx")
    assert list(out.iterdir()) == []
