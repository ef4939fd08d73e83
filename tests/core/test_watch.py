"""desktop.core.watch: another process's commit reaches a Watcher within 2 s, on SQLite and on
PostgreSQL, with the tables it announced; a process does not hear its own announcements back
(on SQLite too: the marks say whose a commit was); a write that announces nothing is heard as
"something" (SQLite); a rolled-back write tells nobody; a stopped Watcher's thread ends; a
server that went away is reached again quietly, without a tight loop.

The deadline (2 s) is what the issue asks; the watchers themselves take 0.3 s at most on
SQLite and milliseconds on PostgreSQL, so a busy 2-core machine has room. Each wait is a
condition polled until the deadline, never a fixed sleep that must be long enough.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from db.engine import Database
from db.models import Person
from desktop.core import watch
from desktop.core.watch import Watcher, announce, read_payload

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 2.0
POSTGRES_ONLY = pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
"""For what only PostgreSQL does (SQLite announces nothing, and reads a local file)."""


class Heard:
    """What a Watcher called back with, in order, safe to read from the test's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: list[frozenset[str] | None] = []

    def __call__(self, tables: frozenset[str] | None) -> None:
        with self._lock:
            self.calls.append(tables)

    def take(self) -> list[frozenset[str] | None]:
        with self._lock:
            calls, self.calls = self.calls, []
        return calls


def wait_for(condition: Callable[[], bool], timeout: float = DEADLINE_S) -> float:
    """Seconds until ``condition`` held; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not within {timeout} s")
        time.sleep(0.01)
    return time.monotonic() - start


@pytest.fixture
def watchers() -> Iterator[list[Watcher]]:
    made: list[Watcher] = []
    yield made
    for w in made:
        w.stop()


def started(watchers: list[Watcher], database: Database) -> tuple[Watcher, Heard]:
    heard = Heard()
    w = Watcher(database, heard)
    watchers.append(w)
    assert w.ready.wait(DEADLINE_S * 5), "the watcher did not start"
    heard.take()  # PostgreSQL says None once it listens (what came before was not heard)
    return w, heard


def set_phone(database: Database, phone: str, *, tables: tuple[str, ...] = ("person",)) -> int:
    with database.write() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.id)).first()
        session.execute(update(Person).where(Person.id == person_id).values(phone=phone))
        announce(session, tables)
    assert person_id is not None
    return person_id


def test_a_commit_of_another_database_reaches_the_watcher(demo: tuple[Database, int], workstation_2: Database,
                                                         watchers: list[Watcher]) -> None:
    database, _ = demo
    _w, heard = started(watchers, database)
    set_phone(workstation_2, "+7 700 111 2233")
    wait_for(lambda: bool(heard.calls))
    assert heard.take()[0] == frozenset({"person"})
    # And again: the watcher goes on after its first news.
    set_phone(workstation_2, "+7 700 111 2234", tables=("registration", "check_in"))
    wait_for(lambda: bool(heard.calls))
    assert heard.take()[0] == frozenset({"registration", "check_in"})


def test_a_quiet_database_and_reads_say_nothing(demo: tuple[Database, int], workstation_2: Database,
                                                watchers: list[Watcher]) -> None:
    database, _ = demo
    _w, heard = started(watchers, database)
    with workstation_2.read() as session:
        session.scalars(select(Person.id)).all()
    time.sleep(4 * watch.SQLITE_POLL_S)
    assert heard.take() == []


def test_own_announcements_are_not_heard_back(demo: tuple[Database, int], workstation_2: Database,
                                              watchers: list[Watcher]) -> None:
    """The window's own edits are not announced back to it, on PostgreSQL (the sender's
    token) nor on SQLite (the marks' tokens), while another's are, however close to ours."""
    database, _ = demo
    _w, heard = started(watchers, database)
    set_phone(database, "+7 700 000 0001", tables=("agenda_item",))  # ours, alone
    time.sleep(4 * watch.SQLITE_POLL_S)
    assert heard.take() == []
    # Another's, right after ours (before the watcher looks, as a rule): heard, with its
    # tables only; notifications come in commit order, so ours would have come before it.
    set_phone(database, "+7 700 000 0011", tables=("agenda_item",))
    set_phone(workstation_2, "+7 700 000 0002", tables=("person",))
    wait_for(lambda: frozenset({"person"}) in heard.calls)
    time.sleep(2 * watch.SQLITE_POLL_S)
    assert heard.take() == [frozenset({"person"})]
    # Ours, many in a row: still nothing.
    for n in range(5):
        set_phone(database, f"+7 700 000 002{n}", tables=("room",))
    time.sleep(4 * watch.SQLITE_POLL_S)
    assert heard.take() == []


def looking_by_hand(watchers: list[Watcher], database: Database) -> Watcher:
    """A SQLite watcher whose thread is stopped, to look (``_look``) when the test says."""
    w, _heard = started(watchers, database)
    w.stop()
    w._sqlite = w._sqlite_connect()
    w._mark = None
    w._look()
    return w


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_two_commits_between_two_looks_ours_and_anothers_are_heard(demo: tuple[Database, int], workstation_2: Database,
                                                                    watchers: list[Watcher]) -> None:
    """Another's commit and ours between two looks (the file's version moves once), in
    either order: heard, with the other's tables; ours alone, or none: nothing."""
    database, _ = demo
    w = looking_by_hand(watchers, database)
    try:
        for first, then in ((workstation_2, database), (database, workstation_2)):
            set_phone(first, "+7 700 000 0031", tables=("person",) if first is workstation_2 else ("room",))
            set_phone(then, "+7 700 000 0032", tables=("person",) if then is workstation_2 else ("room",))
            assert w._data_version() != w._version
            assert w._look() == (True, frozenset({"person"}))
        set_phone(database, "+7 700 000 0033", tables=("room",))
        set_phone(database, "+7 700 000 0034", tables=("session",))
        assert w._data_version() != w._version
        assert w._look() == (False, None)
        assert w._data_version() == w._version  # and nothing more to look at
    finally:
        w._close_sqlite()


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_write_that_announces_nothing_is_heard_as_something(demo: tuple[Database, int], workstation_2: Database,
                                                              watchers: list[Watcher]) -> None:
    database, _ = demo
    _w, heard = started(watchers, database)
    with workstation_2.write() as session:
        session.execute(update(Person).where(Person.id == 1).values(phone="+7 700 000 0041"))
    wait_for(lambda: bool(heard.calls))
    assert heard.take() == [None]


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_old_marks_are_deleted_and_a_watcher_that_missed_some_is_told(
        demo: tuple[Database, int], watchers: list[Watcher], monkeypatch: pytest.MonkeyPatch) -> None:
    database, _ = demo
    monkeypatch.setattr(watch, "MARKS_KEPT", 7)
    monkeypatch.setattr(watch, "PRUNE_EVERY", 5)
    w = looking_by_hand(watchers, database)
    try:
        for n in range(3):
            set_phone(database, f"+7 700 000 01{n:02}", tables=("room",))
        assert w._look() == (False, None)  # its own
        for n in range(12):  # more than are kept, before it looks again
            set_phone(database, f"+7 700 000 02{n:02}", tables=("room",))
        assert w._look() == (True, None)  # its own, but the first it missed are gone: it cannot say
        with database.read() as session:
            count, top = session.execute(text("SELECT count(*), max(id) FROM watch_mark")).one()
        assert count <= 7 + 5 and top >= 15
    finally:
        w._close_sqlite()


def test_a_commit_of_another_process_reaches_the_watcher(demo: tuple[Database, int],
                                                        watchers: list[Watcher]) -> None:
    database, _ = demo
    _w, heard = started(watchers, database)
    target = str(database.target.path) if database.target.path is not None else database.target.url
    script = (
        "import sys\n"
        "from sqlalchemy import select, update\n"
        "from db.engine import open_database\n"
        "from db.models import Person\n"
        "from desktop.core.watch import announce\n"
        "db = open_database(sys.argv[1])\n"
        "with db.write() as s:\n"
        "    pid = s.scalars(select(Person.id).order_by(Person.id)).first()\n"
        "    s.execute(update(Person).where(Person.id == pid).values(phone='+7 700 999 0000'))\n"
        "    announce(s, ['person', 'role'])\n"
        "db.close()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, target], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    committed = time.monotonic()  # the child has ended: its commit is made
    wait_for(lambda: bool(heard.calls))
    assert time.monotonic() - committed < DEADLINE_S
    assert heard.take()[0] == frozenset({"person", "role"})


@POSTGRES_ONLY
def test_the_listener_comes_back_after_its_connection_was_cut(demo: tuple[Database, int], workstation_2: Database,
                                                             watchers: list[Watcher]) -> None:
    database, _ = demo
    w, heard = started(watchers, database)
    w.ready.clear()
    with workstation_2.write() as session:  # the server ends the listener's connection
        ended = session.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'conference-desk-watch' AND datname = current_database()")).all()
    assert ended and all(row[0] for row in ended)
    assert w.ready.wait(10), "the watcher did not listen again"
    # Once back, it says that something may have changed while it was away…
    wait_for(lambda: None in heard.calls)
    heard.take()
    # …and hears what comes after.
    set_phone(workstation_2, "+7 700 000 0005", tables=("session",))
    wait_for(lambda: frozenset({"session"}) in heard.calls)


class _Unreachable:
    """A database on a server that never answers (only what the watcher asks of it)."""

    dialect = "postgresql"

    def __init__(self) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")


def test_an_absent_server_is_tried_again_without_spinning(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    attempts: list[float] = []

    def refused(_self: Any) -> Any:
        attempts.append(time.monotonic())
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(Watcher, "_pg_connect", refused)
    heard = Heard()
    w = Watcher(_Unreachable(), heard)  # type: ignore[arg-type]
    try:
        time.sleep(2.0)
    finally:
        w.stop()
    assert not w.thread.is_alive()
    # 0.5 + 1 + 2 …: three or four attempts in two seconds, not thousands.
    assert 2 <= len(attempts) <= 5
    assert heard.take() == []
    assert not w.ready.is_set()


def test_payload_names_the_sender_and_the_tables() -> None:
    text_ = watch.payload("123.abc", ["role", "person", "person"])
    assert text_ == "1 123.abc person,role"
    assert read_payload(text_) == ("123.abc", frozenset({"person", "role"}))
    assert read_payload("1 123.abc ") == ("123.abc", None)
    assert read_payload("2 123.abc person") is None  # a newer format is not misread
    assert read_payload("") is None


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_check_in_elsewhere_is_heard_beside_our_own_edit(demo: tuple[Database, int], workstation_2: Database,
                                                          watchers: list[Watcher]) -> None:
    """SQLite: the desk's check-in announces nothing; between two looks with an announced
    edit of ours, it is still heard (the highest check-in's key rose)."""
    from desktop.core.desk import check_in
    from tests.databases import confirmed_not_in

    database, event_id = demo
    w = looking_by_hand(watchers, database)
    try:
        ((_rid, code),) = confirmed_not_in(database, event_id, 1)
        set_phone(database, "+7 700 000 0051", tables=("room",))  # ours
        check_in(workstation_2, event_id, code, "Lobby")  # another desk's, unannounced
        assert w._look() == (True, frozenset({"check_in"}))
        set_phone(database, "+7 700 000 0052", tables=("room",))
        assert w._look() == (False, None)  # ours alone again
    finally:
        w._close_sqlite()
