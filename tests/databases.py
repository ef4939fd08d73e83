"""The databases of the tests: made once per session as templates, copied for each test.

Migrating a new database and building the demo event take 0.1–0.7 s; copying a template that
holds the result takes a few milliseconds (a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL), and the copy holds exactly what migrating (and ``create_demo``)
made. The fixtures over these are in ``tests/conftest.py``.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

Content = Literal["empty", "demo"]
"""What a template holds: ``empty`` — created and migrated; ``demo`` — and the demo event."""


class PgServer:
    """The PostgreSQL server of the tests: makes and drops databases on it."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        server = make_url(url)
        if server.drivername == "postgresql":
            server = server.set(drivername="postgresql+psycopg")
        self._server: URL = server
        self._admin: Engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url(self, name: str) -> str:
        return self._server.set(database=name).render_as_string(hide_password=False)

    def create(self, prefix: str = "cd_test", template: str | None = None) -> str:
        """A new database (a copy of ``template``, or empty); its name."""
        name = f"{prefix}_{secrets.token_hex(6)}"
        copy_of = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy_of}')
        return name

    def drop(self, name: str) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin.dispose()


class Templates:
    """Databases made once per session, each the first time a test wants it, and copied for
    every test: per backend, one created and migrated (``empty``), one with the demo event too
    (``demo``). A template is not opened again once made, so its copies are exact."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._files: dict[Content, Path] = {}
        self._pg: dict[Content, str] = {}
        self._pg_server: PgServer | None = None
        self.demo_event_id: dict[str, int] = {}  # by backend: "sqlite", "postgres"

    def sqlite(self, content: Content) -> Path:
        """The SQLite template file holding ``content``."""
        if content not in self._files:
            path = self._folder / f"{content}.sqlite"
            self._fill(path, content, "sqlite")
            journals = sorted(p.name for p in self._folder.iterdir() if p.name.startswith(path.name + "-"))
            assert not journals, f"the template was closed with its journal still there: {journals}"
            self._files[content] = path
        return self._files[content]

    def copy_sqlite(self, content: Content, path: Path) -> Path:
        """A new SQLite file at ``path`` holding ``content`` (a copy of the template)."""
        shutil.copyfile(self.sqlite(content), path)
        return path

    def postgres(self, server: PgServer, content: Content) -> str:
        """The name of the PostgreSQL template database holding ``content``."""
        if content not in self._pg:
            self._pg_server = server
            name = server.create("cd_test_template")
            try:
                self._fill(server.url(name), content, "postgres")
            except BaseException:
                server.drop(name)
                raise
            self._pg[content] = name
        return self._pg[content]

    def _fill(self, target: str | Path, content: Content, backend: str) -> None:
        from db.engine import open_database

        database = open_database(target)
        try:
            if content == "demo":
                from desktop.core.demo import create_demo

                self.demo_event_id[backend] = create_demo(database)
        finally:
            database.close()  # no connection left: PostgreSQL copies a template only then

    def drop(self) -> None:
        """Drop the PostgreSQL templates (the files go with the session's temporary folder)."""
        if self._pg_server is not None:
            for name in self._pg.values():
                self._pg_server.drop(name)
        self._pg.clear()


class OneDatabase:
    """The one database of a test, on ``backend``: made by the first fixture that asks."""

    def __init__(self, backend: str, folder: Path, templates: Templates,
                 pg_server: Callable[[], PgServer]) -> None:
        self.backend = backend
        self._folder = folder
        self._templates = templates
        self._pg_server = pg_server
        self._made: str | None = None
        self._dropped: tuple[PgServer, str] | None = None

    def make(self, content: Content | None) -> str:
        """The target of a new database holding ``content`` (None: nothing, not even tables)."""
        wanted = content or "nothing"
        assert self._made is None, (f"the test asked for a database with {wanted} after one with {self._made}: "
                                    "a test takes one database fixture")
        self._made = wanted
        if self.backend == "sqlite":
            path = self._folder / "conference-desk.sqlite"
            if content is not None:
                self._templates.copy_sqlite(content, path)
            return str(path)
        server = self._pg_server()
        template = self._templates.postgres(server, content) if content is not None else None
        name = server.create(template=template)
        self._dropped = (server, name)
        return server.url(name)

    def drop(self) -> None:
        if self._dropped is not None:
            server, name = self._dropped
            server.drop(name)


def content_columns(table: Any) -> list[Any]:
    """Every column of ``table`` but the row's ``version`` (migration 0011), which every edit
    raises, an undo too: what a test compares to say "as it was"."""
    return [c for c in table.c if c.key != "version"]


def confirmed_not_in(database: Any, event_id: int, n: int) -> list[tuple[int, str]]:
    """(registration id, badge code) of ``n`` confirmed registrations of the event that are
    not checked in, in id order: people a desk test may check in."""
    from sqlalchemy import select

    from db.models import Registration, Status
    from desktop.core.checkin import check_ins_of

    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code)
                         .where(Registration.event_id == event_id, Registration.status == Status.CONFIRMED)
                         .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    return [(rid, code) for rid, code in rows if rid not in arrived][:n]
