"""Setting an event up (desktop/core/event_edit.py) and the whole event (event_lifecycle.py):
validation, create/edit/delete/duplicate and their undo (one Change, taken back by
``changes.revert``), rooms, partners and logos — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid as uuid_mod
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select

from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    Category,
    CheckIn,
    CheckInAction,
    Event,
    EventOrganisation,
    Organisation,
    PartnerRole,
    Person,
    Registration,
    Role,
    Room,
    Sector,
)
from desktop.core.changes import Change, RestoreError, restore_rows, revert
from desktop.core.checks import InvalidData
from desktop.core.event_edit import (
    EventData,
    EventEdit,
    EventSettings,
    LogoSpec,
    NewOrganisation,
    PartnerSpec,
    RoomSpec,
    add_partner,
    add_room,
    agenda_outside,
    apply_settings,
    edit_event,
    load_settings,
    partner_logos,
    remove_partner,
    remove_room,
    rename_room,
    reorder_partners,
    reorder_rooms,
    room_rows,
    room_usage,
    set_logo,
    set_room_capacity,
    update_event,
    validate_event,
    validate_partners,
    validate_rooms,
)
from desktop.core.event_lifecycle import create_event, delete_event, duplicate_event, event_impact, next_year
from desktop.core.organisations import OrganisationData
from tests.databases import content_columns
from tests.images import jpeg_header, png

FORUM = EventData(
    title={"en": "Judicial Forum", "ru": "Судебный форум", "kk": "Сот форумы"},
    starts_on=dt.date(2026, 3, 3), ends_on=dt.date(2026, 3, 4), timezone="Asia/Almaty",
    venue={"en": "Palace of Independence"}, city={"en": "Astana", "ru": "Астана", "kk": "Астана"},
)

# -- validation (table-driven) -------------------------------------------------------------


@pytest.mark.parametrize(("data", "field", "words"), [
    (dataclasses.replace(FORUM, title={}), "title", "needs a title"),
    (dataclasses.replace(FORUM, title={"en": "   ", "ru": ""}), "title", "needs a title"),
    (dataclasses.replace(FORUM, title={"en": "x" * 501}), "title.en", "longer than 500"),
    (dataclasses.replace(FORUM, venue={"kk": "x" * 301}), "venue.kk", "Kazakh venue is longer"),
    (dataclasses.replace(FORUM, starts_on=None), "starts_on", "start date"),
    (dataclasses.replace(FORUM, ends_on=None), "ends_on", "end date"),
    (dataclasses.replace(FORUM, ends_on=dt.date(2026, 3, 1)), "ends_on", "is before the start date"),
    (dataclasses.replace(FORUM, timezone="Mars/Olympus_Mons"), "timezone", "is not a time zone"),
    (dataclasses.replace(FORUM, timezone=""), "timezone", "needs a time zone"),
    (dataclasses.replace(FORUM, timezone="../../etc/passwd"), "timezone", "is not a time zone"),
    (dataclasses.replace(FORUM, languages=()), "languages", "at least one language"),
    (dataclasses.replace(FORUM, languages=("en", "english!")), "languages", "not a language code"),
])
def test_invalid_event_fields(data: EventData, field: str, words: str) -> None:
    report = validate_event(data)
    assert not report.is_valid
    assert [p.field for p in report.errors] == [field]
    assert words in report.errors[0].message
    assert report.errors[0].message.endswith(".")


def test_valid_event_flags_missing_translations_of_its_languages_only() -> None:
    report = validate_event(FORUM)
    assert report.is_valid
    assert sorted(p.field for p in report.warnings) == ["venue.kk", "venue.ru"]
    only_en = validate_event(dataclasses.replace(FORUM, languages=("en",)))
    assert only_en.is_valid and not only_en.warnings


@pytest.mark.parametrize(("rooms", "field", "words"), [
    ([RoomSpec({})], "rooms.0.name", "Room 1 has no name"),
    ([RoomSpec({"en": "Hall A"}), RoomSpec({"en": "hall  a "})], "rooms.1.name", "same name"),
    ([RoomSpec({"en": "Hall A"}), RoomSpec({"ru": "Зал Б", "en": "HALL A"})], "rooms.1.name", "same name"),
    ([RoomSpec({"en": "Hall A"}, 0)], "rooms.0.capacity", "whole number"),
    ([RoomSpec({"en": "Hall A"}, -5)], "rooms.0.capacity", "whole number"),
    ([RoomSpec({"en": "Hall A"}, 1_000_000)], "rooms.0.capacity", "whole number"),
    ([RoomSpec({"en": "x" * 121})], "rooms.0.name", "longer than 120"),
])
def test_invalid_rooms(rooms: list[RoomSpec], field: str, words: str) -> None:
    report = validate_rooms(rooms)
    assert [p.field for p in report.errors] == [field]
    assert words in report.errors[0].message


def test_valid_rooms_and_duplicate_partner() -> None:
    assert validate_rooms([RoomSpec({"en": "Hall A"}, 120), RoomSpec({"ru": "Зал Б"}, None)]).is_valid
    org = uuid_mod.uuid4()
    report = validate_partners([PartnerSpec(org, PartnerRole.FUNDER), PartnerSpec(org, PartnerRole.ORGANISER),
                                PartnerSpec(org, PartnerRole.FUNDER)], {org: "UNDP"})
    assert report.sentence() == "UNDP is listed twice as funder."


# -- helpers ------------------------------------------------------------------------------------


def _org(database: Database, name: str, logo: bytes | None = None) -> tuple[int, uuid_mod.UUID]:
    with database.write() as s:
        org = Organisation(name={"en": name}, sector=Sector.OTHER, logo=logo,
                           logo_mime="image/png" if logo else None)
        s.add(org)
        s.flush()
        return org.id, org.uuid


def _revert(database: Database, change: Change) -> Change:
    """Undo (or redo) a change in a transaction of its own, as the window does."""
    with database.write() as s:
        return revert(s, change)


def _id(change: Change) -> int:
    """The id of the row a change is about."""
    assert change.subject is not None
    return change.subject.id


def _before(change: Change, table: str, column: str) -> list[Any]:
    """The values ``column`` of ``table`` had before the change (as it recorded them)."""
    return [image.values[column] for image in change.before if image.table == table and column in image.values]


def _counts(database: Database) -> dict[str, int]:
    models: dict[str, Any] = {"event": Event, "room": Room, "partner": EventOrganisation, "session": AgendaSession,
                              "item": AgendaItem, "role": Role, "registration": Registration, "check_in": CheckIn,
                              "organisation": Organisation}
    with database.read() as s:
        return {k: int(s.scalar(select(func.count()).select_from(m)) or 0) for k, m in models.items()}


def _dump(database: Database, event_id: int) -> dict[str, Any]:
    """Every row of an event, as plain values, to compare before and after."""
    with database.read() as s:
        def rows(model: Any, *where: Any) -> list[dict[str, Any]]:
            table = model.__table__
            return [dict(r._mapping)
                    for r in s.execute(select(*content_columns(table)).where(*where).order_by(table.c.id))]
        sessions = select(AgendaSession.id).where(AgendaSession.event_id == event_id)
        items = select(AgendaItem.id).where(AgendaItem.event_id == event_id)
        regs = select(Registration.id).where(Registration.event_id == event_id)
        return {
            "event": rows(Event, Event.id == event_id),
            "room": rows(Room, Room.event_id == event_id),
            "partner": rows(EventOrganisation, EventOrganisation.event_id == event_id),
            "session": rows(AgendaSession, AgendaSession.event_id == event_id),
            "item": rows(AgendaItem, AgendaItem.event_id == event_id),
            "role": rows(Role, Role.session_id.in_(sessions) | Role.item_id.in_(items)),
            "registration": rows(Registration, Registration.event_id == event_id),
            "check_in": rows(CheckIn, CheckIn.registration_id.in_(regs)),
        }


# -- create and edit -------------------------------------------------------------------------


def test_create_event_with_rooms_and_partners(database: Database) -> None:
    _oid, org = _org(database, "Supreme Court")
    settings = EventSettings(FORUM, (RoomSpec({"en": "Hall A"}, 200), RoomSpec({"en": "Hall B"})),
                             (PartnerSpec(org, PartnerRole.ORGANISER),))
    with database.write() as s:
        change = create_event(s, settings)
    event_id = _id(change)
    assert change.subject is not None and change.subject.table == "event"
    with database.read() as s:
        loaded = load_settings(s, event_id)
        ev = s.get(Event, event_id)
        assert ev is not None and ev.is_demo is False
    assert loaded.data == FORUM.cleaned()
    assert [(r.name, r.capacity) for r in loaded.rooms] == [({"en": "Hall A"}, 200), ({"en": "Hall B"}, None)]
    assert [(p.organisation, p.role) for p in loaded.partners] == [(org, PartnerRole.ORGANISER)]


def test_create_refuses_invalid_data_and_changes_nothing(database: Database) -> None:
    before = _counts(database)
    with pytest.raises(InvalidData, match="is not a time zone"), database.write() as s:
        create_event(s, EventSettings(dataclasses.replace(FORUM, timezone="Nowhere/Town")))
    with pytest.raises(InvalidData, match="same name"), database.write() as s:
        create_event(s, EventSettings(FORUM, (RoomSpec({"en": "A"}), RoomSpec({"en": "a"}))))
    assert _counts(database) == before


def test_update_event_keeps_the_old_fields(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        old = load_settings(s, event_id).data
    with database.write() as s:
        change = update_event(s, event_id, dataclasses.replace(FORUM, subtitle={"en": "Second"}))
    assert _before(change, "event", "subtitle") == [dict(old.subtitle)]
    with database.read() as s:
        assert load_settings(s, event_id).data.subtitle == {"en": "Second"}
    _revert(database, change)
    with database.read() as s:
        assert load_settings(s, event_id).data == old


def test_apply_settings_undo_redo_round_trip_with_room_removed(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    original = _dump(database, event_id)
    with database.read() as s:
        settings = load_settings(s, event_id)
        first_room = s.scalar(select(Room.id).where(Room.uuid == settings.rooms[0].uuid))
        assert first_room is not None
        usage = room_usage(s, first_room)
    assert usage.sessions + usage.items > 0
    assert "without it they will have no room" in usage.sentence()
    _oid, org = _org(database, "OSCE Programme Office")
    new = dataclasses.replace(
        settings,
        data=dataclasses.replace(settings.data, title={**settings.data.title, "en": "Renamed"}),
        rooms=(*settings.rooms[1:], RoomSpec({"en": "Annex"}, 30)),
        partners=(PartnerSpec(org, PartnerRole.FUNDER), *settings.partners[::-1]),
    )
    with database.write() as s:
        change = apply_settings(s, event_id, new)
    with database.read() as s:
        after = load_settings(s, event_id)
        removed_room_users = s.scalar(select(func.count()).select_from(AgendaItem).where(
            AgendaItem.event_id == event_id, AgendaItem.room_id.is_(None)))
    assert after.data.title["en"] == "Renamed"
    assert [r.name for r in after.rooms][-1] == {"en": "Annex"}
    assert after.partners[0].organisation == org
    assert removed_room_users == usage.items
    applied = _dump(database, event_id)

    for _ in range(2):  # undo, redo, undo, redo: each exact
        undone = _revert(database, change)
        assert _without_stamps(_dump(database, event_id)) == _without_stamps(original)
        change = _revert(database, undone)
        assert _without_stamps(_dump(database, event_id)) == _without_stamps(applied)


def _without_stamps(dump: dict[str, Any]) -> dict[str, Any]:
    return {k: [{c: v for c, v in row.items() if c != "updated_at"} for row in rows] for k, rows in dump.items()}


def test_edit_event_makes_organisations_and_logos_and_undoes_them(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    existing_id, existing = _org(database, "Existing Org", logo=png(4, 4))
    new_uuid = uuid_mod.uuid4()
    with database.read() as s:
        settings = load_settings(s, event_id)
    edit = EventEdit(
        dataclasses.replace(settings, partners=(*settings.partners, PartnerSpec(new_uuid, PartnerRole.PARTNER),
                                                PartnerSpec(existing, PartnerRole.FUNDER))),
        new_organisations=(NewOrganisation(new_uuid, OrganisationData(name={"en": "Brand New Foundation"})),),
        logos=(LogoSpec(new_uuid, png(8, 2), "image/png"), LogoSpec(existing, None)),
    )
    before = _counts(database)
    with database.write() as s:
        done = edit_event(s, event_id, edit)
    assert done.subject is not None and (done.subject.table, done.subject.id) == ("event", event_id)
    with database.read() as s:
        logos = partner_logos(s, event_id)
        assert s.scalar(select(Organisation.logo).where(Organisation.id == existing_id)) is None
    assert [p.name for p in logos if p.role == PartnerRole.PARTNER][-1] == "Brand New Foundation"
    assert _counts(database)["organisation"] == before["organisation"] + 1
    undone = _revert(database, done)
    assert _counts(database) == before
    with database.read() as s:
        assert load_settings(s, event_id) == settings
        assert s.scalar(select(Organisation.logo).where(Organisation.id == existing_id)) == png(4, 4)
    _revert(database, undone)
    with database.read() as s:
        assert [p.name for p in partner_logos(s, event_id)] == [p.name for p in logos]
        assert s.scalar(select(Organisation.logo).where(Organisation.id == existing_id)) is None


def test_a_partner_taken_off_and_named_again_keeps_its_row_and_the_undo_works(demo: tuple[Database, int]) -> None:
    """The dialog gives a partner removed and added again (same organisation, same role) a
    new uuid; the pair may be in the table only once, even while the undo puts rows back."""
    database, event_id = demo
    with database.read() as s:
        settings = load_settings(s, event_id)
    first = settings.partners[0]
    again = dataclasses.replace(first, uuid=uuid_mod.uuid4())
    original = _dump(database, event_id)
    with database.write() as s:
        change = apply_settings(s, event_id, dataclasses.replace(settings, partners=(*settings.partners[1:], again)))
    with database.read() as s:
        after = load_settings(s, event_id).partners
    assert [p.uuid for p in after] == [*(p.uuid for p in settings.partners[1:]), first.uuid]
    undone = _revert(database, change)
    assert _without_stamps(_dump(database, event_id)) == _without_stamps(original)
    _revert(database, undone)
    with database.read() as s:
        assert load_settings(s, event_id).partners == after


def test_edit_with_a_bad_logo_changes_nothing(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    _oid, org = _org(database, "Org")
    with database.read() as s:
        settings = load_settings(s, event_id)
    before = _dump(database, event_id)
    edit = EventEdit(dataclasses.replace(settings, data=dataclasses.replace(settings.data, title={"en": "X"})),
                     logos=(LogoSpec(org, b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),))
    with pytest.raises(InvalidData, match="SVG must be converted"), database.write() as s:
        edit_event(s, event_id, edit)
    assert _dump(database, event_id) == before


# -- rooms and partners, one step at a time -----------------------------------------------------


def test_room_steps_and_their_inverses(database: Database) -> None:
    a, b = uuid_mod.uuid4(), uuid_mod.uuid4()
    with database.write() as s:
        event_id = _id(create_event(s, EventSettings(FORUM)))
        added = add_room(s, event_id, {"en": "Hall A"}, 100, uuid=a)
        assert added.created == (("room", a),) and _id(added) == event_id
        add_room(s, event_id, {"en": "Hall B"}, uuid=b)
        with pytest.raises(InvalidData, match="same name"):
            add_room(s, event_id, {"en": "HALL B"})
        a_id = int(s.scalar(select(Room.id).where(Room.uuid == a)) or 0)
        assert _before(rename_room(s, a_id, {"en": "Main hall", "ru": "Главный зал"}), "room", "name") == [
            {"en": "Hall A"}]
        assert _before(set_room_capacity(s, a_id, 250), "room", "capacity") == [100]
        with pytest.raises(InvalidData, match="whole number"):
            set_room_capacity(s, a_id, 0)
        order = reorder_rooms(s, event_id, [b, a])
        assert {image.uuid: image.values["position"] for image in order.before} == {a: 0, b: 1}
        s.add(AgendaSession(event_id=event_id, title={"en": "S"}, starts_at=dt.datetime(2026, 3, 3, 10),
                      ends_at=dt.datetime(2026, 3, 3, 11), room_id=a_id))
        s.flush()
    with database.write() as s:
        assert [r.spec.uuid for r in room_rows(s, event_id)] == [b, a]
        assert room_rows(s, event_id)[1].sessions == 1
        removed = remove_room(s, a_id)
    with database.read() as s:
        assert s.scalar(select(AgendaSession.room_id).where(AgendaSession.event_id == event_id)) is None
    _revert(database, removed)
    with database.read() as s:
        assert s.scalar(select(Room.id).where(Room.uuid == a)) == a_id
        assert s.scalar(select(AgendaSession.room_id).where(AgendaSession.event_id == event_id)) == a_id
        assert s.scalar(select(Room.capacity).where(Room.id == a_id)) == 250


def test_partner_steps_and_logo(database: Database) -> None:
    oid, org = _org(database, "UNDP")
    oid2, _ = _org(database, "EU")
    p1, p2 = uuid_mod.uuid4(), uuid_mod.uuid4()
    with database.write() as s:
        event_id = _id(create_event(s, EventSettings(FORUM)))
        add_partner(s, event_id, oid, PartnerRole.FUNDER, uuid=p1)
        add_partner(s, event_id, oid2, PartnerRole.ORGANISER, uuid=p2)
        with pytest.raises(InvalidData, match="already the event's funder"):
            add_partner(s, event_id, oid, PartnerRole.FUNDER)
        order = reorder_partners(s, event_id, [p2, p1])
        assert {image.uuid: image.values["position"] for image in order.before} == {p1: 0, p2: 1}
        removed = remove_partner(s, p1)
    with database.write() as s:
        assert [p.uuid for p in load_settings(s, event_id).partners] == [p2]
        revert(s, removed)
        assert [p.uuid for p in load_settings(s, event_id).partners] == [p2, p1]
        assert [p.organisation for p in load_settings(s, event_id).partners][1] == org
        old = set_logo(s, oid, png(5, 5), "image/png")
        assert (_before(old, "organisation", "logo"), _before(old, "organisation", "logo_mime")) == ([None], [None])
        jpeg = jpeg_header(10, 20)
        old = set_logo(s, oid, jpeg)  # the type is read from the bytes
        assert (_before(old, "organisation", "logo"), _before(old, "organisation", "logo_mime")) == (
            [png(5, 5)], ["image/png"])
        assert s.scalar(select(Organisation.logo_mime).where(Organisation.id == oid)) == "image/jpeg"
        assert [p.name for p in partner_logos(s, event_id)] == ["UNDP"]


@pytest.mark.parametrize(("data", "mime", "words"), [
    (b"GIF89a....", None, "PNG or JPEG"),
    (b"<svg/>", "image/svg+xml", "SVG must be converted"),
    (png(2, 2), "image/jpeg", "PNG image but was given as image/jpeg"),
    (png(2, 2), "image/gif", "not image/gif"),
    (b"", None, "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), None, "the most a logo may be is 5 MB"),
])
def test_set_logo_refuses_what_is_not_png_or_jpeg(database: Database, data: bytes, mime: str | None,
                                                   words: str) -> None:
    oid, _ = _org(database, "Org", logo=png(3, 3))
    with pytest.raises(InvalidData, match=words), database.write() as s:
        set_logo(s, oid, data, mime)
    with database.read() as s:
        assert s.scalar(select(Organisation.logo).where(Organisation.id == oid)) == png(3, 3)


# -- delete and restore ---------------------------------------------------------------------------


def test_delete_leaves_no_orphans_and_restore_is_exact(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    other = create_event_quick(database)
    before = _dump(database, event_id)
    counts = _counts(database)
    with database.read() as s:
        impact = event_impact(s, event_id)
    assert impact.check_ins > 0 and impact.registrations > 100 and impact.items > 5
    assert "also deletes its" in impact.sentence() and f"{impact.check_ins} check-ins" in impact.sentence()

    with database.write() as s:
        snapshot = delete_event(s, event_id)
    assert _id(snapshot) == event_id
    after = _counts(database)
    assert after["event"] == counts["event"] - 1
    assert after["registration"] == counts["registration"] - impact.registrations
    assert after["check_in"] == counts["check_in"] - impact.check_ins
    assert after["role"] == counts["role"] - impact.roles
    assert after["organisation"] == counts["organisation"]  # the roster stays
    assert _dump(database, event_id) == {k: [] for k in before}
    with database.read() as s:  # nothing points to an event, session, item or registration that is gone
        assert s.scalar(select(func.count()).select_from(Role).where(
            Role.session_id.not_in(select(AgendaSession.id)) | Role.item_id.not_in(select(AgendaItem.id)))) == 0
        assert s.scalar(select(func.count()).select_from(CheckIn).where(
            CheckIn.registration_id.not_in(select(Registration.id)))) == 0
        for model in (Room, EventOrganisation, AgendaSession, AgendaItem, Registration):
            assert s.scalar(select(func.count()).select_from(model).where(
                model.event_id.not_in(select(Event.id)))) == 0
    assert snapshot.count("check_in") == impact.check_ins

    assert _id(_revert(database, snapshot)) == event_id
    assert _dump(database, event_id) == before
    assert _counts(database) == counts
    with database.read() as s:
        assert s.get(Event, other) is not None


def create_event_quick(database: Database) -> int:
    with database.write() as s:
        return _id(create_event(s, EventSettings(FORUM, (RoomSpec({"en": "Only room"}),))))


def test_restore_gives_a_new_key_when_the_old_one_was_taken(database: Database) -> None:
    event_id = create_event_quick(database)
    with database.write() as s:
        snapshot = delete_event(s, event_id)
    other = create_event_quick(database)
    with database.write() as s:
        restored = _id(revert(s, snapshot))
        assert snapshot.subject is not None
        assert s.scalar(select(Event.uuid).where(Event.id == restored)) == snapshot.subject.uuid
        assert s.scalar(select(func.count()).select_from(Room).where(Room.event_id == restored)) == 1
    assert (other == event_id) == (restored != event_id)


def test_restoring_twice_is_refused(database: Database) -> None:
    event_id = create_event_quick(database)
    with database.write() as s:
        snapshot = delete_event(s, event_id)
    _revert(database, snapshot)
    counts = _counts(database)
    with pytest.raises(RestoreError, match="same identity"), database.write() as s:
        restore_rows(s, snapshot.before)  # the rows themselves, a second time
    _revert(database, snapshot)  # the change again: the rows are set as they were, not doubled
    assert _counts(database) == counts


def test_create_then_undo_with_extras(database: Database) -> None:
    counts = _counts(database)
    new_org = uuid_mod.uuid4()
    edit = EventEdit(EventSettings(FORUM, (), (PartnerSpec(new_org, PartnerRole.ORGANISER),)),
                     (NewOrganisation(new_org, OrganisationData(name={"en": "Fresh Org"})),),
                     (LogoSpec(new_org, png(6, 6)),))
    with database.write() as s:
        done = create_event(s, edit)
        assert partner_logos(s, _id(done))[0].name == "Fresh Org"
    redo = _revert(database, done)
    assert _counts(database) == counts
    _revert(database, redo)
    with database.read() as s:
        assert partner_logos(s, _id(done))[0].name == "Fresh Org"


# -- duplicate -------------------------------------------------------------------------------------


def test_duplicate_copies_agenda_roles_rooms_partners_but_not_registrations(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    source = _dump(database, event_id)
    start = source["event"][0]["starts_on"]
    new_start = next_year(start)
    with database.write() as s:
        dup = duplicate_event(s, event_id, new_start)
    copy = _dump(database, _id(dup))
    shift = new_start - start
    assert shift.days == 365
    ev = copy["event"][0]
    assert ev["title"] == source["event"][0]["title"] and ev["is_demo"] is False
    assert (ev["starts_on"], ev["ends_on"]) == (new_start, source["event"][0]["ends_on"] + shift)
    assert copy["registration"] == [] and copy["check_in"] == []
    for key in ("room", "partner", "session", "item", "role"):
        assert len(copy[key]) == len(source[key]) > 0, key
        assert not {r["uuid"] for r in copy[key]} & {r["uuid"] for r in source[key]}, key
    assert [(r["starts_at"] - shift, r["ends_at"] - shift) for r in copy["item"]] == \
           [(r["starts_at"], r["ends_at"]) for r in source["item"]]
    assert [r["starts_at"] - shift for r in copy["session"]] == [r["starts_at"] for r in source["session"]]
    # Items keep their room and session, now the copies'.
    room_names = {r["id"]: r["name"] for r in copy["room"]}
    old_names = {r["id"]: r["name"] for r in source["room"]}
    assert [room_names.get(r["room_id"]) for r in copy["item"]] == [old_names.get(r["room_id"]) for r in source["item"]]
    new_sessions = {r["id"] for r in copy["session"]}
    assert all(r["session_id"] in new_sessions for r in copy["item"] if r["session_id"] is not None)
    assert sorted((r["person_id"], r["kind"], r["position"]) for r in copy["role"]) == \
           sorted((r["person_id"], r["kind"], r["position"]) for r in source["role"])
    # The source is untouched; the undo removes the copy, the redo puts the same rows back.
    assert _dump(database, event_id) == source
    before = _counts(database)
    undone = _revert(database, dup)
    assert _dump(database, _id(dup)) == {k: [] for k in copy}
    assert {k: before[k] - n for k, n in _counts(database).items() if before[k] != n} == {
        "event": 1, **{k: len(copy[k]) for k in ("room", "partner", "session", "item", "role")}}
    _revert(database, undone)
    assert _dump(database, _id(dup)) == copy


def test_agenda_outside_new_dates(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        day = load_settings(s, event_id).data.starts_on
        assert day is not None
        assert agenda_outside(s, event_id, day, day) == 0
        assert agenda_outside(s, event_id, day + dt.timedelta(days=1), day + dt.timedelta(days=2)) > 5


def test_next_year() -> None:
    assert next_year(dt.date(2025, 2, 28)) == dt.date(2026, 2, 28)
    assert next_year(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def _grow(database: Database, event_id: int, people: int) -> None:
    """Register ``people`` more people for the event, each checked in: 2 × ``people`` rows."""
    with database.write() as s:
        first = int(s.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0) + 1
        ids = range(first, first + people)
        s.execute(insert(Person), [{"id": i, "uuid": uuid_mod.uuid4(), "given_name": "Guest",
                                    "family_name": f"Number {i}"} for i in ids])
        s.execute(insert(Registration), [{"uuid": uuid_mod.uuid4(), "event_id": event_id, "person_id": i,
                                          "category": Category.PARTICIPANT, "badge_code": f"G{i:07d}"}
                                         for i in ids])
        regs = s.scalars(select(Registration.id).where(Registration.person_id >= first)).all()
        s.execute(insert(CheckIn), [{"uuid": uuid_mod.uuid4(), "registration_id": r, "desk": "Desk 1",
                                     "action": CheckInAction.IN} for r in regs])


def test_deleting_a_large_event_is_undone_in_bulk(demo: tuple[Database, int]) -> None:
    """An event of some 5,000 rows comes back with a few statements per table and chunk of
    rows, not one (or more) per row: in about a second, not twenty."""
    database, event_id = demo
    _grow(database, event_id, 2500)
    before = _dump(database, event_id)
    with database.write() as s:
        change = delete_event(s, event_id)
    rows = len(change.before)
    assert rows == sum(len(v) for v in before.values()) > 5000
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa_event.listen(database.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    try:
        _revert(database, change)
    finally:
        seconds = time.perf_counter() - started
        sa_event.remove(database.engine, "before_cursor_execute", count)
    assert _dump(database, event_id) == before
    assert len(statements) < rows / 25, f"{len(statements)} statements for {rows} rows"
    assert seconds < 8, f"{seconds:.1f} s for {rows} rows"


# -- the certificates' signatories -----------------------------------------------------------


def test_signatories_are_stored_cleaned_and_undone(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    with database.read() as s:
        old = load_settings(s, event_id).data
    signed = dataclasses.replace(
        old, signatory1_name={"en": " Asel  Kassymova ", "ru": "Касымова Асель", "kk": "Қасымова Әсел"},
        signatory1_title={"en": "Chair of the Supreme Court", "ru": "Председатель Верховного суда"},
        signatory2_name={"en": "Volker Frobarth"})
    with database.write() as s:
        change = update_event(s, event_id, signed)
    with database.read() as s:
        data = load_settings(s, event_id).data
    assert data.signatory1_name == {"en": "Asel Kassymova", "ru": "Касымова Асель", "kk": "Қасымова Әсел"}
    assert data.signatory1_title["ru"] == "Председатель Верховного суда"
    assert data.signatory2_name == {"en": "Volker Frobarth"} and data.signatory2_title == {}
    _revert(database, change)
    with database.read() as s:
        assert load_settings(s, event_id).data == old
        assert old.signatory1_name == {}


def test_a_signatory_title_needs_a_name_and_missing_translations_are_flagged() -> None:
    report = validate_event(dataclasses.replace(FORUM, signatory2_title={"en": "Head of Office"}))
    assert [p.field for p in report.errors] == ["signatory2_name"]
    assert "second signatory has a title but no name" in report.errors[0].message
    long = validate_event(dataclasses.replace(FORUM, signatory1_name={"ru": "я" * 301}))
    assert [p.field for p in long.errors] == ["signatory1_name.ru"]
    fine = validate_event(dataclasses.replace(FORUM, signatory1_name={"en": "A. Name"},
                                              signatory1_title={"en": "Chair"}))
    assert fine.is_valid
    assert {"signatory1_name.ru", "signatory1_name.kk", "signatory1_title.kk"} <= {p.field for p in fine.warnings}
