"""Merging two records of one person: fields, roles, registrations, check-ins, and undo (``changes.revert``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    Category,
    CheckIn,
    CheckInAction,
    Event,
    Gender,
    ItemKind,
    Organisation,
    Person,
    Registration,
    Role,
    RoleKind,
    Status,
)
from desktop.core.changes import id_for_uuid, revert, take_images
from desktop.core.merge import MergeError, merge_people, plan_merge
from desktop.core.people import PersonData, create_person, load_person
from tests.core.subjects import made
from tests.images import png

DAY = dt.date(2025, 3, 3)


def at(hour: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour))


def stamp(minute: int) -> dt.datetime:
    return dt.datetime(2025, 3, 3, 8, minute, tzinfo=dt.UTC)


@dataclasses.dataclass
class World:
    keep: int
    drop: int
    events: dict[str, int]
    item: int
    session: int


def make_world(database: Database) -> World:
    """Two records of Aliya: A (kept) and B (the duplicate), in three events.

    * "both": both registered — A invited, B confirmed and checked in at a desk;
    * "b-only": only B registered (moves over);
    * "a-only": only A registered;
    roles: A moderates the session, B speaks in the item and also moderates the same session.
    """
    with database.write() as session:
        org = Organisation(name={"en": "Supreme Court"})
        session.add(org)
        events = {}
        for key in ("both", "b-only", "a-only"):
            ev = Event(title={"en": f"Event {key}"}, starts_on=DAY, ends_on=DAY)
            session.add(ev)
            events[key] = ev
        s = AgendaSession(event=events["both"], title={"en": "Panel"}, starts_at=at(10), ends_at=at(11))
        item = AgendaItem(event=events["both"], session=s, kind=ItemKind.PRESENTATION,
                          title={"en": "Talk"}, starts_at=at(10), ends_at=at(11))
        session.add_all([s, item])
        session.flush()
        keep = made(create_person(session, PersonData(
            given_name="Aliya", family_name="Sarsenbayeva", position={"en": "Judge"},
            email="aliya@court.kz", gender=Gender.NOT_STATED)))
        drop = made(create_person(session, PersonData(
            given_name="Алия", family_name="Сарсенбаева", patronymic="Маратовна",
            position={"en": "Justice", "ru": "Судья", "kk": "Судья"}, organisation_id=org.id,
            country="KZ", phone="+7 701 000 00 00", gender=Gender.FEMALE, photo=png(),
            email="a.sarsenbayeva@court.kz")))
        session.add_all([
            Role(person_id=keep, session_id=s.id, kind=RoleKind.MODERATOR),
            Role(person_id=drop, session_id=s.id, kind=RoleKind.MODERATOR),  # a repeat
            Role(person_id=drop, item_id=item.id, kind=RoleKind.SPEAKER),
        ])
        r_a = Registration(event=events["both"], person_id=keep, status=Status.INVITED, badge_code="AAAAAA",
                           category=Category.SPEAKER)
        r_b = Registration(event=events["both"], person_id=drop, status=Status.CONFIRMED, badge_code="BBBBBB",
                           dietary="vegetarian", photo_consent=True)
        session.add_all([
            r_a, r_b,
            Registration(event=events["b-only"], person_id=drop, badge_code="CCCCCC"),
            Registration(event=events["a-only"], person_id=keep, badge_code="DDDDDD"),
        ])
        session.flush()
        first = CheckIn(registration_id=r_b.id, desk="Desk 1", action=CheckInAction.IN, happened_at=stamp(40))
        session.add(first)
        session.flush()
        session.add_all([
            CheckIn(registration_id=r_b.id, desk="Desk 1", action=CheckInAction.UNDO, undoes=first.uuid,
                    happened_at=stamp(41)),
            CheckIn(registration_id=r_b.id, desk="Desk 2", action=CheckInAction.IN, happened_at=stamp(42)),
        ])
        return World(keep, drop, {k: v.id for k, v in events.items()}, item.id, s.id)


def state(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Everything a merge touches, by uuid, to compare before and after an undo."""
    with database.read() as session:
        out = {}
        for name, where in (("person", Person.id > 0), ("role", Role.id > 0), ("registration", Registration.id > 0),
                            ("check_in", CheckIn.id > 0)):
            images = take_images(session, name, where)
            out[name] = sorted(
                (img.uuid, tuple(sorted((k, str(v)) for k, v in img.values.items()
                                        if k not in ("id", "updated_at", "version"))),
                 tuple(sorted((k, str(v)) for k, v in img.refs.items())))
                for img in images
            )
        return out


def test_the_plan_shows_both_values_and_which_is_kept(database: Database) -> None:
    w = make_world(database)
    with database.read() as session:
        plan = plan_merge(session, w.keep, w.drop)
    by_field = {c.field: c for c in plan.fields}
    assert (by_field["given_name"].kept, by_field["given_name"].other, by_field["given_name"].result) == \
        ("Aliya", "Алия", "Aliya")
    assert by_field["given_name"].source == "kept" and by_field["given_name"].differs
    assert by_field["patronymic"].source == "other" and by_field["patronymic"].result == "Маратовна"
    assert by_field["position.en"].result == "Judge"
    assert by_field["position.ru"].source == "other"
    assert by_field["organisation_id"].result == "Supreme Court"
    assert by_field["gender"].result == "Female"  # "not stated" counts as empty
    assert by_field["photo"].source == "other" and by_field["photo"].result == "PNG, 3 × 2"
    assert plan.roles_moved == 1 and plan.roles_duplicate == 1
    both = next(r for r in plan.registrations if r.kept and r.other)
    assert both.winner == "other"  # B's registration has check-ins
    assert "badge BBBBBB stays (it has check-ins)" in both.describe()
    assert "1 repeated role" in plan.summary()


def test_merge_keeps_all_roles_and_registrations_and_moves_check_ins(database: Database) -> None:
    w = make_world(database)
    with database.read() as session:
        check_in_uuids = set(session.scalars(select(CheckIn.uuid)))
    with database.write() as session:
        merge_people(session, w.keep, w.drop)
    with database.read() as session:
        assert session.get(Person, w.drop) is None
        merged = load_person(session, w.keep)
        assert (merged.given_name, merged.family_name, merged.patronymic) == ("Aliya", "Sarsenbayeva", "Маратовна")
        assert merged.position == {"en": "Judge", "ru": "Судья", "kk": "Судья"}
        assert merged.email == "aliya@court.kz" and merged.phone == "+7 701 000 00 00"
        assert merged.gender == Gender.FEMALE and merged.photo == png() and merged.country == "KZ"
        roles = session.execute(select(Role.person_id, Role.session_id, Role.item_id, Role.kind)).all()
        assert sorted(roles, key=str) == sorted([
            (w.keep, w.session, None, RoleKind.MODERATOR), (w.keep, None, w.item, RoleKind.SPEAKER)], key=str)
        regs = {ev: (code, status, dietary, consent, category, person) for ev, code, status, dietary, consent, category,
                person in session.execute(select(
                    Registration.event_id, Registration.badge_code, Registration.status, Registration.dietary,
                    Registration.photo_consent, Registration.category, Registration.person_id))}
        assert regs == {
            # B's registration stays (it has check-ins), now A's, with its values.
            w.events["both"]: ("BBBBBB", Status.CONFIRMED, "vegetarian", True, Category.PARTICIPANT, w.keep),
            w.events["b-only"]: ("CCCCCC", Status.REGISTERED, None, None, Category.PARTICIPANT, w.keep),
            w.events["a-only"]: ("DDDDDD", Status.REGISTERED, None, None, Category.PARTICIPANT, w.keep),
        }
        assert set(session.scalars(select(CheckIn.uuid))) == check_in_uuids  # no check-in lost


def test_when_neither_has_check_ins_the_better_status_wins_and_the_other_fills_in(database: Database) -> None:
    w = make_world(database)
    with database.write() as session:
        session.execute(CheckIn.__table__.delete())
        session.execute(Registration.__table__.update()
                        .where(Registration.badge_code == "AAAAAA").values(status=Status.WAITLISTED))
    with database.read() as session:
        plan = plan_merge(session, w.keep, w.drop)
    both = next(r for r in plan.registrations if r.kept and r.other)
    assert both.winner == "other" and "its status is better" in both.describe()
    with database.write() as session:
        session.execute(Registration.__table__.update()
                        .where(Registration.badge_code == "AAAAAA").values(status=Status.CONFIRMED))
    with database.write() as session:
        merge_people(session, w.keep, w.drop)
    with database.read() as session:
        code, status, dietary, consent, category = session.execute(
            select(Registration.badge_code, Registration.status, Registration.dietary, Registration.photo_consent,
                   Registration.category)
            .where(Registration.event_id == w.events["both"])).one()
    # A tie on status: the kept record's registration stays and takes B's needs.
    assert (code, status, dietary, consent, category) == ("AAAAAA", Status.CONFIRMED, "vegetarian", True,
                                                          Category.SPEAKER)


def test_when_both_were_checked_in_the_losers_check_ins_move_to_the_registration_kept(
        database: Database) -> None:
    w = make_world(database)
    with database.write() as session:
        reg_a = session.scalar(select(Registration.id).where(Registration.badge_code == "AAAAAA"))
        session.add(CheckIn(registration_id=reg_a, desk="Desk 9", action=CheckInAction.IN, happened_at=stamp(1)))
    with database.read() as session:
        plan = plan_merge(session, w.keep, w.drop)
        all_check_ins = set(session.scalars(select(CheckIn.uuid)))
    both = next(r for r in plan.registrations if r.kept and r.other)
    assert both.winner == "other"  # both have check-ins: B's status (confirmed) is better
    assert "1 check-in record move" in both.describe()
    before = state(database)
    with database.write() as session:
        change = merge_people(session, w.keep, w.drop)
    with database.read() as session:
        on_b = set(session.scalars(
            select(CheckIn.uuid).join(Registration, Registration.id == CheckIn.registration_id)
            .where(Registration.badge_code == "BBBBBB")))
    assert on_b == all_check_ins and len(on_b) == 4
    with database.write() as session:
        revert(session, change)
    assert state(database) == before


@pytest.mark.parametrize("keep_first", [True, False])
def test_undo_puts_every_row_back_where_it_was(database: Database, keep_first: bool) -> None:
    w = make_world(database)
    keep, drop = (w.keep, w.drop) if keep_first else (w.drop, w.keep)
    before = state(database)
    with database.read() as session:
        drop_uuid = session.scalar(select(Person.uuid).where(Person.id == drop))
    with database.write() as session:
        change = merge_people(session, keep, drop)
    merged = state(database)
    assert merged != before
    with database.write() as session:
        redo = revert(session, change)
        assert redo.subject is not None and drop_uuid is not None
        kept_id, restored_id = redo.subject.id, id_for_uuid(session, "person", drop_uuid)
    assert kept_id == keep and restored_id == drop
    assert state(database) == before
    # Redo, then undo again: the same results.
    with database.write() as session:
        undo = revert(session, redo)
    assert state(database) == merged
    with database.write() as session:
        revert(session, undo)
    assert state(database) == before
    # And merged anew, then undone: the same result.
    with database.write() as session:
        change = merge_people(session, keep, drop)
    with database.write() as session:
        revert(session, change)
    assert state(database) == before


def test_a_check_in_made_after_the_merge_stays_on_the_kept_registration_when_undone(database: Database) -> None:
    w = make_world(database)
    with database.write() as session:
        change = merge_people(session, w.keep, w.drop)
    later = uuid.uuid4()
    with database.write() as session:
        reg = session.scalar(select(Registration.id).where(Registration.event_id == w.events["a-only"]))
        session.add(CheckIn(uuid=later, registration_id=reg, desk="Desk 3", action=CheckInAction.IN))
    with database.write() as session:
        revert(session, change)
    with database.read() as session:
        owner = session.scalar(select(Registration.person_id).join(CheckIn, CheckIn.registration_id == Registration.id)
                               .where(CheckIn.uuid == later))
    assert owner == w.keep


def test_a_record_cannot_be_merged_with_itself(database: Database) -> None:
    w = make_world(database)
    with database.read() as session, pytest.raises(MergeError, match="itself"):
        plan_merge(session, w.keep, w.keep)


def test_a_failed_merge_changes_nothing(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    w = make_world(database)
    before = state(database)
    import desktop.core.merge as merge_module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge_module, "update_person", broken)
    with pytest.raises(RuntimeError), database.write() as session:
        merge_people(session, w.keep, w.drop)
    assert state(database) == before


def test_merging_demo_namesakes_keeps_totals(demo: tuple[Database, int]) -> None:
    database, _ = demo
    with database.read() as session:
        a, b = session.scalars(select(Role.person_id).distinct().order_by(Role.person_id).limit(2)).all()
        roles = session.scalar(select(func.count()).select_from(Role))
        regs = session.scalar(select(func.count()).select_from(Registration))
        people = session.scalar(select(func.count()).select_from(Person))
        plan = plan_merge(session, a, b)
    with database.write() as session:
        merge_people(session, a, b)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == people - 1
        assert session.scalar(select(func.count()).select_from(Registration)) == regs - 1  # same event
        assert session.scalar(select(func.count()).select_from(Role)) == roles - plan.roles_duplicate
