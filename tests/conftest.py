"""Fixtures shared by every test directory (tests/db, tests/core, tests/ui, ...).

* ``db_target`` — where a test's database lives, once per backend: ``[sqlite]`` is a fresh
  file path (a string) in the test's temporary folder; ``[postgres]`` is the URL of a
  fresh database made on the server named by ``CONFERENCE_DESK_TEST_PG_URL`` and dropped
  after the test. Without that variable the PostgreSQL case is skipped, unless
  ``CONFERENCE_DESK_REQUIRE_PG=1`` (CI sets it), when it fails instead.
* ``database`` — ``db.open_database(db_target)``: an open, up-to-date ``db.engine.Database``,
  closed after the test.
"""

from __future__ import annotations

import os

# Before anything can import Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import secrets  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

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


@pytest.fixture
def pg_database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    server = make_url(_server_url())
    if server.drivername == "postgresql":
        server = server.set(drivername="postgresql+psycopg")
    name = f"cd_test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's database goes: a new SQLite file path, or a new PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "conference-desk.sqlite")
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def database(db_target: str) -> Iterator[Database]:
    """The database at ``db_target``, opened (created and migrated) by ``open_database``."""
    from db.engine import open_database

    db = open_database(db_target)
    try:
        yield db
    finally:
        db.close()
