"""The import itself: read, plan, and write everything in one transaction.

``import_attendees`` is the one call the wizard and ``import-attendees`` share. It reads
the file (or takes a table already read), maps its columns, and then, inside one
``Database.write()`` transaction, loads what the event already holds, decides every
row (``validation.plan_import``) and inserts the new organisations, people and
registrations ``BATCH`` rows at a time as plain tuples on the driver's ``executemany``
(``RowWriter``), each batch's sort keys and search skeletons with it: the rows to write
are made batch by batch and let go, never all at once. (The file's rows and their
verdicts are kept: the preview, the report and the duplicate check need every one.) Any
exception — a database error, or ``ImportCancelled`` raised by the progress callback —
rolls the whole import back: nothing is imported. ``dry_run`` plans the same way in a read
session and writes nothing.

Primary keys of new rows are taken before inserting (``max(id)`` under SQLite's
``BEGIN IMMEDIATE`` lock, ``nextval`` of the sequence on PostgreSQL), so people and their
registrations are plain ``executemany`` inserts without a round trip per row. On
PostgreSQL a transaction-level advisory lock per event makes imports by several desks
take turns, so the duplicate check sees what the other desk just imported.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, Uuid, func, insert, select, text

from db.engine import Database
from db.models import Organisation, Person, Registration, Sector, Source
from db.types import LocalText, utcnow
from desktop.core.codes import BadgeCodes
from desktop.core.collation import write_name_keys
from desktop.core.formats import number
from desktop.core.importing.errors import DEFAULT_LIMITS, ImportCancelled, LayoutProblem, Limits
from desktop.core.importing.layout import Layout, Overrides, detect_layout
from desktop.core.importing.reading import SourceTable, iter_tables, no_data
from desktop.core.importing.validation import ImportPlan, Outcome, load_existing, plan_import
from desktop.core.language import _, n_

BATCH = 2_000
IMPORT_LOCK = 0x43440001  # the advisory lock class of imports (PostgreSQL)
SOURCE_FILE_MAX = 260

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while rows are written; may raise ``ImportCancelled``."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    plan: ImportPlan
    dry_run: bool
    organisations_created: int

    @property
    def imported(self) -> int:
        return self.plan.imported

    @property
    def duplicates(self) -> int:
        return self.plan.duplicates

    @property
    def skipped(self) -> int:
        return self.plan.skipped

    @property
    def people_created(self) -> int:
        return self.plan.new_people

    @property
    def people_reused(self) -> int:
        return self.plan.reused_people

    def summary(self) -> str:
        """One line: "Imported 45, duplicates 3, skipped 2." (dry run: "would import"), in
        the interface language."""
        counts = {"imported": number(self.imported), "duplicates": number(self.duplicates),
                  "skipped": number(self.skipped)}
        if self.dry_run:
            return _("Would import {imported}, duplicates {duplicates}, skipped {skipped}.").format(**counts)
        return _("Imported {imported}, duplicates {duplicates}, skipped {skipped}.").format(**counts)

    def details(self) -> str:
        """How the people were found and what was created, one line."""
        table, layout = self.plan.table, self.plan.layout
        if layout.header_row is not None:
            where = _("header on row {row}").format(row=layout.header_row)
        else:
            where = _("no header row")
        people = n_("{n} new person", "{n} new people", self.people_created).format(n=number(self.people_created))
        roster = n_("{n} already in the roster", "{n} already in the roster", self.people_reused).format(
            n=number(self.people_reused))
        n = self.organisations_created
        if self.dry_run:
            made = n_("{n} organisation would be created", "{n} organisations would be created", n)
        else:
            made = n_("{n} organisation created", "{n} organisations created", n)
        # Translators: "list.xlsx (Excel workbook, sheet “Лист1”; header on row 3): 40 new people,
        # 5 already in the roster; 2 organisations created."
        return _("{file} ({kind}; {header}): {people}, {roster}; {organisations}.").format(
            file=table.name, kind=table.describe(), header=where, people=people, roster=roster,
            organisations=made.format(n=number(n)))

    def problem_lines(self) -> list[str]:
        """A line per duplicate, skipped row and warning, in file order."""
        lines = []
        # Translators: a line of the import's report; {message} is the row's sentence.
        duplicate = _("row {row}: duplicate: {message}")
        skipped = _("row {row}: skipped: {message}")
        # Translators: a line of the import's report; {warning} says what was changed or left out.
        warned = _("row {row}: imported, but {warning}.")
        for v in self.plan.verdicts:
            if not v.imported:
                line = duplicate if v.outcome is Outcome.DUPLICATE else skipped
                lines.append(line.format(row=v.row, message=v.message))
            for warning in v.warnings:
                lines.append(warned.format(row=v.row, warning=warning))
        return lines


def open_source(source: str | Path | SourceTable, overrides: Overrides | None = None,
                limits: Limits = DEFAULT_LIMITS, *, sheet: str | None = None) -> tuple[SourceTable, Layout]:
    """The table to import and its layout: the first sheet whose columns include names
    (or the first sheet, with its ``Layout.problem``, when none does)."""
    if isinstance(source, SourceTable):
        return source, detect_layout(source, overrides)
    first: tuple[SourceTable, Layout] | None = None
    for table in iter_tables(source, limits, sheet=sheet):
        layout = detect_layout(table, overrides)
        if layout.problem is None:
            return table, layout
        if first is None:
            first = (table, layout)
    if first is None:
        raise no_data(Path(source).name)
    return first


def check_usable(table: SourceTable, layout: Layout) -> None:
    """Raise ``LayoutProblem`` when no column of ``layout`` is known to hold names."""
    if layout.problem is not None:
        where = _("{file}, sheet “{sheet}”").format(file=table.name, sheet=table.sheet) if table.sheet else table.name
        raise LayoutProblem(where, layout.problem)


def preview_import(database: Database, table: SourceTable, layout: Layout, event_id: int) -> ImportPlan:
    """What importing would do, row by row (reads the database, writes nothing)."""
    check_usable(table, layout)
    with gc_paused(), database.read() as session:
        return plan_import(table, layout, load_existing(session, event_id))


def import_attendees(database: Database, source: str | Path | SourceTable, event_id: int, *,
                     overrides: Overrides | None = None, layout: Layout | None = None,
                     dry_run: bool = False, progress: Progress | None = None,
                     limits: Limits = DEFAULT_LIMITS, sheet: str | None = None) -> ImportReport:
    """Import the attendees of ``source`` into event ``event_id`` (see the module docstring).

    Raises ``ImportFileError`` when the file cannot be used, ``validation.EventMissing``
    when the event does not exist, and whatever the database raises; in every case
    nothing was written.
    """
    from desktop.core.person_keys import settle

    with gc_paused():
        if layout is not None and isinstance(source, SourceTable):
            table = source
        else:
            table, layout = open_source(source, overrides, limits, sheet=sheet)
        check_usable(table, layout)
        if dry_run:
            with database.read() as session:
                plan = plan_import(table, layout, load_existing(session, event_id))
            return ImportReport(plan, dry_run=True, organisations_created=len(plan.new_organisations))
        with database.write() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Desks sharing a server import one at a time into an event, so two imports
                # of the same list cannot both find its people new. (SQLite's BEGIN
                # IMMEDIATE already lets one writer in at a time.)
                session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": IMPORT_LOCK, "b": event_id})
            existing = load_existing(session, event_id)
            plan = plan_import(table, layout, existing)
            write_plan(session.connection(), plan, existing.taken_codes, progress)
            settle(session)  # anyone else's stale skeletons too (desktop.core.person_keys)
        return ImportReport(plan, dry_run=False, organisations_created=len(plan.new_organisations))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold CPython's cycle collector while an import builds hundreds of thousands of
    small, acyclic objects (cells, rows, verdicts, parameter dicts): otherwise it scans
    them again and again, a fifth of the import's time. Reference counting still frees
    everything; the collector resumes (as it was) when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- writing ------------------------------------------------------------------------------

def allocate_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table`` (inside the write transaction)."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar_one()
        ids = conn.execute(text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                           {"s": sequence, "n": n}).scalars().all()
        return list(ids)
    start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(start + 1, start + 1 + n))


class RowWriter:
    """``INSERT INTO table (columns)`` of plain tuples, run as the driver's ``executemany``
    in batches: Core ``insert()`` over lists of dicts spent more time building and
    processing each row's parameters than the database spent inserting them.

    Each column's values are turned into what the driver takes by the column type's own
    bind processor (so the stored text is exactly what Core would write), column by column
    over a batch; a processor of hashable values (enums, instants, flags, and JSON given as
    a tuple of items, see ``json_items``) runs once per distinct value.
    """

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = conn.dialect
        self.conn = conn
        self.table = table
        marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
        names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
        self.sql = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
        self.converters: list[Callable[[Any], Any] | None] = []
        for name in columns:
            column = table.c[name]
            process = column.type._cached_bind_processor(dialect)
            if process is None:
                self.converters.append(None)
            elif isinstance(column.type, Uuid):
                self.converters.append(process)
            elif isinstance(column.type, (JSON, LocalText)):
                self.converters.append(_Memo(_from_items(process)).__getitem__)
            else:
                self.converters.append(_Memo(process).__getitem__)

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = [col if convert is None else list(map(convert, col))
                   for col, convert in zip(zip(*rows), self.converters)]
        self.conn.exec_driver_sql(self.sql, list(zip(*columns)))


class _Memo(dict[Any, Any]):
    """A processor's results by value, each made once."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self.process = process

    def __missing__(self, value: Any) -> Any:
        result = self[value] = self.process(value)
        return result


def _from_items(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda items: process(dict(items))


def json_items(mapping: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A JSON mapping as ``RowWriter`` takes it (hashable, so that repeats are made once)."""
    return tuple(mapping.items())


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


PERSON_COLUMNS = ("id", "uuid", "honorific", "given_name", "family_name", "patronymic", "display_name", "position",
                  "organisation_id", "country", "email", "phone", "bio", "gender", "created_at", "updated_at")
REGISTRATION_COLUMNS = ("uuid", "event_id", "person_id", "category", "status", "badge_code", "source", "source_file",
                        "source_row", "dietary", "interpretation", "accessibility", "photo_consent", "notes",
                        "created_at", "updated_at")


def write_plan(conn: Connection, plan: ImportPlan, taken_codes: set[str],
               progress: Progress | None = None) -> None:
    """Insert what ``plan`` imports (organisations, people, registrations), ``BATCH`` rows
    at a time: each batch's parameters are made, written and let go, so that the rows to
    write never all sit in memory at once. The new people's sort keys and search
    skeletons are made batch by batch too, in the same transaction."""
    from desktop.core.person_keys import settle

    imported = [v for v in plan.verdicts if v.imported]
    new_people = [v for v in imported if v.outcome is Outcome.NEW]
    total = len(new_people) + len(imported)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    now = utcnow()
    source_file = plan.table.name[:SOURCE_FILE_MAX]
    empty = json_items({})

    org_table = Organisation.__table__
    org_ids: dict[str, int] = {}
    if plan.new_organisations:
        ids = allocate_ids(conn, org_table, len(plan.new_organisations))
        org_rows = []
        for oid, org in zip(ids, plan.new_organisations):
            org_ids[org.key] = oid
            org_rows.append({
                "id": oid, "uuid": uuid.uuid4(), "name": {org.lang: org.name}, "short_name": {},
                "sector": org.sector or Sector.OTHER, "country": None, "created_at": now, "updated_at": now,
            })
        conn.execute(insert(org_table), org_rows)

    person_ids = allocate_ids(conn, Person.__table__, len(new_people))
    person_of: dict[int, int] = {}
    people = RowWriter(conn, Person.__table__, PERSON_COLUMNS)
    uuid4 = uuid.uuid4
    for first in range(0, len(new_people), BATCH):
        batch = new_people[first:first + BATCH]
        rows: list[tuple[Any, ...]] = []
        for pid, v in zip(person_ids[first:first + BATCH], batch):
            a = v.attendee
            assert a is not None
            person_of[v.index] = pid
            rows.append((
                pid, uuid4(), a.honorific or None, a.given_name, a.family_name, a.patronymic or None, empty,
                ((a.position_lang, a.position),) if a.position else empty,
                v.organisation_id if v.organisation_id is not None else org_ids.get(v.organisation_key or ""),
                a.country, a.email or None, a.phone or None, empty, a.gender, now, now,
            ))
        people.write(rows)
        write_name_keys(conn, ((r[0], r[3], r[4], r[5], {}) for r in rows))
        settle(conn, len(rows))  # these people's skeletons, for the search (desktop.core.person_keys)
        step(len(rows))

    codes = BadgeCodes(taken=taken_codes)
    registrations = RowWriter(conn, Registration.__table__, REGISTRATION_COLUMNS)
    for chunk in _chunks(imported, BATCH):
        rows = []
        for v in chunk:
            a = v.attendee
            assert a is not None
            rows.append((
                uuid4(), plan.event_id, v.person_id if v.person_id is not None else person_of[v.index],
                a.category, a.status, codes.new(), Source.IMPORT, source_file, v.row,
                a.dietary or None, a.interpretation or None, a.accessibility or None, a.photo_consent,
                a.notes or None, now, now,
            ))
        registrations.write(rows)
        step(len(rows))


__all__ = [
    "BATCH", "ImportCancelled", "ImportReport", "Progress", "RowWriter", "allocate_ids", "check_usable",
    "import_attendees", "open_source", "preview_import", "write_plan",
]
