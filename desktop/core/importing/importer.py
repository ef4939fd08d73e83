"""The import itself: read, decide and write, streaming, in one transaction.

``import_attendees`` is the one call the wizard and ``import-attendees`` share. It opens
the file (or takes a table already opened), maps its columns, and then, inside one
``Database.write()`` transaction, loads what the event already holds and lets the rows
flow: each row is read (``SourceTable.iter_rows``), decided (``validation.decide``) and,
when imported, gathered into a batch; every ``BATCH`` imported rows the batch's new
organisations, people and registrations are inserted as plain tuples on the driver's
``executemany`` (``RowWriter``), with the people's sort keys and search skeletons, and
let go. What stays across batches is small: the duplicate check's keys, the new
organisations' ids by key, the badge codes taken, and each row's verdict in compact form
(``validation.VerdictLog``) for the report. Any exception — a database error, a file that
turns out unreadable halfway (``ImportFileError``), or ``ImportCancelled`` raised by the
progress callback — rolls the whole import back: nothing is imported. ``dry_run`` decides
the same way in a read session and writes nothing.

Primary keys of new rows are taken before inserting (``max(id)`` under SQLite's
``BEGIN IMMEDIATE`` lock, ``nextval`` of the sequence on PostgreSQL), so people and their
registrations are plain ``executemany`` inserts without a round trip per row. On
PostgreSQL a transaction-level advisory lock per event makes imports by several desks
take turns, so the duplicate check sees what the other desk just imported.

On PostgreSQL a batch is a few statements, not a statement per row: each table's rows go
as one array per column, unnested into rows by the server (``RowWriter``), and the new
people's search rows and keys (search document, skeleton, sort keys) are made here and
inserted in bulk, the per-row insert triggers that would make them standing aside for that
insert (``_PgKeys``, migration 0010). 40,000 people: 28 s → about 13 s (SQLite: 7 s).

The rows are not written through a ``Recorder``: the import is settled like an edit at the
end of its transaction (``changes.settle_written`` with every organisation, person and
registration it made — it changes no row that was there): the history has it (a table's
rows past ``LOG_ROWS_LIMIT`` as one line with their count), its lines say "Imported from
FILE" (``history.note_write``), and the other workstations are told.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, Uuid, bindparam, func, insert, select, text, update

from db.engine import Database
from db.models import Organisation, Person, Registration, Sector, Source
from db.types import LocalText, utcnow
from desktop.core.changes import MadeRows
from desktop.core.codes import BadgeCodes
from desktop.core.collation import write_name_keys
from desktop.core.formats import number
from desktop.core.importing.errors import DEFAULT_LIMITS, ImportCancelled, LayoutProblem, Limits
from desktop.core.importing.layout import Layout, Overrides, detect_layout
from desktop.core.importing.reading import SourceTable, iter_tables, no_data
from desktop.core.importing.validation import (
    Existing,
    ImportPlan,
    NewOrganisation,
    Outcome,
    RowVerdict,
    VerdictLog,
    decide,
    load_existing,
    plan_import,
)
from desktop.core.language import _, n_

BATCH = 2_000
IMPORT_LOCK = 0x43440001  # the advisory lock class of imports (PostgreSQL)
SOURCE_FILE_MAX = 260

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while rows are written — rows of the file read so
far, and the rows the file holds (a text file's are counted by its lines: ``done`` may
reach it only at the end); may raise ``ImportCancelled``."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    plan: ImportPlan
    dry_run: bool
    organisations_created: int
    edit: uuid.UUID | None = None  # its lines in the history (None: a dry run, or nothing imported)

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
        verdicts = self.plan.verdicts
        told = set(verdicts.positions((Outcome.DUPLICATE, Outcome.SKIPPED))) | set(verdicts.positions(warned=True))
        for i in sorted(told):
            v = verdicts[i]
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
            return ImportReport(plan, dry_run=True, organisations_created=plan.organisations_added)
        with database.write() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Desks sharing a server import one at a time into an event, so two imports
                # of the same list cannot both find its people new. (SQLite's BEGIN
                # IMMEDIATE already lets one writer in at a time.)
                session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": IMPORT_LOCK, "b": event_id})
            existing = load_existing(session, event_id)
            made = MadeRows()
            plan = stream_import(session.connection(), table, layout, existing, progress, made=made)
            settle(session)  # anyone else's stale skeletons too (desktop.core.person_keys)
            edit = _settle_import(session, made, event_id, table.name)
        return ImportReport(plan, dry_run=False, organisations_created=plan.organisations_added, edit=edit)


def _settle_import(session: Any, made: MadeRows, event_id: int, file: str) -> uuid.UUID | None:
    """The import as an edit: versions, history ("Imported from FILE"), the others told."""
    from desktop.core.changes import settle_written
    from desktop.core.history import IMPORT, note_write

    if not made:
        return None
    change = settle_written(session, created=made)
    assert change.edit is not None
    note_write(session, change.edit, IMPORT, event_id=event_id, file=file)
    return change.edit


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

class IdAllocator:
    """Fresh primary keys for ``table``, asked for batch by batch inside the write
    transaction: ``nextval`` of the sequence on PostgreSQL; on SQLite counted on from
    ``max(id)``, read once (``BEGIN IMMEDIATE`` keeps every other writer out until commit)."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn = conn
        self.table = table
        self.sequence: str | None = None
        self.next: int | None = None

    def take(self, n: int) -> list[int]:
        if n <= 0:
            return []
        conn = self.conn
        if conn.dialect.name == "postgresql":
            if self.sequence is None:
                self.sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                             {"t": self.table.name}).scalar_one()
            ids = conn.execute(text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                               {"s": self.sequence, "n": n}).scalars().all()
            return list(ids)
        if self.next is None:
            self.next = conn.execute(select(func.coalesce(func.max(self.table.c.id), 0))).scalar_one() + 1
        first, self.next = self.next, self.next + n
        return list(range(first, first + n))


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
        self.by_column = dialect.name == "postgresql"
        names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
        into = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names})"
        if self.by_column:
            # One statement a batch: an array per column, unnested into rows. Text goes as
            # text[], so that a value too long for its column fails as it would in VALUES.
            arrays = ", ".join(f"%s::{_array_type(table.c[c].type.compile(dialect=dialect))}" for c in columns)
            self.sql = f"{into} SELECT * FROM unnest({arrays})"
        else:
            marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
            self.sql = f"{into} VALUES ({marks})"
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
        columns = [list(col) if convert is None else list(map(convert, col))
                   for col, convert in zip(zip(*rows), self.converters)]
        if self.by_column:
            self.conn.exec_driver_sql(self.sql, tuple(columns))
        else:
            self.conn.exec_driver_sql(self.sql, list(zip(*columns)))


def _array_type(compiled: str) -> str:
    """The array type a column's values are sent in (PostgreSQL): text for text."""
    base = compiled.split("(")[0].strip().upper()
    return "text[]" if base in ("VARCHAR", "TEXT", "CHAR") else f"{compiled}[]"


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


PERSON_COLUMNS = ("id", "uuid", "honorific", "given_name", "family_name", "patronymic", "display_name", "position",
                  "organisation_id", "country", "email", "phone", "bio", "gender", "created_at", "updated_at")
REGISTRATION_COLUMNS = ("uuid", "event_id", "person_id", "category", "status", "badge_code", "source", "source_file",
                        "source_row", "dietary", "interpretation", "accessibility", "photo_consent", "notes",
                        "created_at", "updated_at")


def stream_import(conn: Connection, table: SourceTable, layout: Layout, existing: Existing,
                  progress: Progress | None = None, *, made: MadeRows | None = None) -> ImportPlan:
    """Decide the rows of ``table`` as they are read and insert the imported ones ``BATCH``
    at a time (see the module docstring); the plan of what was done. ``made`` gets the rows
    made (``changes.MadeRows``)."""
    log = VerdictLog()
    new_orgs: dict[str, NewOrganisation] = {}
    writer = _BatchWriter(conn, table, existing, new_orgs, made)
    first = layout.data_start
    total = max(table.rows_hint - first, 0)
    if progress is not None:
        progress(0, total)
    batch: list[RowVerdict] = []
    append = log.append
    index = first - 1
    for verdict in decide(table, layout, existing, new_orgs):
        append(verdict)
        if verdict.attendee is not None:
            batch.append(verdict)
            if len(batch) >= BATCH:
                writer.write(batch)
                batch = []
                index = verdict.index
                if progress is not None:
                    done = index + 1 - first
                    progress(done, max(total, done))
    writer.write(batch)
    writer.finish()
    if progress is not None:
        done = max(total, index + 1 - first)
        progress(done, done)
    return ImportPlan(table, layout, existing.event_id, log, len(new_orgs))


class _BatchWriter:
    """Inserts a batch of imported rows: the organisations they are the first to name,
    the new people (with their sort keys and search skeletons), the registrations."""

    def __init__(self, conn: Connection, table: SourceTable, existing: Existing,
                 new_orgs: dict[str, NewOrganisation], made: MadeRows | None = None) -> None:
        self.conn = conn
        self.made = made if made is not None else MadeRows()
        self.event_id = existing.event_id
        self.new_orgs = new_orgs
        self.org_ids: dict[str, int] = {}            # new organisation's key → its id
        self.org_sectors: dict[str, Sector | None] = {}  # … → the sector it was written with
        self.orgs = IdAllocator(conn, Organisation.__table__)
        self.person_ids = IdAllocator(conn, Person.__table__)
        self.people = RowWriter(conn, Person.__table__, PERSON_COLUMNS)
        self.keys = _PgKeys(conn) if conn.dialect.name == "postgresql" else None
        self.registrations = RowWriter(conn, Registration.__table__, REGISTRATION_COLUMNS)
        self.codes = BadgeCodes(taken=existing.taken_codes)
        self.now = utcnow()
        self.source_file = table.name[:SOURCE_FILE_MAX]

    def write(self, batch: Sequence[RowVerdict]) -> None:
        from desktop.core.person_keys import settle

        if not batch:
            return
        conn, now, uuid4 = self.conn, self.now, uuid.uuid4
        empty = json_items({})
        adding = [self.new_orgs[v.organisation_key] for v in batch
                  if v.adds_organisation and v.organisation_key is not None]
        if adding:
            org_rows = []
            for oid, org in zip(self.orgs.take(len(adding)), adding):
                self.org_ids[org.key] = oid
                self.org_sectors[org.key] = org.sector
                made_uuid = uuid4()
                self.made.add("organisation", (made_uuid,))
                org_rows.append({
                    "id": oid, "uuid": made_uuid, "name": {org.lang: org.name}, "short_name": {},
                    "sector": org.sector or Sector.OTHER, "country": None, "created_at": now, "updated_at": now,
                })
            conn.execute(insert(Organisation.__table__), org_rows)

        new_people = [v for v in batch if v.outcome is Outcome.NEW]
        person_of: dict[int, int] = {}
        rows: list[tuple[Any, ...]] = []
        org_ids = self.org_ids
        for pid, v in zip(self.person_ids.take(len(new_people)), new_people):
            a = v.attendee
            assert a is not None
            person_of[v.index] = pid
            rows.append((
                pid, uuid4(), a.honorific or None, a.given_name, a.family_name, a.patronymic or None, empty,
                ((a.position_lang, a.position),) if a.position else empty,
                v.organisation_id if v.organisation_id is not None else org_ids.get(v.organisation_key or ""),
                a.country, a.email or None, a.phone or None, empty, a.gender, now, now,
            ))
        if rows:
            self.made.add("person", (r[1] for r in rows))
            if self.keys is not None:
                self.keys.write(self.people, rows)
            else:
                self.people.write(rows)
                write_name_keys(conn, ((r[0], r[3], r[4], r[5], {}) for r in rows))
                settle(conn, len(rows))  # these people's skeletons, for the search (desktop.core.person_keys)

        new_code = self.codes.new
        rows = []
        for v in batch:
            a = v.attendee
            assert a is not None
            rows.append((
                uuid4(), self.event_id, v.person_id if v.person_id is not None else person_of[v.index],
                a.category, a.status, new_code(), Source.IMPORT, self.source_file, v.row,
                a.dietary or None, a.interpretation or None, a.accessibility or None, a.photo_consent,
                a.notes or None, now, now,
            ))
        self.registrations.write(rows)
        self.made.add("registration", (r[0] for r in rows))

    def finish(self) -> None:
        """Give the organisations written before a later row named their sector that sector."""
        later = [{"oid": self.org_ids[key], "sector": org.sector} for key, org in self.new_orgs.items()
                 if key in self.org_ids and org.sector is not None and self.org_sectors[key] is None]
        if later:
            table = Organisation.__table__
            self.conn.execute(update(table).where(table.c.id == bindparam("oid"))
                              .values(sector=bindparam("sector")), later)


BULK_PEOPLE = "conference_desk.bulk_people"
"""The setting under which PostgreSQL's insert triggers on ``person`` stand aside
(migration 0010): the writer makes the search rows and keys itself."""


class _PgKeys:
    """PostgreSQL: new people inserted with the triggers that would make their search row
    and (stale) keys standing aside (``BULK_PEOPLE``), and those rows written here, in bulk,
    exactly as the triggers and ``person_keys.settle`` would make them: the search document
    as ``cd_person_search_doc`` folds it (``db.search.fold``, which agrees with
    ``cd_search_fold``), and the keys row with the person's skeleton and sort keys, not
    stale. The word beginnings (``heads``) are the database's own ``cd_search_heads``.

    The triggers folded each person on the server, a row at a time (0.2 ms a person);
    then the keys were written twice more (the sort keys, then ``settle``)."""

    def __init__(self, conn: Connection) -> None:
        from db.sort_keys import COLLATOR_COLUMN, KEY_LANGUAGES, key_column
        from desktop.core.collation import collator_version

        self.conn = conn
        self.version = collator_version()
        self.organisations: dict[int, tuple[dict[str, str], dict[str, str], str]] = {}
        keys = ", ".join((COLLATOR_COLUMN, *map(key_column, KEY_LANGUAGES)))
        sorts = ", ".join(["%s::bytea[]"] * len(KEY_LANGUAGES))
        named = ", ".join(f"k{i}" for i in range(len(KEY_LANGUAGES)))
        self.search_sql = ("INSERT INTO person_search (person_id, doc, heads)"
                           " SELECT v.id, v.doc, cd_search_heads(v.doc)"
                           " FROM unnest(%s::integer[], %s::text[]) AS v(id, doc)")
        self.keys_sql = (f"INSERT INTO person_key (person_id, stale, skeleton, skeleton_heads, {keys})"
                         f" SELECT v.id, false, v.doc, cd_search_heads(v.doc), %s, {named}"
                         f" FROM unnest(%s::integer[], %s::text[], {sorts}) AS v(id, doc, {named})")

    def write(self, people: RowWriter, rows: Sequence[tuple[Any, ...]]) -> None:
        from db.search import fold
        from desktop.core.collation import name_key_rows
        from desktop.core.person_keys import organisation_skeleton, person_skeleton

        conn = self.conn
        orgs = self.organisations
        wanted = sorted({r[8] for r in rows if r[8] is not None and r[8] not in orgs})
        if wanted:  # their names as the database holds them (its order of languages)
            for oid, name, short in conn.exec_driver_sql(
                    "SELECT id, name, short_name FROM organisation WHERE id = ANY(%s)", (wanted,)):
                name, short = dict(name or {}), dict(short or {})
                orgs[oid] = (name, short, organisation_skeleton(name, short))
        flag = "SELECT set_config(%s, %s, true)"
        conn.exec_driver_sql(flag, (BULK_PEOPLE, "on"))
        people.write(rows)
        conn.exec_driver_sql(flag, (BULK_PEOPLE, "off"))

        ids, docs, skeletons = [], [], []
        for r in rows:
            pid, given, family, patronymic, display, oid, email = r[0], r[3], r[4], r[5], dict(r[6]), r[8], r[10]
            name, short, org_skeleton = orgs[oid] if oid is not None else ({}, {}, "")
            # cd_person_search_doc: concat_ws leaves out NULLs (an empty mapping's values are NULL)
            parts = [given, family, patronymic, email, *(" ".join(m.values()) for m in (display, name, short) if m)]
            ids.append(pid)
            docs.append(f" {fold(' '.join(p for p in parts if p is not None))} ")
            skeletons.append(f" {person_skeleton(given, family, patronymic, display, org_skeleton)} ")
        conn.exec_driver_sql(self.search_sql, (ids, docs))
        sort_rows = name_key_rows(((r[0], r[3], r[4], r[5], {}) for r in rows), self.version)
        sort_columns = [list(col) for col in zip(*(k[1:-1] for k in sort_rows))]
        conn.exec_driver_sql(self.keys_sql, (self.version, ids, skeletons, *sort_columns))


__all__ = [
    "BATCH", "IdAllocator", "ImportCancelled", "ImportReport", "Progress", "RowWriter", "check_usable",
    "import_attendees", "open_source", "preview_import", "stream_import",
]
