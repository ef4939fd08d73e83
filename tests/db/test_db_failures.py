"""What a desk meets on the day, said in one sentence naming the file or server and what
happened: a full disk, a read-only file or folder, a lock held by another program, a
damaged file (found by PRAGMA quick_check before the first write, never written to), a
server that refuses, never answers or hangs up. Never SQL, values or a person's name.

The conditions are real where the machine allows (tests/conditions.py says how).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import db.engine as engine_module
from db.engine import (
    DAMAGED,
    DISK_FULL,
    EMPTY_FILE,
    LOCKED,
    NO_ANSWER,
    NO_SUCH_FILE,
    READ_ONLY,
    SERVER_GONE,
    DatabaseError,
    open_database,
)
from db.models import Person
from desktop.core.errors import error_sentence
from desktop.core.language import speaking
from tests.conditions import closed_port, damage_an_index, fill, locked, read_only, silent_server, small_disk
from tests.databases import Templates

PRIVATE = ("INSERT", "SELECT", "UPDATE", "[SQL", "parameters", "Traceback", "@")


def _private_free(sentence: str) -> None:
    assert "\n" not in sentence
    for word in PRIVATE:
        assert word not in sentence, sentence


@pytest.fixture
def demo_file(tmp_path: Path, db_templates: Templates) -> Path:
    (tmp_path / "data").mkdir()
    return db_templates.copy_sqlite("demo", tmp_path / "data" / "desk.sqlite")


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# --- read-only ------------------------------------------------------------------------


def test_a_read_only_folder_is_read_for_reading_and_leaves_nothing_beside(demo_file: Path) -> None:
    before = demo_file.read_bytes()
    with read_only(demo_file.parent):
        database = open_database(demo_file, read_only=True)
        try:
            with database.read() as session:
                assert session.scalar(select(func.count()).select_from(Person)) > 100
            with pytest.raises(DatabaseError) as err:
                with database.write() as session:
                    session.execute(text("DELETE FROM person"))
            assert err.value.template == READ_ONLY
        finally:
            database.close()
        assert _beside(demo_file) == ["desk.sqlite"], "no -wal or -shm beside a read-only database"
        with pytest.raises(DatabaseError) as err:
            open_database(demo_file)  # for writing: refused before anything is tried
        assert err.value.template == READ_ONLY
        sentence = error_sentence(err.value)
        assert str(demo_file) in sentence and "read-only" in sentence
    assert demo_file.read_bytes() == before


def test_a_read_only_database_said_in_russian_and_kazakh(demo_file: Path) -> None:
    with read_only(demo_file.parent):
        with pytest.raises(DatabaseError) as err:
            open_database(demo_file)
    english = error_sentence(err.value)
    for lang in ("ru", "kk"):
        with speaking(lang):
            said = error_sentence(err.value)
        assert said != english and str(demo_file) in said


@pytest.mark.parametrize("empty", [True, False], ids=["0-byte file", "no file"])
def test_reading_a_missing_or_empty_file_does_not_make_a_database(tmp_path: Path, empty: bool) -> None:
    path = tmp_path / "given.sqlite"
    if empty:
        path.write_bytes(b"")
    with pytest.raises(DatabaseError) as err:
        open_database(path, read_only=True)
    assert err.value.template == (EMPTY_FILE if empty else NO_SUCH_FILE)
    assert str(path) in error_sentence(err.value)
    assert _beside(path) == (["given.sqlite"] if empty else [])
    if empty:
        assert path.stat().st_size == 0


# --- locked ---------------------------------------------------------------------------


def test_a_file_locked_by_another_program_is_said_so(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    with locked(demo_file):
        for read_only_ in (True, False):
            with pytest.raises(DatabaseError) as err:
                open_database(demo_file, read_only=read_only_)
            assert err.value.template == LOCKED
            sentence = error_sentence(err.value)
            assert str(demo_file) in sentence and "locked by another program" in sentence
            assert "not a Conference Desk database" not in sentence


def test_a_lock_taken_after_opening_is_said_naming_the_file(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    database = open_database(demo_file)
    try:
        database.check()
        database.engine.dispose()  # the lock is taken between two of the desk's connections
        with locked(demo_file), pytest.raises(Exception) as err:
            with database.write() as session:
                session.execute(text("UPDATE person SET email = email"))
        sentence = error_sentence(err.value)
        assert sentence.startswith(str(demo_file)) and "locked by another program" in sentence
        _private_free(sentence.replace(str(demo_file), ""))
    finally:
        database.close()


# --- damaged --------------------------------------------------------------------------


def test_a_damaged_file_is_found_before_the_first_write_and_never_written(demo_file: Path) -> None:
    damage_an_index(demo_file)
    before = demo_file.read_bytes()
    database = open_database(demo_file)  # the schema reads: opening is not held up by the check
    try:
        with pytest.raises(DatabaseError) as err:
            with database.write() as session:
                session.execute(text("UPDATE person SET email = 'x@example.org'"))
        assert err.value.template == DAMAGED
        with pytest.raises(DatabaseError):
            with database.write_raw():
                pass
        sentence = error_sentence(err.value)
        assert str(demo_file) in sentence and "damaged" in sentence and "backup" in sentence
        _private_free(sentence.replace(str(demo_file), ""))
    finally:
        database.close()
    assert demo_file.read_bytes() == before


def test_a_sound_file_is_checked_once_in_the_background(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(demo_file)
    calls: list[int] = []
    real = database._quick_check
    monkeypatch.setattr(database, "_quick_check", lambda: (calls.append(1), real())[1])
    try:
        database.check_in_background()
        with database.write() as session:  # waits for the check under way, does not run another
            session.execute(text("UPDATE person SET email = email"))
        with database.write() as session:
            session.execute(text("UPDATE person SET email = email"))
        assert calls == [1]
    finally:
        database.close()


def test_quick_check_on_a_100k_database_runs_in_the_background(tmp_path: Path) -> None:
    """Opening does not pay for the check (it reads the whole file); measured on the
    100,000-registration bench file when it is there."""
    source = Path("/tmp/conference-desk-bench/responsive-100000.sqlite")
    if not source.exists():
        pytest.skip("the 100,000-registration bench file is not built (tests/bench/responsive.py)")
    import shutil

    copy = tmp_path / "big.sqlite"
    shutil.copyfile(source, copy)
    open_database(copy).close()  # brought to this schema first (an upgrade checks the file)
    started = time.perf_counter()
    database = open_database(copy)
    opened = time.perf_counter() - started
    try:
        started = time.perf_counter()
        database.check()
        checked = time.perf_counter() - started
    finally:
        database.close()
    assert opened < checked, (opened, checked)


# --- disk full ------------------------------------------------------------------------


def test_a_full_disk_is_said_naming_the_file_and_nothing_is_saved(tmp_path: Path, db_templates: Templates) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = db_templates.copy_sqlite("demo", disk / "desk.sqlite")
        database = open_database(path)
        try:
            database.check()
            with database.read() as session:
                before = session.scalar(select(func.count()).select_from(Person))
            fill(disk)
            with pytest.raises(Exception) as err:
                with database.write() as session:
                    session.execute(text("UPDATE person SET email = email || '.more.text.to.fill.the.page', "
                                         "family_name = family_name || family_name"))
            sentence = error_sentence(err.value)
            assert sentence.startswith("There is no space left on the disk holding " + str(path)), sentence
            _private_free(sentence.replace(str(path), ""))
            (disk / "filler.bin").unlink()
            with database.read() as session:
                assert session.scalar(select(func.count()).select_from(Person)) == before
        finally:
            database.close()


def test_a_full_disk_is_said_so_in_the_interface_language() -> None:
    error = DatabaseError(DISK_FULL, target="/media/desk.sqlite")
    with speaking("ru"):
        ru = error_sentence(error)
    with speaking("kk"):
        kk = error_sentence(error)
    assert "/media/desk.sqlite" in ru and "/media/desk.sqlite" in kk
    assert len({ru, kk, error_sentence(error)}) == 3


# --- servers --------------------------------------------------------------------------


def _url(port: int) -> str:
    return f"postgresql+psycopg://desk:secret@127.0.0.1:{port}/conference"


def _said_of_server(url: str) -> tuple[DatabaseError, str, float]:
    started = time.monotonic()
    with pytest.raises(DatabaseError) as err:
        open_database(url)
    return err.value, error_sentence(err.value), time.monotonic() - started


def test_a_server_that_refuses(require_psycopg: None) -> None:
    error, sentence, _took = _said_of_server(_url(closed_port()))
    assert error.template == NO_ANSWER
    assert "127.0.0.1" in sentence and "secret" not in sentence


def test_a_server_that_never_answers_times_out(require_psycopg: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT_S", 2)
    with silent_server() as port:
        error, sentence, took = _said_of_server(_url(port))
    assert error.template == NO_ANSWER and took < 8
    assert f"127.0.0.1:{port}" in sentence and "secret" not in sentence


def test_a_server_that_hangs_up(require_psycopg: None) -> None:
    with silent_server(hang_up=True) as port:
        error, sentence, _took = _said_of_server(_url(port))
    assert error.template == SERVER_GONE
    assert f"127.0.0.1:{port}" in sentence and "closed the connection" in sentence


def test_a_server_gone_after_opening_is_named(pg_database_url: str) -> None:
    """An open database whose server goes away: the sentence names the server."""
    import socket
    import threading

    from sqlalchemy.engine import make_url

    real = make_url(pg_database_url)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    pipes: list[socket.socket] = []

    def pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((real.host, real.port))
            pipes.extend((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    database = open_database(real.set(host="127.0.0.1", port=port).render_as_string(hide_password=False))
    try:
        listener.shutdown(socket.SHUT_RDWR)  # the server goes away: no new connection (wakes
        listener.close()  # the accept under way, which would keep it listening), the open ones cut
        for s in pipes:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        with pytest.raises(Exception) as err:
            with database.write() as session:
                session.execute(text("UPDATE person SET email = email"))
        sentence = error_sentence(err.value)
        assert f"127.0.0.1:{port}" in sentence, sentence
        assert "does not answer" in sentence or "closed the connection" in sentence
        _private_free(sentence.replace(database.label, ""))  # the label: the server's user, no password
    finally:
        database.close()


@pytest.fixture
def require_psycopg() -> None:
    pytest.importorskip("psycopg")


def test_no_sentence_keeps_the_driver_s_words_about_people(demo_file: Path) -> None:
    """A rule of the data (a unique e-mail) is said without the values it was given."""
    database = open_database(demo_file)
    try:
        with database.read() as session:
            email = session.scalar(select(Person.email).where(Person.email.is_not(None)).limit(1))
        with pytest.raises(Exception) as err:
            with database.write() as session:
                session.execute(text("INSERT INTO person (id, uuid) SELECT id, uuid FROM person LIMIT 1"))
        sentence = error_sentence(err.value)
        assert email not in sentence
        _private_free(sentence)
    finally:
        database.close()
    assert os.path.exists(demo_file)
