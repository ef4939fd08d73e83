"""A desk on a PostgreSQL server that falls back to its local copy (issue 12, part 1):
``desktop.core.offline_desk`` against a real server reached through a proxy that can freeze
(``tests.delay_proxy``: the server stops answering, as under SIGSTOP)."""

from __future__ import annotations

import time
import uuid as uuid_mod
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from db.engine import Database, open_database
from db.models import CheckIn, CheckInAction, Event, Registration, Status
from desktop.core.desk import CheckInState, check_in
from desktop.core.offline_desk import LiveDesk, LocalCopy, check_in_job
from tests.databases import confirmed_not_in
from tests.delay_proxy import DelayProxy

pytestmark = pytest.mark.postgres





def _event_uuid(database: Database, event_id: int) -> uuid_mod.UUID:
    with database.read() as s:
        return s.execute(select(Event.uuid).where(Event.id == event_id)).scalar_one()


def _ins_on(database: Database, code: str, event_id: int | None = None) -> list[tuple[str, str]]:
    """The IN rows of the registration with ``code``: (uuid hex, desk)."""
    with database.read() as s:
        where = [Registration.badge_code == code]
        if event_id is not None:
            where.append(Registration.event_id == event_id)
        rows = s.execute(select(CheckIn.uuid, CheckIn.desk).join(Registration)
                         .where(*where, CheckIn.action == CheckInAction.IN)).all()
    return [(u.hex, d) for u, d in rows]


def _wait(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_local_copy_follows_the_server(demo_pg: tuple[str, int], tmp_path: Path) -> None:
    url, event_id = demo_pg
    server = open_database(url)
    copy: LocalCopy | None = None
    try:
        (rid_a, code_a), (rid_b, code_b), (_rid_c, code_c) = confirmed_not_in(server, event_id, 3)
        copy = LocalCopy.make(server, event_id, tmp_path / "copy.deskdb")
        assert copy.waiting() == (0, 0)
        # Elsewhere meanwhile: a check-in at another desk, a cancellation.
        other = check_in(server, event_id, code_a, "Desk B")
        with server.write() as s:
            s.execute(update(Registration).where(Registration.id == rid_b).values(status=Status.CANCELLED))
        changed = copy.apply(copy.read_changes(server, event_id))
        assert changed >= 2
        assert _ins_on(copy.database, code_a) == [(other.check_in_uuid.hex, "Desk B")]  # type: ignore[union-attr]
        assert check_in(copy.database, copy.event_id, code_b, "Desk A").state is CheckInState.CANCELLED
        assert copy.waiting() == (0, 0)  # what came from the server does not wait to be sent
        # A refresh with nothing new changes nothing (no row sealed again).
        assert copy.apply(copy.read_changes(server, event_id)) == 0
        # A check-in the server made here goes into the copy as sent.
        made = check_in(server, event_id, code_c, "Desk A")
        assert copy.record(made)
        assert _ins_on(copy.database, code_c) == [(made.check_in_uuid.hex, "Desk A")]  # type: ignore[union-attr]
        assert copy.waiting() == (0, 0)
        # Offline: a check-in on the copy waits.
        assert check_in(copy.database, copy.event_id, code_a, "Desk A").state is CheckInState.ALREADY_CHECKED_IN
        assert copy.waiting() == (0, 0)
    finally:
        if copy is not None:
            copy.close()
        server.close()


def test_a_frozen_server_and_back(demo_pg: tuple[str, int], tmp_path: Path) -> None:
    url, event_id = demo_pg
    direct = open_database(url)
    target = make_url(url)
    proxy = DelayProxy(target.host or "127.0.0.1", target.port or 5432, reply_delay=0.0)
    server = open_database(target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    desk = LiveDesk(server, event_id, _event_uuid(direct, event_id), "Desk A", folder=tmp_path / "offline")
    seen = []
    desk.watch(seen.append)
    try:
        people = confirmed_not_in(direct, event_id, 6)
        desk.start(wait=True)
        assert desk.copy is not None and desk.path.exists()
        first = desk.call(check_in_job(people[0][1], "Desk A", "en"), on_server=desk.record)
        assert not first.offline and first.value.state is CheckInState.CHECKED_IN
        assert desk.copy.waiting() == (0, 0)

        # The server freezes. Another desk, on the server, checks in person 3 (it will
        # answer once thawed); this desk checks in 1, 2 and 3 from its copy.
        proxy.freeze()
        started = time.monotonic()
        answer = desk.call(check_in_job(people[1][1], "Desk A", "en"), on_server=desk.record)
        assert answer.offline and answer.value.state is CheckInState.CHECKED_IN
        assert time.monotonic() - started < 5  # the heartbeat said so within ~2 s
        assert desk.offline
        elsewhere = check_in(direct, event_id, people[3][1], "Desk B")
        for _rid, code in (people[2], people[3]):
            assert desk.call(check_in_job(code, "Desk A", "en")).value.state is CheckInState.CHECKED_IN
        assert desk.call(check_in_job(people[0][1], "Desk A", "en")).value.state \
            is CheckInState.ALREADY_CHECKED_IN  # checked in online before the freeze: the copy knows
        assert desk.copy.waiting() == (3, 3)
        assert desk.link().offline and desk.link().waiting == 3
        assert _ins_on(direct, people[1][1], event_id) == []

        proxy.thaw()
        _wait(lambda: not desk.offline)
        assert desk.copy.waiting() == (0, 0)
        for _rid, code in people[:3]:
            assert len(_ins_on(direct, code, event_id)) == 1  # exactly once
        both = _ins_on(direct, people[3][1], event_id)
        assert sorted(d for _u, d in both) == ["Desk A", "Desk B"]  # kept, and reported
        assert elsewhere.check_in_uuid.hex in {u for u, _d in both}  # type: ignore[union-attr]
        reports = [link.sent for link in seen if link.sent is not None]
        assert reports and [c.code for r in reports for c in r.conflicts] == [people[3][1]]
        # Online again: the next check-in goes to the server.
        again = desk.call(check_in_job(people[4][1], "Desk A", "en"), on_server=desk.record)
        assert not again.offline and len(_ins_on(direct, people[4][1], event_id)) == 1
    finally:
        proxy.thaw()
        desk.close()
        server.close()
        proxy.close()
        direct.close()


def test_waiting_check_ins_are_sent_at_the_next_start(demo_pg: tuple[str, int], tmp_path: Path) -> None:
    url, event_id = demo_pg
    server = open_database(url)
    folder = tmp_path / "offline"
    event_uuid = _event_uuid(server, event_id)
    try:
        people = confirmed_not_in(server, event_id, 2)
        desk = LiveDesk(server, event_id, event_uuid, "Desk A", folder=folder)
        desk._prepare()  # noqa: SLF001 - the copy, without the threads that would send what waits
        desk._go_offline()  # noqa: SLF001 - as if the server had stopped answering
        for _rid, code in people:
            assert desk.call(check_in_job(code, "Desk A", "en")).offline
        # Killed: nothing was sent.
        assert desk.copy is not None and desk.copy.waiting() == (2, 2)
        desk.copy.close()
        assert desk._in_use is not None  # noqa: SLF001
        desk._in_use.free()  # noqa: SLF001 - the process is gone, and its lock with it
        assert all(_ins_on(server, code, event_id) == [] for _rid, code in people)

        again = LiveDesk(server, event_id, event_uuid, "Desk A", folder=folder)
        again.start(wait=True)
        assert again.offline  # until what waits is sent
        try:
            _wait(lambda: not again.offline)
            for _rid, code in people:
                assert len(_ins_on(server, code, event_id)) == 1
        finally:
            again.close()
    finally:
        server.close()


def test_connections_to_a_server_notice_a_vanished_host(demo_pg: tuple[str, int]) -> None:
    """TCP keepalives and a user timeout on every connection: a server whose machine or network
    went away is found gone in seconds, not after the system's hours."""
    url, _event_id = demo_pg
    server = open_database(url)
    try:
        raw = server.engine.raw_connection()
        try:
            given = raw.driver_connection.info.get_parameters()  # type: ignore[union-attr]
        finally:
            raw.close()
    finally:
        server.close()
    assert given["keepalives"] == "1" and given["keepalives_idle"] == "5"
    assert given["tcp_user_timeout"] == "10000"


def test_a_quick_refresh_reads_new_check_ins_by_key_and_the_registrations_they_point_to(
        demo_pg: tuple[str, int], tmp_path: Path) -> None:
    """The refresh every few seconds reads the append-only rows by their key's index, and the
    registrations only those rows point to; a change to another registration waits for the
    look at every registration (when another workstation says so, or once a minute)."""
    from db.models import Category
    from desktop.core.desk import walk_in

    url, event_id = demo_pg
    server = open_database(url)
    copy: LocalCopy | None = None
    try:
        ((rid_b, code_b),) = confirmed_not_in(server, event_id, 1)
        copy = LocalCopy.make(server, event_id, tmp_path / "copy.deskdb")
        made = walk_in(server, event_id, "Aigerim", "Walked-In", None, Category.PARTICIPANT, "Desk B")
        with server.write() as s:
            s.execute(update(Registration).where(Registration.id == rid_b).values(status=Status.CANCELLED))
        quick = copy.read_changes(server, event_id, people=False)
        # The registrations pointed to by the new check-ins: the walk-in's (and, when a long
        # transaction elsewhere on the server holds the horizon back, others already in the copy).
        assert not quick.people_read and quick.registrations
        copy.apply(quick)
        assert _ins_on(copy.database, made.code) == [(made.check_in.check_in_uuid.hex, "Desk B")]  # type: ignore[union-attr]
        assert check_in(copy.database, copy.event_id, code_b, "Desk A").state is CheckInState.CHECKED_IN
        copy.database.engine.dispose()
        copy.close()
        copy = LocalCopy.make(server, event_id, tmp_path / "copy2.deskdb")
        with server.write() as s:
            s.execute(update(Registration).where(Registration.id == rid_b).values(status=Status.CONFIRMED))
        assert copy.apply(copy.read_changes(server, event_id, people=False)) == 0  # nothing pointed to it
        copy.apply(copy.read_changes(server, event_id, people=True))
        with copy.database.read() as s:
            status = s.scalar(select(Registration.status).where(Registration.badge_code == code_b))
        assert status is Status.CONFIRMED
    finally:
        if copy is not None:
            copy.close()
        server.close()


def test_a_walk_in_made_on_the_server_late_and_on_the_copy_is_one_person(demo_pg: tuple[str, int],
                                                                           tmp_path: Path) -> None:
    """A walk-in sent to a server that did not answer in time is made again on the desk's
    copy under the same uuids; if the server did commit it after all, the merge of the copy
    finds it there: one person, one registration, one check-in."""
    from db.models import Category, Person
    from desktop.core.desk import walk_in
    from desktop.core.desk_file import merge_desk_file

    url, event_id = demo_pg
    server = open_database(url)
    copy: LocalCopy | None = None
    try:
        copy = LocalCopy.make(server, event_id, tmp_path / "copy.deskdb")
        uid = uuid_mod.uuid4()
        late = walk_in(server, event_id, "Dana", "Late-Answer", "Court of Astana", Category.PARTICIPANT, "Desk A",
                       uid=uid)
        here = walk_in(copy.database, copy.event_id, "Dana", "Late-Answer", "Court of Astana",
                       Category.PARTICIPANT, "Desk A", uid=uid)
        assert late.check_in.check_in_uuid == here.check_in.check_in_uuid == uid
        assert late.code == here.code  # the badge printed at the desk is the one the server knows
        merge_desk_file(server, copy.path, event_id)
        with server.read() as s:
            people = s.scalar(select(func.count()).select_from(Person).where(Person.family_name == "Late-Answer"))
            regs = s.scalar(select(func.count()).select_from(Registration)
                            .where(Registration.uuid == uuid_mod.uuid5(uid, "registration")))
            ins = s.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.uuid == uid))
        assert (people, regs, ins) == (1, 1, 1)
    finally:
        if copy is not None:
            copy.close()
        server.close()


def test_a_registration_the_copy_took_from_the_server_and_the_server_removed_stays_removed(
        demo_pg: tuple[str, int], tmp_path: Path) -> None:
    """Sending what waits in a copy brings back only what the desk made: a registration the
    copy took from the server after it was made, and which the organiser removed since, is not
    taken for a walk-in of the desk's."""
    from db.models import Category
    from desktop.core.desk import walk_in
    from desktop.core.registration_edit import remove_registrations

    url, event_id = demo_pg
    server = open_database(url)
    desk = LiveDesk(server, event_id, _event_uuid(server, event_id), "Desk A", folder=tmp_path / "offline")
    try:
        desk._prepare()  # noqa: SLF001 - no threads: the test says when to refresh and send
        copy = desk.copy
        assert copy is not None
        made = walk_in(server, event_id, "Temir", "Elsewhere", None, Category.PARTICIPANT, "Desk B")
        copy.apply(copy.read_changes(server, event_id, people=True))
        with server.write() as s:  # the organiser removes it (its check-in first)
            s.execute(CheckIn.__table__.delete().where(CheckIn.registration_id == made.registration_id))
            remove_registrations(s, [made.registration_id])
        ((_rid, code),) = confirmed_not_in(server, event_id, 1)
        desk._go_offline()  # noqa: SLF001
        assert desk.call(check_in_job(code, "Desk A", "en")).offline
        desk._answering = True  # noqa: SLF001 - the server answers again
        desk._sync_once()  # noqa: SLF001 - sends what waits
        assert not desk.offline and len(_ins_on(server, code, event_id)) == 1
        with server.read() as s:
            assert s.scalar(select(func.count()).select_from(Registration)
                            .where(Registration.badge_code == made.code)) == 0
    finally:
        desk.close()
        server.close()
