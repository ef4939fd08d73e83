"""The conflict rules of desktop.core.conflicts: table-driven over plain facts, then the
demo event read from the database on each backend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AgendaItem, AgendaSession, Registration, Role, RoleKind, Status
from desktop.core.conflicts import (
    AgendaFacts,
    Conflict,
    ItemFacts,
    PersonFacts,
    Rule,
    SessionFacts,
    check,
    conflicts_by_item,
    find_conflicts,
    quoted,
)

DAY = dt.date(2025, 2, 28)
MOD, SPK, DIS = RoleKind.MODERATOR, RoleKind.SPEAKER, RoleKind.DISCUSSANT
HALL_A, HALL_B = 1, 2
ALIYA, BOLAT, CHEN = 10, 11, 12


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def item(iid: int, start: str, end: str, title: str = "", room: int | None = HALL_A,
         session: int | None = None, people: tuple[tuple[RoleKind, int], ...] = (),
         day: dt.date = DAY) -> ItemFacts:
    return ItemFacts(iid, title or f"Item {iid}", at(start, day), at(end, day), room, session, people)


def sess(sid: int, start: str, end: str, title: str = "", room: int | None = HALL_A,
         people: tuple[tuple[RoleKind, int], ...] = ((MOD, CHEN),), day: dt.date = DAY) -> SessionFacts:
    return SessionFacts(sid, title or f"Session {sid}", at(start, day), at(end, day), room, people)


PEOPLE = {
    ALIYA: PersonFacts(ALIYA, "Aliya Seitkali", Status.CONFIRMED),
    BOLAT: PersonFacts(BOLAT, "Bolat Nurlanov", Status.DECLINED),
    CHEN: PersonFacts(CHEN, "Chen Wei", Status.CONFIRMED),
}


def facts(*things: ItemFacts | SessionFacts, people: dict[int, PersonFacts] | None = None,
          days: tuple[dt.date, dt.date] = (DAY, DAY)) -> AgendaFacts:
    return AgendaFacts(
        days[0], days[1],
        tuple(t for t in things if isinstance(t, SessionFacts)),
        tuple(t for t in things if isinstance(t, ItemFacts)),
        PEOPLE if people is None else people,
        {HALL_A: "Hall A", HALL_B: "Hall B"},
    )


@dataclass(frozen=True)
class Case:
    name: str
    agenda: AgendaFacts
    rule: Rule
    expected: list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]  # (items, sessions, people)
    words: tuple[str, ...] = field(default=())


CASES = [
    # -- a person in two places -----------------------------------------------------------
    Case("person in two overlapping items",
         facts(item(1, "11:00", "11:30", "Judicial independence", HALL_A, people=((SPK, ALIYA),)),
               item(2, "11:15", "11:45", "Q&A", HALL_B, people=((SPK, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, [((1, 2), (), (ALIYA,))],
         ("Aliya Seitkali is in two places at 11:15–11:30 on 28 Feb:",
          "“Judicial independence” (Hall A)", "“Q&A” (Hall B)")),
    Case("person in items that touch end to start",
         facts(item(1, "11:00", "11:15", room=HALL_A, people=((SPK, ALIYA),)),
               item(2, "11:15", "11:45", room=HALL_B, people=((SPK, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, []),
    Case("two roles of one person in one item",
         facts(item(1, "11:00", "11:30", people=((SPK, ALIYA), (DIS, ALIYA)))),
         Rule.PERSON_DOUBLE_BOOKED, []),
    Case("moderator speaks in the session they moderate",
         facts(sess(5, "10:00", "12:00", people=((MOD, ALIYA),)),
               item(1, "10:00", "10:20", session=5, people=((SPK, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, []),
    Case("moderator speaks in a parallel session",
         facts(sess(5, "10:00", "12:00", "Courts", HALL_A, people=((MOD, ALIYA),)),
               sess(6, "10:00", "12:00", "Schools", HALL_B),
               item(1, "10:30", "10:50", "Training", HALL_B, session=6, people=((SPK, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, [((1,), (5,), (ALIYA,))],
         ("Aliya Seitkali", "10:30–10:50 on 28 Feb", "session “Courts” (Hall A)", "“Training” (Hall B)")),
    Case("moderator of two overlapping sessions",
         facts(sess(5, "10:00", "11:00", room=HALL_A, people=((MOD, ALIYA),)),
               sess(6, "10:45", "12:00", room=HALL_B, people=((MOD, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, [((), (5, 6), (ALIYA,))], ("10:45–11:00",)),
    Case("same person, same room, overlapping",
         facts(item(1, "09:00", "10:00", people=((SPK, ALIYA),)),
               item(2, "09:30", "10:30", people=((SPK, ALIYA),))),
         Rule.PERSON_DOUBLE_BOOKED, [((1, 2), (), (ALIYA,))], ("is booked twice at 09:30–10:00",)),
    Case("three overlapping items give three pairs",
         facts(*(item(i, "09:00", "10:00", room=None, people=((SPK, ALIYA),)) for i in (1, 2, 3))),
         Rule.PERSON_DOUBLE_BOOKED,
         [((1, 2), (), (ALIYA,)), ((1, 3), (), (ALIYA,)), ((2, 3), (), (ALIYA,))]),
    Case("same times on different days",
         facts(item(1, "09:00", "10:00", people=((SPK, ALIYA),)),
               item(2, "09:00", "10:00", people=((SPK, ALIYA),), day=DAY + dt.timedelta(days=1)),
               days=(DAY, DAY + dt.timedelta(days=1))),
         Rule.PERSON_DOUBLE_BOOKED, []),
    # -- a room double-booked -------------------------------------------------------------
    Case("two items overlap in one room",
         facts(item(1, "09:00", "10:00", "Opening"), item(2, "09:45", "10:30", "Keynote")),
         Rule.ROOM_DOUBLE_BOOKED, [((1, 2), (), ())],
         ("Hall A is double-booked at 09:45–10:00 on 28 Feb: “Opening” and “Keynote”.",)),
    Case("items touching in one room",
         facts(item(1, "09:00", "10:00"), item(2, "10:00", "10:30")),
         Rule.ROOM_DOUBLE_BOOKED, []),
    Case("overlapping items in different rooms",
         facts(item(1, "09:00", "10:00", room=HALL_A), item(2, "09:00", "10:00", room=HALL_B)),
         Rule.ROOM_DOUBLE_BOOKED, []),
    Case("items without a room",
         facts(item(1, "09:00", "10:00", room=None), item(2, "09:00", "10:00", room=None)),
         Rule.ROOM_DOUBLE_BOOKED, []),
    Case("items inside the session holding the room",
         facts(sess(5, "10:00", "11:00"), item(1, "10:00", "10:30", session=5),
               item(2, "10:30", "11:00", room=None, session=5)),
         Rule.ROOM_DOUBLE_BOOKED, []),
    Case("two items of one session overlap in its room",
         facts(sess(5, "10:00", "11:00"), item(1, "10:00", "10:40", session=5),
               item(2, "10:30", "11:00", room=None, session=5)),
         Rule.ROOM_DOUBLE_BOOKED, [((1, 2), (), ())], ("10:30–10:40",)),
    Case("a top-level item in a session's room",
         facts(sess(5, "10:00", "11:00", "Courts"), item(1, "10:00", "10:30", session=5),
               item(2, "10:45", "11:15", "Coffee break")),
         Rule.ROOM_DOUBLE_BOOKED, [((2,), (5,), ())],
         ("Hall A is double-booked at 10:45–11:00 on 28 Feb: session “Courts” and “Coffee break”.",)),
    Case("an item of a session placed in another room",
         facts(sess(5, "10:00", "11:00", room=HALL_A), sess(6, "10:00", "11:00", room=HALL_B),
               item(1, "10:00", "10:30", room=HALL_B, session=5)),
         Rule.ROOM_DOUBLE_BOOKED, [((1,), (6,), ())]),
    Case("two sessions in one room",
         facts(sess(5, "10:00", "11:00"), sess(6, "10:30", "11:30")),
         Rule.ROOM_DOUBLE_BOOKED, [((), (5, 6), ())]),
    # -- an item outside its session ------------------------------------------------------
    Case("item runs past its session",
         facts(sess(5, "11:30", "12:45", "Session 2"), item(1, "12:15", "12:50", "Q&A", session=5)),
         Rule.OUTSIDE_SESSION, [((1,), (5,), ())],
         ("“Q&A” (12:15–12:50 on 28 Feb) runs past the end of its session “Session 2” "
          "(11:30–12:45 on 28 Feb).",)),
    Case("item starts before its session",
         facts(sess(5, "11:30", "12:45"), item(1, "11:25", "11:50", session=5)),
         Rule.OUTSIDE_SESSION, [((1,), (5,), ())], ("starts before its session",)),
    Case("item wholly outside its session",
         facts(sess(5, "11:30", "12:45"), item(1, "14:00", "14:30", session=5)),
         Rule.OUTSIDE_SESSION, [((1,), (5,), ())], ("lies outside its session",)),
    Case("item exactly filling its session",
         facts(sess(5, "11:30", "12:45"), item(1, "11:30", "12:45", session=5)),
         Rule.OUTSIDE_SESSION, []),
    Case("top-level item has no session to be outside of",
         facts(item(1, "07:00", "23:00")),
         Rule.OUTSIDE_SESSION, []),
    # -- outside the event's days ---------------------------------------------------------
    Case("item the day after the event",
         facts(item(1, "09:00", "10:00", "Excursion", day=DAY + dt.timedelta(days=1))),
         Rule.OUTSIDE_EVENT_DAYS, [((1,), (), ())],
         ("“Excursion” at 09:00–10:00 on 1 Mar is outside the event's days (28 Feb 2025).",)),
    Case("session the day before the event",
         facts(sess(5, "18:00", "19:00", "Reception", day=DAY - dt.timedelta(days=1))),
         Rule.OUTSIDE_EVENT_DAYS, [((), (5,), ())], ("Session “Reception” at 18:00–19:00 on 27 Feb",)),
    Case("item ending at midnight of the last day",
         facts(ItemFacts(1, "Dinner", at("20:00"), at("00:00", DAY + dt.timedelta(days=1)), HALL_A)),
         Rule.OUTSIDE_EVENT_DAYS, []),
    Case("items on the first and last days",
         facts(item(1, "00:00", "01:00"), item(2, "23:00", "23:59", day=DAY + dt.timedelta(days=2)),
               days=(DAY, DAY + dt.timedelta(days=2))),
         Rule.OUTSIDE_EVENT_DAYS, []),
    # -- declined or cancelled, still on the programme -------------------------------------
    Case("declined speaker",
         facts(item(1, "10:00", "10:20", "Judicial ethics", people=((SPK, BOLAT), (SPK, ALIYA)))),
         Rule.DECLINED_ON_PROGRAMME, [((1,), (), (BOLAT,))],
         ("Bolat Nurlanov has declined but is still a speaker in “Judicial ethics” at 10:00–10:20 on 28 Feb.",)),
    Case("cancelled moderator",
         facts(sess(5, "10:00", "11:00", "Courts", people=((MOD, ALIYA),)),
               people={ALIYA: PersonFacts(ALIYA, "Aliya Seitkali", Status.CANCELLED)}),
         Rule.DECLINED_ON_PROGRAMME, [((), (5,), (ALIYA,))],
         ("Aliya Seitkali has cancelled their registration but is still a moderator of session “Courts”",)),
    Case("confirmed, invited and unregistered people",
         facts(item(1, "10:00", "10:20", people=((SPK, ALIYA), (SPK, CHEN), (SPK, 99))),
               people={ALIYA: PersonFacts(ALIYA, "A", Status.INVITED), CHEN: PersonFacts(CHEN, "C", None)}),
         Rule.DECLINED_ON_PROGRAMME, []),
    # -- a session without a moderator ----------------------------------------------------
    Case("session with a rapporteur only",
         facts(sess(5, "10:00", "11:00", "Courts", people=((RoleKind.RAPPORTEUR, ALIYA),))),
         Rule.SESSION_WITHOUT_MODERATOR, [((), (5,), ())],
         ("Session “Courts” at 10:00–11:00 on 28 Feb has no moderator.",)),
    Case("session with nobody",
         facts(sess(5, "10:00", "11:00", people=())),
         Rule.SESSION_WITHOUT_MODERATOR, [((), (5,), ())]),
    Case("session with a moderator",
         facts(sess(5, "10:00", "11:00", people=((MOD, ALIYA),))),
         Rule.SESSION_WITHOUT_MODERATOR, []),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule(case: Case) -> None:
    found = [c for c in check(case.agenda) if c.rule is case.rule]
    assert [(c.item_ids, c.session_ids, c.person_ids) for c in found] == case.expected
    for word in case.words:
        assert any(word in c.message for c in found), (word, [c.message for c in found])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_sentences(case: Case) -> None:
    """Each conflict is one sentence: a capital or a name first, one full stop at the end."""
    for c in check(case.agenda):
        assert c.message.endswith(".") and not c.message.endswith("..")
        assert c.message[0].isupper() or c.message[0] == "“"
        assert " on " in c.message or "event's days" in c.message  # says when


def test_no_conflicts_in_a_sound_agenda() -> None:
    agenda = facts(
        item(1, "09:00", "09:30", "Registration", HALL_B),
        sess(5, "09:30", "11:00", "Courts", people=((MOD, ALIYA),)),
        item(2, "09:30", "10:00", session=5, people=((SPK, CHEN),)),
        item(3, "10:00", "11:00", room=None, session=5, people=((SPK, ALIYA),)),
        item(4, "11:00", "11:15", "Coffee", HALL_B, people=()),
    )
    assert check(agenda) == []


def test_ordered_by_time_then_rule() -> None:
    agenda = facts(
        sess(5, "14:00", "15:00", people=()),
        item(1, "09:00", "10:00", people=((SPK, BOLAT),)),
        item(2, "09:30", "10:30"),
    )
    rules = [c.rule for c in check(agenda)]
    assert rules == [Rule.DECLINED_ON_PROGRAMME, Rule.ROOM_DOUBLE_BOOKED, Rule.SESSION_WITHOUT_MODERATOR]


def test_conflicts_by_item() -> None:
    agenda = facts(item(1, "09:00", "10:00"), item(2, "09:30", "10:30"), item(3, "09:45", "09:50"))
    found = check(agenda)
    marks = conflicts_by_item(found)
    assert set(marks) == {1, 2, 3}
    assert len(marks[1]) == 2 and len(marks[3]) == 2
    assert all(isinstance(c, Conflict) for cs in marks.values() for c in cs)


def test_long_titles_are_shortened_at_a_word() -> None:
    long = "Evaluating judges' professional performance and disciplinary procedures: transparency"
    assert quoted(long) == "“Evaluating judges' professional performance and disciplinary…”"
    assert quoted("  ") == "“Untitled”"


def test_check_does_not_change_its_input() -> None:
    agenda = facts(item(1, "09:00", "10:00"), item(2, "09:30", "10:30"))
    before = replace(agenda)
    check(agenda)
    assert agenda == before


# -- the demo from the database ---------------------------------------------------------------


def test_demo_has_no_conflicts(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        assert find_conflicts(s, event_id) == []


def test_demo_conflicts_appear_and_name_people_in_the_language(demo: tuple[Database, int]) -> None:
    """Making real trouble in the demo finds it, named in the language asked for."""
    database, event_id = demo
    with database.write() as s:
        closing = s.scalars(select(AgendaItem).where(AgendaItem.event_id == event_id,
                                                     AgendaItem.kind == "closing")).one()
        session3 = s.scalars(select(AgendaSession).where(AgendaSession.event_id == event_id)
                             .order_by(AgendaSession.starts_at.desc())).first()
        assert session3 is not None
        # The closing moves into the last quarter hour of session 3, in the same hall.
        closing.starts_at = closing.starts_at.replace(hour=15, minute=0)
        closing.ends_at = closing.ends_at.replace(hour=15, minute=30)
        # Session 3 loses its moderator.
        for role in list(session3.roles):
            s.delete(role)
        # The closing's first speaker (Yuri Fenopetov) declines.
        speaker_id = closing.roles[0].person_id
        reg = s.scalars(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.person_id == speaker_id)).one()
        reg.status = Status.DECLINED
        closing_id, session3_id = closing.id, session3.id

    with database.read() as s:
        found = find_conflicts(s, event_id)
        found_ru = find_conflicts(s, event_id, lang="ru")
    assert {c.rule for c in found} == {Rule.ROOM_DOUBLE_BOOKED, Rule.DECLINED_ON_PROGRAMME,
                                       Rule.SESSION_WITHOUT_MODERATOR}
    [room] = [c for c in found if c.rule is Rule.ROOM_DOUBLE_BOOKED]
    assert room.item_ids == (closing_id,) and room.session_ids == (session3_id,)
    assert room.message.startswith("Main hall is double-booked at 15:00–15:15 on 28 Feb: session “Session 3.")
    assert room.message.endswith("and “Closing: achievements of the project and next steps”.")
    declined = [c for c in found if c.rule is Rule.DECLINED_ON_PROGRAMME]
    # He speaks twice: in session 1 and at the closing.
    assert [c.person_ids for c in declined] == [(speaker_id,), (speaker_id,)]
    assert declined[0].message.startswith("Yuri Fenopetov has declined but is still a speaker in "
                                          "“Sociological surveys")
    [moderator] = [c for c in found if c.rule is Rule.SESSION_WITHOUT_MODERATOR]
    assert moderator.session_ids == (session3_id,)
    assert moderator.message.endswith("at 14:00–15:15 on 28 Feb has no moderator.")
    assert conflicts_by_item(found)[closing_id] == [room, declined[1]]

    ru = {c.rule: c.message for c in found_ru}
    assert ru[Rule.ROOM_DOUBLE_BOOKED].startswith("Большой зал is double-booked")
    assert "“Закрытие: достижения проекта и дальнейшие шаги”" in ru[Rule.ROOM_DOUBLE_BOOKED]
    assert ru[Rule.DECLINED_ON_PROGRAMME].startswith("Юрий Фенопетов has declined")


def test_demo_double_booked_speaker(demo: tuple[Database, int]) -> None:
    """A speaker added to a second, overlapping item is found in two places."""
    database, event_id = demo
    with database.write() as s:
        items = s.scalars(select(AgendaItem).where(AgendaItem.event_id == event_id)
                          .order_by(AgendaItem.starts_at)).all()
        registration = items[0]
        # Registration (09:00–09:30, Foyer) gets the opening's first speaker, and the opening
        # (09:30–10:00, Main hall) starts ten minutes early.
        opening = items[1]
        person_id = opening.roles[0].person_id
        opening.starts_at = opening.starts_at.replace(minute=20)
        registration.roles.append(Role(person_id=person_id, kind=RoleKind.SPEAKER, position=0))
        ids = (registration.id, opening.id)
    with database.read() as s:
        found = [c for c in find_conflicts(s, event_id) if c.rule is Rule.PERSON_DOUBLE_BOOKED]
    assert len(found) == 1
    assert found[0].item_ids == ids and found[0].person_ids == (person_id,)
    assert found[0].message.startswith("Yerzhan Zhienbayev is in two places")
    assert "is in two places at 09:20–09:30 on 28 Feb" in found[0].message
    assert "(Foyer)" in found[0].message and "(Main hall)" in found[0].message


def test_unknown_event(database: Database) -> None:
    with database.read() as s, pytest.raises(LookupError, match="no event with id 12345"):
        find_conflicts(s, 12345)
