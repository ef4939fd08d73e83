"""Fixtures shared by every test directory (tests/db, tests/core, tests/ui, ...).

Each test that wants a database gets its own, once per backend (``db_backend``): ``[sqlite]``
is a file in the test's temporary folder; ``[postgres]`` is a database made on the server
named by ``CONFERENCE_DESK_TEST_PG_URL`` and dropped after the test. Without that variable
the PostgreSQL case is skipped, unless ``CONFERENCE_DESK_REQUIRE_PG=1`` (CI sets it), when it
fails instead.

* ``db_target`` — where a test's database goes, with nothing in it yet: a SQLite file path
  that does not exist, or the URL of an empty PostgreSQL database. For tests of creating,
  migrating and opening databases, and of programs that do it themselves.
* ``database`` — an open, up-to-date ``db.engine.Database`` with no data, closed after the test.
* ``demo`` — ``(database, event id)``: the same, holding the demo event.
* ``empty_target``, ``demo_target`` — the target of such a database, not opened: for tests
  of programs that open it themselves (the command line); ``demo_target`` is
  ``(target, event id)``.

These are copies of templates made once per session (``db_templates``, see
``tests/databases.py``). One test has one database: it takes one of these fixtures.
"""

from __future__ import annotations

import os

# Before anything can import Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# The interface speaks English in tests, whatever the machine's locale, unless a test asks
# for another language (``--ui-language``, ``desktop.core.language.speaking``).
os.environ["CONFERENCE_DESK_UI_LANGUAGE"] = "en"

from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from tests.databases import OneDatabase, PgServer, Templates  # noqa: E402

if TYPE_CHECKING:
    from db.engine import Database

PG_URL_VAR = "CONFERENCE_DESK_TEST_PG_URL"
REQUIRE_PG_VAR = "CONFERENCE_DESK_REQUIRE_PG"


def _require_pg() -> bool:
    return os.environ.get(REQUIRE_PG_VAR, "").strip().lower() in ("1", "true", "yes")


def _server_url() -> str:
    """The URL of the PostgreSQL server for tests; skip (or fail under CI) without one."""
    url = os.environ.get(PG_URL_VAR, "").strip()
    if url:
        return url
    if _require_pg():
        pytest.fail(
            f"{REQUIRE_PG_VAR}=1 but {PG_URL_VAR} is not set: the PostgreSQL tests must run here",
            pytrace=False,
        )
    pytest.skip(f"PostgreSQL tests need {PG_URL_VAR} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)")


@pytest.fixture(scope="session", autouse=True)
def offline_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Desks on a server keep local copies (``desktop.core.offline_desk``): in the tests, in
    a temporary folder, never in the user's data folder."""
    folder = tmp_path_factory.mktemp("offline-copies")
    before = os.environ.get("CONFERENCE_DESK_OFFLINE_DIR")
    os.environ["CONFERENCE_DESK_OFFLINE_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("CONFERENCE_DESK_OFFLINE_DIR", None)
        else:
            os.environ["CONFERENCE_DESK_OFFLINE_DIR"] = before


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer(_server_url())
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_database_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    name = pg_server.create()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop(name)


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    templates = Templates(tmp_path_factory.mktemp("db-templates"))
    try:
        yield templates
    finally:
        templates.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def one_database(request: pytest.FixtureRequest, db_backend: str, tmp_path: Path,
                 db_templates: Templates) -> Iterator[OneDatabase]:
    """The test's database, made by the one fixture of those above that the test takes."""
    made = OneDatabase(db_backend, tmp_path, db_templates, lambda: request.getfixturevalue("pg_server"))
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture
def db_target(one_database: OneDatabase) -> str:
    """Where a test's database goes: a new SQLite file path, or a new empty PostgreSQL database's URL."""
    return one_database.make(None)


@contextmanager
def _opened(target: str) -> Iterator[Database]:
    from db.engine import open_database

    db = open_database(target)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def database(one_database: OneDatabase) -> Iterator[Database]:
    """A new database, created and migrated (a copy of the session's template), opened."""
    with _opened(one_database.make("empty")) as db:
        yield db


@pytest.fixture
def demo(one_database: OneDatabase, db_templates: Templates) -> Iterator[tuple[Database, int]]:
    """A new database holding the demo round table (a copy of the session's template):
    (database, event id)."""
    with _opened(one_database.make("demo")) as db:
        yield db, db_templates.demo_event_id[one_database.backend]


@pytest.fixture
def empty_target(one_database: OneDatabase) -> str:
    """The target of a new database, created and migrated (a copy of the template), not opened."""
    return one_database.make("empty")


@pytest.fixture
def demo_target(one_database: OneDatabase, db_templates: Templates) -> tuple[str, int]:
    """The target of a new database holding the demo round table (a copy of the template), not
    opened: (target, event id)."""
    return one_database.make("demo"), db_templates.demo_event_id[one_database.backend]


@pytest.fixture
def demo_pg(tmp_path: Path, db_templates: Templates, pg_server: PgServer) -> Iterator[tuple[str, int]]:
    """A new PostgreSQL database holding the demo round table, not opened: (URL, event id)."""
    made = OneDatabase("postgres", tmp_path, db_templates, lambda: pg_server)
    try:
        yield made.make("demo"), db_templates.demo_event_id["postgres"]
    finally:
        made.drop()


@pytest.fixture
def workstation_2(demo: tuple[Database, int]) -> Iterator[Database]:
    """The demo database of ``demo`` opened a second time, as another workstation would (its
    own connections to the same file or server); the history's author is reset after."""
    from db.engine import open_database
    from desktop.core.authors import set_author

    second = open_database(demo[0].target)
    try:
        yield second
    finally:
        second.close()
        set_author("")
