"""The one undo contract: every edit in core returns a ``Change``, and ``revert`` takes it back.

A ``Change`` is what an edit did, written as what undoes it: images of the rows it changed
or removed, as they were before (``RowImage``: every column's value, the ``uuid`` and the
integer key included, and for each foreign key the ``uuid`` of the row it points to), and
the rows it made (table, uuid). ``revert(session, change)`` removes the rows made, puts the
removed rows back (the very same rows: same uuids, same ids where still free) and sets the
changed rows to what they were; it returns the inverse ``Change``, so redo is ``revert``
of that, and so on for ever. The window's undo stack needs nothing else (one command class
in ``desktop.ui.shell.commands``).

An edit records what it touches *before* it touches it, through a ``Recorder``:

* ``touch(table, where, columns)`` before an update (only ``columns`` are read and kept,
  so that undoing it does not put back fields the edit did not change, and a bulk edit of
  one field of 100,000 rows reads that field);
* ``made(table, uuid)`` after an insert (``insert`` does both);
* ``delete(table, where)`` deletes the rows with everything the database would take with
  them (``ON DELETE CASCADE``, followed through every table) and remembers all of it, and
  the keys that ``ON DELETE SET NULL`` would empty.

Rows are put back parents first and removed children first, in the order of the tables'
foreign keys (``Base.metadata.sorted_tables``); both work in bulk (one statement per table
and chunk): an event of 5,000 rows comes back in about a second, not twenty. Many rows set
back to a few values (the undo of a bulk edit) go one UPDATE per value and chunk.

A table's own rules may refuse a revert in their own words before anything is written
(``guard``: a registration does not come back where someone took its place).

A change also names what it is about (``subject``: table, id, uuid), so the views know what
to select, and which tables it touched (``tables``), so they know what to read again.

Several organisers on one database (issue 15)
---------------------------------------------
When an edit ends (``Recorder.change``) and when a change is taken back (``revert``), what it
did is settled in the same transaction (``_settle``): the rows it changed get their
``version`` raised, and each field changed, row made and row deleted goes into the history
(``change_log``: who — ``author()`` —, when, old and new values). The change keeps the rows
as it left them (``after``).

* **No lost update.** A form read a row some time ago; an edit that knows what the form read
  (``Recorder.expect(ref, base)``) writes only what the person changed: a field the form did
  not change but someone else did since keeps the other's value, and a field both changed is
  an ``EditConflict`` (both values, who and when) unless ``session.info["resolve"]`` says
  whose to keep (``{"table.field": "mine" | "theirs"}``, set by the window when it runs the
  edit again). The rows an edit reads before it writes are locked (PostgreSQL), so a second
  organiser's edit waits for the first and then sees it.
* **Undo that respects the others.** ``revert`` refuses (``UndoConflict``, one sentence
  saying who changed what) when a field the change left is not as it left it: someone else
  changed it since, and an undo would silently put an old value over theirs.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuid_mod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import Base, ChangeLog
from db.types import utcnow
from desktop.core.authors import author, set_author
from desktop.core.language import _, n_
from desktop.core.raw import IN_CHUNK, in_uuids

CHUNK = 500
"""Keys per ``IN (…)`` list: well below SQLite's limit of bound parameters."""


class RestoreError(RuntimeError):
    """Rows that cannot be put back as they were (what they point to is gone, or a row with
    the same identity exists already); the message is one sentence for a person."""


LOG_ROWS_LIMIT = 1000
"""Rows of one table made or deleted by one edit that the history lists one by one; more (an
import, an event deleted) are one line with their count."""
BOOKKEEPING = frozenset({"id", "uuid", "created_at", "updated_at", "version"})
"""Columns that are no one's edit: not in the history, never a conflict."""



@dataclass(frozen=True)
class FieldConflict:
    """A field changed both by the edit being saved and by someone else since its form was read."""

    table: str
    field: str
    base: Any    # as the form read it
    theirs: Any  # as it is now (someone else's)
    mine: Any    # as this edit would have it
    who: str = ""
    when: dt.datetime | None = None


class EditConflict(Exception):
    """Someone else changed fields of this row that the edit changes too, since its form was
    read; nothing was saved. ``fields`` says which, with both values; the edit may be run
    again with ``session.info["resolve"]`` saying whose value to keep for each."""

    def __init__(self, table: str, row: uuid_mod.UUID, fields: Sequence[FieldConflict],
                 rows: Sequence[tuple[uuid_mod.UUID, Sequence[FieldConflict]]] = ()) -> None:
        self.table, self.row, self.fields = table, row, tuple(fields)
        # Every row in conflict (a bulk edit has many): ``fields`` shows each field once, as
        # the first row that has it; the answer for a field holds for all of them.
        self.rows: tuple[tuple[uuid_mod.UUID, tuple[FieldConflict, ...]], ...] = (
            tuple((r, tuple(f)) for r, f in rows) or ((row, self.fields),))
        who = next((f.who for _r, fs in self.rows for f in fs if f.who), "")
        n = len(self.rows)
        if n > 1 and who:
            # Translators: {who} is the other organiser's name (the history's author); {n} a number of rows.
            message = n_("{who} changed {n} of them meanwhile, and so did you: choose which value to keep.",
                               "{who} changed {n} of them meanwhile, and so did you: choose which value to keep.",
                               n).format(who=who, n=n)
        elif n > 1:
            # Translators: {n} is a number of rows (registrations, people…) of a bulk edit.
            message = n_("Someone else changed {n} of them meanwhile, and so did you: choose which value "
                               "to keep.", "Someone else changed {n} of them meanwhile, and so did you: choose "
                               "which value to keep.", n).format(n=n)
        elif who:
            # Translators: {who} is the other organiser's name (the history's author).
            message = _("{who} changed this meanwhile, and so did you: choose which value to keep.").format(who=who)
        else:
            message = _("Someone else changed this meanwhile, and so did you: choose which value to keep.")
        super().__init__(message)

    def answered(self, choices: Mapping[str, str]) -> dict[tuple[str, uuid_mod.UUID, str], tuple[str, Any]]:
        """The person's answer, as ``session.info["resolve"]`` takes it when the edit runs
        again: ``choices`` says per field ("table.field") whose value to keep; it holds for
        each row in conflict, over the value of theirs that was shown — should someone save
        yet another value meanwhile, the edit asks again instead of writing over it."""
        out: dict[tuple[str, uuid_mod.UUID, str], tuple[str, Any]] = {}
        for row, fields in self.rows:
            for f in fields:
                choice = choices.get(f"{f.table}.{f.field}")
                if choice is not None:
                    out[(f.table, row, f.field)] = (choice, f.theirs)
        return out


def resolution(session: OrmSession, table: str, row: uuid_mod.UUID, field: str, theirs: Any) -> str | None:
    """Whose value of ``field`` the edit keeps where someone else changed it to ``theirs``:
    "mine", "theirs", or None (not answered: the edit stops at an ``EditConflict``). An answer
    (``EditConflict.answered``) holds only over the value it was given about; a choice for a
    whole field ("table.field" → choice: an edit's own rule, e.g. the order of rows it
    rewrites) holds over any."""
    resolve: Mapping[Any, Any] = session.info.get("resolve") or {}
    entry = resolve.get((table, row, field))
    if entry is not None:
        choice, shown = entry
        return str(choice) if _same(shown, theirs) else None
    found = resolve.get(f"{table}.{field}")
    return str(found) if found is not None else None


class UndoConflict(RestoreError):
    """An undo refused because someone else changed what it would put back (one sentence)."""


@dataclass(frozen=True)
class RowImage:
    """One row as it was: ``values`` by column name, ``refs`` by foreign-key column (the
    uuid of the row the key points to)."""

    table: str
    values: Mapping[str, Any]
    refs: Mapping[str, uuid_mod.UUID]

    @property
    def id(self) -> int:
        return int(self.values["id"])

    uuid: uuid_mod.UUID = dataclass_field(init=False, repr=False, compare=False)
    """The row's uuid (asked millions of times by an undo of 100,000 rows: made once)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "uuid", _as_uuid(self.values["uuid"]))

    def only(self, columns: Iterable[str]) -> RowImage:
        """This image with only ``columns`` (and the row's id and uuid)."""
        keep = {*columns, "id", "uuid"}
        if keep.issuperset(self.values):
            return self
        return RowImage(self.table, {k: v for k, v in self.values.items() if k in keep},
                        {k: v for k, v in self.refs.items() if k in keep})


@dataclass(frozen=True)
class RowRef:
    """A row an edit is about: its table, key and uuid."""

    table: str
    id: int
    uuid: uuid_mod.UUID


@dataclass(frozen=True)
class Change:
    """What an edit did, as what takes it back (see the module's docstring)."""

    before: tuple[RowImage, ...] = ()
    created: tuple[tuple[str, uuid_mod.UUID], ...] = ()
    subject: RowRef | None = None
    after: tuple[RowImage, ...] = ()  # the rows as the edit left them (the fields it set; rows it made)
    edit: uuid_mod.UUID | None = None  # its rows' group in the history
    # The versions of the rows it made past ``LOG_ROWS_LIMIT`` of a table (of which it keeps
    # no image) where not 1: a row put back comes with the version it had.
    made_versions: Mapping[tuple[str, uuid_mod.UUID], int] = dataclass_field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.before and not self.created

    @property
    def tables(self) -> frozenset[str]:
        """The tables whose rows this change (or its reversal) writes."""
        return frozenset({image.table for image in self.before} | {table for table, _ in self.created})

    def count(self, table: str) -> int:
        """How many rows of ``table`` the change holds (removed, changed or made)."""
        return sum(1 for image in self.before if image.table == table) + \
            sum(1 for name, _ in self.created if name == table)

    def about(self, subject: RowRef | None) -> Change:
        """This change, about ``subject``."""
        return replace(self, subject=subject)

    def __add__(self, other: Change) -> Change:
        """Two changes made in one transaction, one after the other, as one: an image
        already held is kept (it is the older); a row made by the first is not imaged
        by the second. The subject is the second's, else the first's."""
        made = {(t, u) for t, u in self.created}
        held = {(i.table, i.uuid) for i in self.before}
        before = list(self.before)
        for image in other.before:
            key = (image.table, image.uuid)
            if key in made or key in held:
                continue
            before.append(image)
        created = [*self.created, *(c for c in other.created if c not in made)]
        after = {(i.table, i.uuid): i for i in self.after}
        for image in other.after:
            key = (image.table, image.uuid)
            held_after = after.get(key)
            after[key] = image if held_after is None else RowImage(
                image.table, {**held_after.values, **image.values}, {**held_after.refs, **image.refs})
        return Change(_parents_first(before), tuple(created), other.subject or self.subject,
                      tuple(after.values()), other.edit or self.edit, {**self.made_versions, **other.made_versions})


# -- the shape of the schema ------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


@cache
def _rank() -> dict[str, int]:
    """Table → its place in foreign-key order (parents first)."""
    return {table.name: n for n, table in enumerate(Base.metadata.sorted_tables)}


def _parents_first(images: Iterable[RowImage]) -> tuple[RowImage, ...]:
    rank = _rank()
    return tuple(sorted(images, key=lambda i: (rank.get(i.table, len(rank)), i.id)))


@cache
def _foreign(table_name: str) -> dict[str, Table]:
    """Foreign-key column → the table it points to."""
    out: dict[str, Table] = {}
    for column in _table(table_name).columns:
        for fk in column.foreign_keys:
            target = fk.column.table
            if isinstance(target, Table):
                out[column.key] = target
    return out


def _on_delete(table_name: str, column: str) -> str:
    """What the database does to a row when the row its ``column`` points to goes:
    "CASCADE", "SET NULL" or "RESTRICT"."""
    for fk in _table(table_name).c[column].foreign_keys:
        return (fk.ondelete or "RESTRICT").upper()
    return "RESTRICT"


@cache
def _children(table_name: str) -> tuple[tuple[str, str, str], ...]:
    """The (child table, foreign-key column, rule) of every key that points to ``table_name``."""
    out: list[tuple[str, str, str]] = []
    for table in Base.metadata.sorted_tables:
        for column, target in _foreign(table.name).items():
            if target.name == table_name:
                out.append((table.name, column, _on_delete(table.name, column)))
    return tuple(out)


def _noun(table_name: str) -> str:
    return {"agenda_item": "agenda item", "event_organisation": "partner", "check_in": "check-in"}.get(
        table_name, table_name.replace("_", " "))


def _as_uuid(value: Any) -> uuid_mod.UUID:
    return value if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value))


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


# -- reading rows as images -------------------------------------------------------------------


def _columns_of(table: Table, columns: Iterable[str] | None) -> Any:
    """A select of ``table``'s rows: every column, or ``columns`` and the keys (an edit of a
    few fields of many rows reads those fields, not the rows)."""
    if columns is None:
        return select(table)
    keep = {"id", "uuid", *columns}
    return select(*(column for column in table.columns if column.key in keep))


def take_images(session: OrmSession, table_name: str, where: ColumnElement[bool],
                columns: Iterable[str] | None = None, *, lock: bool = False) -> list[RowImage]:
    """Images of the rows of ``table_name`` that ``where`` selects, in key order (of
    ``columns`` only, when given); ``lock``: locked until the transaction ends (PostgreSQL's
    ``FOR UPDATE``; SQLite's write transaction holds its whole file already)."""
    table = _table(table_name)
    stmt = _columns_of(table, columns).where(where).order_by(table.c.id)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=table)
    rows = [dict(r._mapping) for r in session.execute(stmt)]
    return _with_refs(session, table_name, rows)


def _images_by_ids(session: OrmSession, table_name: str, ids: Sequence[int]) -> list[RowImage]:
    table = _table(table_name)
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += [dict(r._mapping) for r in session.execute(select(table).where(table.c.id.in_(chunk)))]
    return _with_refs(session, table_name, rows)


def _images_by_uuids(session: OrmSession, table_name: str, uuids: Iterable[uuid_mod.UUID],
                     columns: Iterable[str] | None = None, *, lock: bool = False) -> dict[uuid_mod.UUID, RowImage]:
    table = _table(table_name)
    rows: list[dict[str, Any]] = []
    chosen = _columns_of(table, columns)
    dialect = session.get_bind().dialect.name
    if lock and dialect == "postgresql":  # held until the transaction ends: no one changes them meanwhile
        chosen = chosen.with_for_update(of=table)
    for chunk in _chunks(list(set(uuids)), IN_CHUNK):
        rows += [dict(r._mapping) for r in session.execute(chosen.where(in_uuids(table.c.uuid, chunk, dialect)))]
    return {image.uuid: image for image in _with_refs(session, table_name, rows)}


def _with_refs(session: OrmSession, table_name: str, rows: list[dict[str, Any]]) -> list[RowImage]:
    refs: list[dict[str, uuid_mod.UUID]] = [{} for _ in rows]
    for column, target in _foreign(table_name).items():
        if not rows or column not in rows[0]:
            continue
        ids = sorted({r[column] for r in rows if r[column] is not None})
        if not ids:
            continue
        uuids: dict[int, uuid_mod.UUID] = {}
        for chunk in _chunks(ids):
            uuids.update((int(i), _as_uuid(u)) for i, u in
                         session.execute(select(target.c.id, target.c.uuid).where(target.c.id.in_(chunk))))
        for row, ref in zip(rows, refs):
            if row[column] is not None:
                ref[column] = uuids[row[column]]
    return [RowImage(table_name, row, ref) for row, ref in zip(rows, refs)]


def _ids_by_uuid(session: OrmSession, table_name: str, uuids: Iterable[uuid_mod.UUID]) -> dict[uuid_mod.UUID, int]:
    table = _table(table_name)
    out: dict[uuid_mod.UUID, int] = {}
    for chunk in _chunks(list(set(uuids))):
        out.update((_as_uuid(u), int(i)) for u, i in
                   session.execute(select(table.c.uuid, table.c.id).where(table.c.uuid.in_(chunk))))
    return out


def id_for_uuid(session: OrmSession, table_name: str, value: uuid_mod.UUID) -> int | None:
    """The key of the row of ``table_name`` with this uuid, or None when there is none."""
    table = _table(table_name)
    found = session.scalar(select(table.c.id).where(table.c.uuid == value))
    return int(found) if found is not None else None


def ref_of(session: OrmSession, table_name: str, row_id: int) -> RowRef:
    """A ``RowRef`` of the row ``row_id`` of ``table_name`` (LookupError when it is gone)."""
    table = _table(table_name)
    found = session.scalar(select(table.c.uuid).where(table.c.id == row_id))
    if found is None:
        raise LookupError(f"The {_noun(table_name)} is no longer there.")
    return RowRef(table_name, int(row_id), _as_uuid(found))


# -- what a deletion takes with it ----------------------------------------------------------------


def deletion_closure(session: OrmSession, table_name: str,
                     ids: Sequence[int]) -> tuple[list[RowImage], list[RowImage]]:
    """What deleting rows ``ids`` of ``table_name`` does, as images taken now: the rows that
    go (them, and what ``ON DELETE CASCADE`` takes with them, followed through every table)
    and the rows whose key ``ON DELETE SET NULL`` empties (imaged with that key only).
    Rows of a ``RESTRICT`` key are not followed: the database refuses while they exist."""
    going: dict[tuple[str, int], RowImage] = {}
    emptied: dict[tuple[str, int, str], RowImage] = {}
    todo: list[tuple[str, list[int]]] = [(table_name, list(ids))]
    while todo:
        name, wanted = todo.pop()
        fresh = [i for i in dict.fromkeys(wanted) if (name, i) not in going]
        if not fresh:
            continue
        for image in _images_by_ids(session, name, fresh):
            going[(name, image.id)] = image
        for child, column, rule in _children(name):
            table = _table(child)
            if rule not in ("CASCADE", "SET NULL"):
                continue
            found: list[int] = []
            for chunk in _chunks(fresh):
                found += [int(i) for i in session.scalars(select(table.c.id).where(table.c[column].in_(chunk)))]
            if not found:
                continue
            if rule == "CASCADE":
                todo.append((child, found))
            else:
                for image in _images_by_ids(session, child, found):
                    emptied[(child, image.id, column)] = image.only([column])
    nulled = [image for (table, row_id, _column), image in emptied.items() if (table, row_id) not in going]
    return list(_parents_first(going.values())), nulled


# -- putting rows back ----------------------------------------------------------------------------


def restore_rows(session: OrmSession, images: Sequence[RowImage],
                 skipped: set[uuid_mod.UUID] | None = None) -> list[int | None]:
    """Insert ``images`` again, in bulk, table by table in the order given (parents first);
    the new key of each (None where it was not restored).

    Foreign keys are found anew by the uuids they point to, so an image stays good when its
    parent was itself removed and restored meanwhile; the old integer key is kept when it is
    free. A row whose parent is gone is restored as the database would have left it had it
    been there when the parent went: with the key emptied (``SET NULL``), or not at all
    (``CASCADE``, and the children of a row not restored); a parent that would have refused
    to go (``RESTRICT``) raises ``RestoreError``. ``skipped`` (the uuids of rows not
    restored) carries that over from one call to the next when a caller restores table by
    table.
    """
    out: list[int | None] = [None] * len(images)
    skipped = set() if skipped is None else skipped
    groups: list[tuple[str, list[int]]] = []
    for n, image in enumerate(images):
        if groups and groups[-1][0] == image.table:
            groups[-1][1].append(n)
        else:
            groups.append((image.table, [n]))
    for table_name, positions in groups:
        table = _table(table_name)
        batch = [images[n] for n in positions]
        if _ids_by_uuid(session, table_name, [im.uuid for im in batch]):
            raise RestoreError(f"A {_noun(table_name)} with the same identity exists already.")
        foreign = _foreign(table_name)
        found = {column: _ids_by_uuid(session, target.name, [im.refs[column] for im in batch if column in im.refs])
                 for column, target in foreign.items()}
        rows: list[tuple[int, dict[str, Any]]] = []
        for n, image in zip(positions, batch):
            values = dict(image.values)
            keep = True
            for column, ref in image.refs.items():
                if ref in found[column]:
                    values[column] = found[column][ref]
                    continue
                rule = _on_delete(table_name, column)
                if ref in skipped or rule == "CASCADE":
                    keep = False
                elif rule == "SET NULL":
                    values[column] = None
                else:
                    raise RestoreError(f"The {_noun(foreign[column].name)} this {_noun(table_name)} "
                                       "belonged to no longer exists.")
            if keep:
                rows.append((n, values))
            else:
                skipped.add(image.uuid)
        taken: set[int] = set()
        for chunk in _chunks([v["id"] for _n, v in rows]):
            taken.update(int(i) for i in session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        free = [v for _n, v in rows if v["id"] not in taken]
        for chunk in _chunks(free):
            session.execute(insert(table), list(chunk))
        for n, values in rows:
            if values["id"] in taken:
                result = cast(CursorResult[Any], session.execute(
                    insert(table).values({k: v for k, v in values.items() if k != "id"})))
                key = result.inserted_primary_key
                out[n] = int(key[0]) if key and key[0] is not None else None
            else:
                out[n] = int(values["id"])
    session.flush()
    return out


def _set_back(session: OrmSession, images: Sequence[RowImage]) -> None:
    """Set existing rows (found by uuid) to the values of their images; rows with the same
    columns in one ``executemany`` — or, when many rows go back to few values (the undo of
    a bulk edit of a field), one UPDATE per value and chunk of rows."""
    groups: dict[tuple[str, tuple[str, ...]], list[RowImage]] = defaultdict(list)
    for image in images:
        columns = tuple(sorted(k for k in image.values if k not in ("id", "uuid", "version")))
        if columns:
            groups[(image.table, columns)].append(image)
    for (table_name, columns), batch in groups.items():
        table = _table(table_name)
        foreign = _foreign(table_name)
        found = {column: _ids_by_uuid(session, foreign[column].name,
                                      [im.refs[column] for im in batch if column in im.refs])
                 for column in columns if column in foreign}
        params: list[dict[str, Any]] = []
        for image in batch:
            row: dict[str, Any] = {"_uuid": image.uuid}
            for column in columns:
                value = image.values[column]
                if column in foreign and column in image.refs:
                    ref = image.refs[column]
                    if ref in found[column]:
                        value = found[column][ref]
                    elif _on_delete(table_name, column) == "SET NULL":
                        value = None
                    else:
                        raise RestoreError(f"The {_noun(foreign[column].name)} this {_noun(table_name)} "
                                           "pointed to no longer exists.")
                row[f"_{column}"] = value
            params.append(row)
        if _set_back_by_value(session, table, columns, params):
            continue
        stmt = (update(table).where(table.c.uuid == bindparam("_uuid"))
                .values({column: bindparam(f"_{column}") for column in columns}))
        session.connection().execute(stmt, params)


def _set_back_by_value(session: OrmSession, table: Table, columns: Sequence[str],
                       params: Sequence[Mapping[str, Any]]) -> bool:
    """``_set_back``'s rows as one UPDATE per distinct value and chunk, when there are at
    most a tenth as many values as rows; False (nothing done) otherwise."""
    same: dict[tuple[Any, ...], list[uuid_mod.UUID]] = defaultdict(list)
    try:
        for row in params:
            same[tuple(row[f"_{column}"] for column in columns)].append(row["_uuid"])
    except TypeError:  # a value that cannot be a key (a text per language): row by row
        return False
    if len(same) * 10 > len(params):
        return False
    dialect = session.get_bind().dialect.name
    for values, uuids in same.items():
        for chunk in _chunks(uuids, IN_CHUNK):
            session.execute(update(table).where(in_uuids(table.c.uuid, chunk, dialect))
                            .values(dict(zip(columns, values, strict=True))))
    return True


def _by_table(images: Iterable[RowImage]) -> dict[str, list[RowImage]]:
    out: dict[str, list[RowImage]] = defaultdict(list)
    for image in images:
        out[image.table].append(image)
    return out


def _points_to(image: RowImage, rows: set[tuple[str, uuid_mod.UUID]]) -> bool:
    """Whether a key of ``image`` points to one of ``rows`` (table, uuid)."""
    foreign = _foreign(image.table)
    return any((foreign[column].name, ref) in rows for column, ref in image.refs.items() if column in foreign)


def _remove_made(session: OrmSession, table_name: str, ids: Sequence[int],
                 inverse: dict[tuple[str, uuid_mod.UUID], RowImage], keep: set[tuple[str, uuid_mod.UUID]]) -> bool:
    """Delete the rows ``ids`` of ``table_name`` (made by the change being reverted) with
    what the database takes with them, imaged into ``inverse``; False, and nothing
    deleted, when that would take or empty one of the rows ``keep`` (table, uuid)."""
    going, emptied = deletion_closure(session, table_name, ids)
    if any((image.table, image.uuid) in keep for image in (*going, *emptied)):
        return False
    for image in (*going, *emptied):
        key = (image.table, image.uuid)
        held = inverse.get(key)
        inverse[key] = image if held is None else RowImage(
            image.table, {**image.values, **held.values}, {**image.refs, **held.refs})
    tbl = _table(table_name)
    for chunk in _chunks(ids):
        session.execute(delete(tbl).where(tbl.c.id.in_(chunk)))
    return True


# -- recording an edit ------------------------------------------------------------------------------


class Recorder:
    """Collects what an edit touches, before it touches it; ``change()`` is the result."""

    def __init__(self, session: OrmSession) -> None:
        self.session = session
        self._before: dict[tuple[str, uuid_mod.UUID], RowImage] = {}
        self._created: dict[tuple[str, uuid_mod.UUID], None] = {}
        self._bases: dict[tuple[str, uuid_mod.UUID], Mapping[str, Any]] = {}

    def expect(self, ref: RowRef, base: Mapping[str, Any] | None) -> None:
        """The values of ``ref``'s row as the edit's form read them (column → value): the
        edit then keeps what others changed since and stops at what both changed (the
        module's docstring). None: the edit writes what it writes (no form behind it)."""
        if base is not None:
            self._bases[(ref.table, _as_uuid(ref.uuid))] = dict(base)

    def _keep(self, image: RowImage) -> None:
        key = (image.table, image.uuid)
        if key in self._created:
            return
        held = self._before.get(key)
        if held is None:
            self._before[key] = image
        elif set(image.values) - set(held.values):  # more columns of a row already held
            values = {**image.values, **held.values}
            refs = {**image.refs, **held.refs}
            self._before[key] = RowImage(image.table, values, refs)

    def touch(self, table: str, where: ColumnElement[bool], columns: Sequence[str] | None = None) -> list[RowImage]:
        """Images of the rows ``where`` selects, kept (once) as they are now — only
        ``columns`` of them when given (and only those are read). Returns the images."""
        images = take_images(self.session, table, where, columns, lock=True)
        for image in images:
            self._keep(image.only(columns) if columns is not None else image)
        return images

    def made(self, table: str, row_uuid: uuid_mod.UUID) -> None:
        self._created[(table, _as_uuid(row_uuid))] = None

    def insert(self, table: str, values: Mapping[str, Any]) -> RowRef:
        """Insert one row (a uuid is given to it unless ``values`` has one) and record it."""
        row = dict(values)
        row.setdefault("uuid", uuid_mod.uuid4())
        result = cast(CursorResult[Any], self.session.execute(insert(_table(table)).values(row)))
        key = result.inserted_primary_key
        assert key is not None and key[0] is not None
        self.made(table, row["uuid"])
        return RowRef(table, int(key[0]), _as_uuid(row["uuid"]))

    def update(self, table: str, where: ColumnElement[bool], values: Mapping[str, Any]) -> int:
        """Update the rows ``where`` selects, recording the columns set; how many there were."""
        images = self.touch(table, where, list(values))
        if images:
            tbl = _table(table)
            self.session.execute(update(tbl).where(tbl.c.id.in_([i.id for i in images])).values(dict(values)))
        return len(images)

    def delete(self, table: str, where: ColumnElement[bool]) -> int:
        """Delete the rows ``where`` selects and what the database takes with them, all
        recorded; how many rows of ``table`` went."""
        tbl = _table(table)
        ids = [int(i) for i in self.session.scalars(select(tbl.c.id).where(where))]
        if not ids:
            return 0
        going, emptied = deletion_closure(self.session, table, ids)
        for image in (*going, *emptied):
            self._keep(image)
        for chunk in _chunks(ids):
            self.session.execute(delete(tbl).where(tbl.c.id.in_(chunk)))
        self.session.flush()
        return len(ids)

    def change(self, subject: RowRef | None = None) -> Change:
        """The edit's ``Change``, settled: what others changed since the form was read kept
        (or an ``EditConflict``), versions raised, the history written (``_settle``)."""
        before = _parents_first(self._before.values())
        created = tuple(self._created)
        edit = uuid_mod.uuid4()
        after = _settle(self.session, before, created, edit, self._bases)
        return Change(before, created, subject, after, edit)


# -- settling an edit: others' changes kept, versions, history --------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Whether two stored values are the same value (a text per language without its empty
    languages; an instant with or without its zone written)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: v for k, v in a.items() if v} == {k: v for k, v in b.items() if v}
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return bool(a == b)


def _json(value: Any) -> str:
    """A value for the history: JSON text (instants and dates ISO, uuids as text, a stored
    vocabulary as its value, binary data as its size)."""
    def plain(v: Any) -> Any:
        if isinstance(v, (dt.datetime, dt.date, dt.time)):
            return v.isoformat()
        if isinstance(v, uuid_mod.UUID):
            return str(v)
        if isinstance(v, (bytes, bytearray, memoryview)):
            return {"bytes": len(bytes(v))}
        value_of = getattr(v, "value", None)
        if value_of is not None and not isinstance(v, (str, int, float)):
            return value_of
        return str(v)

    return json.dumps(value, ensure_ascii=False, default=plain, sort_keys=True)


def _read_now(session: OrmSession, images: Iterable[RowImage], *, lock: bool = False
              ) -> dict[tuple[str, uuid_mod.UUID], RowImage]:
    """The rows of ``images`` as they are now (the columns each image holds), by table and uuid;
    ``lock``: locked until the transaction ends (PostgreSQL)."""
    found: dict[tuple[str, uuid_mod.UUID], RowImage] = {}
    for table_name, batch in _by_table(images).items():
        columns = {column for image in batch for column in image.values}
        for uid, image in _images_by_uuids(session, table_name, [i.uuid for i in batch], columns, lock=lock).items():
            found[(table_name, uid)] = image
    return found


def _last_authors(session: OrmSession, table: str, row: uuid_mod.UUID,
                  fields: Iterable[str]) -> dict[str, tuple[str, dt.datetime]]:
    """Who last changed each of ``fields`` of the row, and when (from the history)."""
    log = ChangeLog.__table__
    wanted = set(fields)
    out: dict[str, tuple[str, dt.datetime]] = {}
    for field, who, at in session.execute(
            select(log.c.field, log.c.author, log.c.at).where(log.c.table_name == table, log.c.row_uuid == row)
            .order_by(log.c.id.desc()).limit(200)):
        if field in wanted and field not in out:
            out[field] = (who or "", at)
    return out


TOGETHER: tuple[frozenset[str], ...] = (frozenset({"starts_at", "ends_at"}), frozenset({"starts_on", "ends_on"}))
"""Fields that make one value: a time span is kept or replaced whole (an item is never given
one person's start and another's end)."""


def _merge_with_others(session: OrmSession, before: Mapping[tuple[str, uuid_mod.UUID], RowImage],
                       now: dict[tuple[str, uuid_mod.UUID], RowImage],
                       bases: Mapping[tuple[str, uuid_mod.UUID], Mapping[str, Any]]) -> None:
    """Keep what others changed since the forms behind the edit read their rows (``bases``):
    a field the form did not change goes back to the other's value; a field both changed is
    an ``EditConflict`` unless ``session.info["resolve"]`` chose. ``now`` is updated."""
    in_conflict: list[tuple[str, uuid_mod.UUID, list[FieldConflict]]] = []
    for key, base in bases.items():
        was, image = before.get(key), now.get(key)
        if was is None or image is None:
            continue
        table_name, row = key
        theirs_kept: dict[str, Any] = {}
        conflicts: list[FieldConflict] = []
        for field, base_value in base.items():
            if field in BOOKKEEPING or field not in was.values or field not in image.values:
                continue
            theirs, mine = was.values[field], image.values[field]
            if _same(theirs, base_value) or _same(mine, theirs):
                continue  # no one else changed it, or both made it the same
            if _same(mine, base_value):
                theirs_kept[field] = theirs  # the form's old value written over theirs: keep theirs
                continue
            choice = resolution(session, table_name, row, field, theirs)
            if choice == "theirs":
                theirs_kept[field] = theirs
            elif choice != "mine":
                conflicts.append(FieldConflict(table_name, field, base_value, theirs, mine))
        for pair in TOGETHER:  # a span both changed (any half each): one conflict over it, or kept whole
            halves = [f for f in sorted(pair) if f in base and f in was.values and f in image.values]
            if len(halves) != 2:
                continue
            theirs_moved = any(not _same(was.values[f], base[f]) for f in halves)
            mine_moved = any(not _same(image.values[f], base[f]) for f in halves)
            same_now = all(_same(image.values[f], was.values[f]) for f in halves)
            if not (theirs_moved and mine_moved) or same_now:
                continue
            for f in halves:
                theirs_kept.pop(f, None)
            conflicts = [c for c in conflicts if c.field not in pair]
            # A span is answered whole, by the answer given for either half — unless one half
            # was answered over a value that moved again since (then it is asked again).
            answered = session.info.get("resolve") or {}
            choices = [resolution(session, table_name, row, f, was.values[f]) for f in halves]
            stale = any(c is None and (table_name, row, f) in answered for c, f in zip(choices, halves))
            choice = None if stale else next((c for c in choices if c is not None), None)
            if choice == "theirs":
                theirs_kept.update({f: was.values[f] for f in halves})
            elif choice != "mine":
                conflicts += [FieldConflict(table_name, f, base[f], was.values[f], image.values[f]) for f in halves]
        if conflicts:
            in_conflict.append((table_name, row, conflicts))
            continue
        if theirs_kept:
            table = _table(table_name)
            session.execute(update(table).where(table.c.uuid == row).values(theirs_kept))
            now[key] = RowImage(table_name, {**image.values, **theirs_kept}, image.refs)
    if in_conflict:
        _raise_conflict(session, in_conflict)


CONFLICT_AUTHORS_LIMIT = 50
"""Rows of a conflict whose last authors are read from the history (a bulk edit's conflict
over thousands of rows names who changed the first ones)."""


def _raise_conflict(session: OrmSession, in_conflict: Sequence[tuple[str, uuid_mod.UUID, list[FieldConflict]]]
                    ) -> None:
    """Raise the ``EditConflict`` of every row in conflict (who and when from the history)."""
    rows: list[tuple[uuid_mod.UUID, list[FieldConflict]]] = []
    for n, (table_name, row, conflicts) in enumerate(in_conflict):
        if n < CONFLICT_AUTHORS_LIMIT:
            authors = _last_authors(session, table_name, row, [c.field for c in conflicts])
            conflicts = [replace(c, who=authors.get(c.field, ("", None))[0], when=authors.get(c.field, ("", None))[1])
                         for c in conflicts]
        rows.append((row, conflicts))
    fields: dict[tuple[str, str], FieldConflict] = {}  # each field of each table once
    for _row, conflicts in rows:
        for c in conflicts:
            fields.setdefault((c.table, c.field), c)
    table_name, first = in_conflict[0][0], in_conflict[0][1]
    raise EditConflict(table_name, first, list(fields.values()), rows)


def _settle(session: OrmSession, before: Sequence[RowImage], created: Sequence[tuple[str, uuid_mod.UUID]],
            edit: uuid_mod.UUID, bases: Mapping[tuple[str, uuid_mod.UUID], Mapping[str, Any]] | None = None,
            known: Mapping[tuple[str, uuid_mod.UUID], RowImage] | None = None,
            counted: Mapping[str, int] | None = None) -> tuple[RowImage, ...]:
    """What an edit (or an undo) did, settled in its transaction: others' changes kept
    (``bases``), the changed rows' versions raised, the history written. Returns the rows
    as the edit left them: the fields it changed, and the rows it made (at most
    ``LOG_ROWS_LIMIT`` of a table). ``known``: rows whose values the caller wrote itself
    and knows (an undo's), not read again; ``counted``: rows made that the history counts
    (table → how many), with no uuids."""
    session.flush()
    made_keys = set(created)
    held = {(i.table, i.uuid): i for i in before if (i.table, i.uuid) not in made_keys}
    known = known or {}
    now = {key: known[key] for key in held if key in known}
    now.update(_read_now(session, [image for key, image in held.items() if key not in now]))
    if bases:
        _merge_with_others(session, held, now, bases)
    at, who = utcnow(), author()
    log: list[dict[str, Any]] = []
    after: list[RowImage] = []
    bumped: dict[str, list[int]] = defaultdict(list)
    deleted: dict[str, list[RowImage]] = defaultdict(list)
    updated: dict[str, list[tuple[RowImage, RowImage, list[str]]]] = defaultdict(list)
    for key, was in held.items():
        image = now.get(key)
        if image is None:
            deleted[was.table].append(was)
            continue
        fields = [f for f in was.values if f not in BOOKKEEPING and f in image.values
                  and not _same(was.values[f], image.values[f])]
        if not fields:
            continue
        if "version" in _table(was.table).c:
            bumped[was.table].append(image.id)
        after.append(image.only(fields))
        updated[was.table].append((was, image, fields))
    for table_name, rows_changed in updated.items():
        if len(rows_changed) > LOG_ROWS_LIMIT:  # a bulk edit: one line a field, with how many rows
            count: dict[str, int] = defaultdict(int)
            for _was, _image, fields in rows_changed:
                for field in fields:
                    count[field] += 1
            log += [{"table_name": table_name, "row_uuid": None, "row_id": None, "action": "update", "field": field,
                     "old": None, "new": _json({"rows": n})} for field, n in sorted(count.items())]
            continue
        for was, image, fields in rows_changed:
            for field in fields:
                log.append({"table_name": table_name, "row_uuid": was.uuid, "row_id": image.id, "action": "update",
                            "field": field, "old": _json(was.values[field]), "new": _json(image.values[field])})
    for table_name, rows in deleted.items():
        if len(rows) > LOG_ROWS_LIMIT:
            log.append({"table_name": table_name, "row_uuid": None, "row_id": None, "action": "delete",
                        "field": None, "old": _json({"rows": len(rows)}), "new": None})
            continue
        for was in rows:
            old = {k: v for k, v in was.values.items() if k not in BOOKKEEPING}
            log.append({"table_name": table_name, "row_uuid": was.uuid, "row_id": was.id, "action": "delete",
                        "field": None, "old": _json(old), "new": None})
    made: dict[str, list[uuid_mod.UUID]] = defaultdict(list)
    for table_name, row in created:
        made[table_name].append(row)
    many = {table_name: len(uuids) for table_name, uuids in made.items() if len(uuids) > LOG_ROWS_LIMIT}
    for table_name, n in (counted or {}).items():
        if n:
            many[table_name] = many.get(table_name, 0) + n
    for table_name, n in sorted(many.items()):
        log.append({"table_name": table_name, "row_uuid": None, "row_id": None, "action": "insert",
                    "field": None, "old": None, "new": _json({"rows": n})})
    for table_name, uuids in made.items():
        if len(uuids) > LOG_ROWS_LIMIT:
            continue
        for row, image in _images_by_uuids(session, table_name, uuids).items():
            values = {k: v for k, v in image.values.items() if k not in BOOKKEEPING}
            after.append(RowImage(table_name, {"id": image.id, "uuid": row, **values}, image.refs))
            log.append({"table_name": table_name, "row_uuid": row, "row_id": image.id, "action": "insert",
                        "field": None, "old": None, "new": _json(values)})
    for table_name, ids in bumped.items():
        table = _table(table_name)
        for chunk in _chunks(ids):
            session.execute(update(table).where(table.c.id.in_(chunk)).values(version=table.c.version + 1))
    if log:
        for entry in log:
            entry.update(edit=edit, at=at, author=who)
        session.execute(insert(ChangeLog.__table__), log)
        from desktop.core.watch import announce  # the other workstations refresh what changed

        announce(session, {entry["table_name"] for entry in log})
    return tuple(after)


class MadeRows:
    """The rows a bulk write makes, as it makes them (``add``), for ``settle_written``: a
    table's uuids are kept up to ``LOG_ROWS_LIMIT`` — past that the history names them by
    their count only, and only the count is kept (an import of 100,000 people holds no
    200,000 uuids for it)."""

    def __init__(self) -> None:
        self._uuids: dict[str, list[uuid_mod.UUID]] = defaultdict(list)
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, uuids: Iterable[uuid_mod.UUID]) -> None:
        kept = self._uuids[table]
        for row in uuids:
            self._counts[table] += 1
            if len(kept) <= LOG_ROWS_LIMIT:
                kept.append(row)

    def count(self, table: str) -> int:
        """How many rows of ``table`` were made (as ``counted`` when there are tables to count)."""
        return self._counts.get(table, 0)

    @property
    def created(self) -> tuple[tuple[str, uuid_mod.UUID], ...]:
        """The rows of the tables the history lists row by row."""
        return tuple((table, row) for table, rows in self._uuids.items()
                     if self._counts[table] <= LOG_ROWS_LIMIT for row in rows)

    @property
    def counted(self) -> dict[str, int]:
        """The tables past ``LOG_ROWS_LIMIT``: how many rows of each."""
        return {table: n for table, n in self._counts.items() if n > LOG_ROWS_LIMIT}

    def __bool__(self) -> bool:
        return any(self._counts.values())


def settle_written(session: OrmSession, before: Sequence[RowImage] = (),
                   created: Sequence[tuple[str, uuid_mod.UUID]] | MadeRows = (), subject: RowRef | None = None,
                   counted: Mapping[str, int] | None = None) -> Change:
    """A write made without a ``Recorder`` (an import, a desk file's merge, both written in
    bulk), settled like an edit in its transaction: the changed rows' versions raised, the
    history written (a table's rows past ``LOG_ROWS_LIMIT`` as one line with their count),
    the other workstations told. ``before``: images of the rows it changed, taken before it
    changed them (``take_images``); ``created``: the rows it made (table, uuid), or a
    ``MadeRows``; ``counted``: rows made that are their own history (a desk's check-ins),
    a line each table with their count. Returns the ``Change``: the rows it made of which
    the history kept only the count are not in it (an undo would not take them out)."""
    counts = dict(counted or {})
    if isinstance(created, MadeRows):
        counts.update(created.counted)
        created = created.created
    images = _parents_first(before)
    edit = uuid_mod.uuid4()
    after = _settle(session, images, tuple(created), edit, counted=counts)
    return Change(images, tuple(created), subject, after, edit)


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _refused_by(who: str, when: dt.datetime | None) -> UndoConflict:
    """The refusal of an undo over someone else's newer change (who and when, when known)."""
    if who and when is not None:
        # Translators: {who} is another organiser (as their workstation names them); {time}
        # when they changed it (HH:MM, this computer's time).
        return UndoConflict(_("{who} changed this at {time}, after this edit: undoing it would put back old "
                              "values over theirs, so it is not undone.").format(
            who=who, time=_aware(when).astimezone().strftime("%H:%M")))
    return UndoConflict(_("Someone else changed this after this edit: undoing it would put back old values "
                          "over theirs, so it is not undone."))


def _check_made_unimaged(session: OrmSession, change: Change) -> None:
    """The rows a change made past ``LOG_ROWS_LIMIT`` of a table (no image kept): one whose
    version is not the one it was made with was edited since. Edits of this workstation's
    own (``author()``) that the history names row by row do not count — the undo stack has
    taken them back already, as they came after this change —; anyone else's, or an edit
    the history does not name row by row (a bulk edit), refuses the undo."""
    imaged = {(i.table, i.uuid) for i in change.after}
    unimaged: dict[str, list[uuid_mod.UUID]] = defaultdict(list)
    for table_name, row in change.created:
        if (table_name, row) not in imaged and "version" in _table(table_name).c:
            unimaged[table_name].append(row)
    if not unimaged:
        return
    dialect = session.get_bind().dialect.name
    log = ChangeLog.__table__
    since = session.scalar(select(func.max(log.c.id)).where(log.c.edit == change.edit)) or 0
    me = author()
    for table_name, uuids in unimaged.items():
        table = _table(table_name)
        for chunk in _chunks(uuids, IN_CHUNK):
            rose: dict[uuid_mod.UUID, int] = {}  # row → by how much its version rose since it was made
            for u, version in session.execute(select(table.c.uuid, table.c.version).where(
                    in_uuids(table.c.uuid, chunk, dialect), table.c.version > 1)):
                made_with = change.made_versions.get((table_name, _as_uuid(u)), 1)
                if version != made_with:
                    rose[_as_uuid(u)] = int(version) - made_with
            if not rose:
                continue
            edits: dict[uuid_mod.UUID, set[Any]] = defaultdict(set)
            for row, who, at, edit in session.execute(
                    select(log.c.row_uuid, log.c.author, log.c.at, log.c.edit)
                    .where(log.c.table_name == table_name, log.c.id > since,
                           in_uuids(log.c.row_uuid, list(rose), dialect))
                    .order_by(log.c.id)):
                if (who or "") != me:
                    raise _refused_by(who or "", at)
                edits[_as_uuid(row)].add(edit)
            # Every rise of a row's version is an edit of ours that names it (each edit raises it
            # once): one more is an edit the history does not name row by row — someone's bulk edit.
            if any(len(edits.get(row, ())) != n for row, n in rose.items()):
                raise _refused_by("", None)


def _check_undo(session: OrmSession, change: Change,
                now: Mapping[tuple[str, uuid_mod.UUID], RowImage]) -> None:
    """Refuse (``UndoConflict``) to take back a change whose rows someone else changed since:
    a field it set that is not as it left it, or a row it made that was edited since (for
    more rows of a table than it keeps images of — an import —: one whose version rose).
    ``now``: the rows of ``change.after`` as they are, locked (``revert`` reads them)."""
    if change.edit is not None:
        _check_made_unimaged(session, change)
    for image in change.after:
        current = now.get((image.table, image.uuid))
        if current is None:
            continue  # gone: the existing rules say what then (RestoreError)
        changed = [f for f in image.values if f not in BOOKKEEPING and f in current.values
                   and not _same(image.values[f], current.values[f])]
        if not changed:
            continue
        authors = _last_authors(session, image.table, image.uuid, changed)
        who, when = next((authors[f] for f in changed if f in authors), ("", None))
        raise _refused_by(who, when)


# -- taking a change back ---------------------------------------------------------------------------



Guard = Callable[[OrmSession, Change], None]
_GUARDS: dict[str, Guard] = {}


def guard(table: str) -> Callable[[Guard], Guard]:
    """Register the rules of ``table`` for undo and redo: before a change holding rows of
    ``table`` is reverted, ``check(session, change)`` looks at the rows as they are now and
    raises its own error, one sentence for a person (“… has been registered again
    meanwhile”), when the rows may not be put back or taken out. Most of what a guard
    refuses the database would refuse too, in plainer words; it may also keep a rule the
    database does not know. The module whose edits make such changes registers it on
    import (``desktop.core.registration_edit``), so it is there whenever they exist."""
    def register(check: Guard) -> Guard:
        _GUARDS[table] = check
        return check

    return register


def revert(session: OrmSession, change: Change) -> Change:
    """Take ``change`` back: put back the rows it removed, set the rows it changed to what
    they were, and remove the rows it made (with what the database takes with them).
    Returns the inverse change (which redoes it), about the same subject.

    The order is the one the database's keys allow, table by table: first, children first,
    the rows made are removed and then the changed rows set back (so a row the edit moved
    into a row it made is moved out first, and a row made no longer holds a unique value a
    changed row had); then, parents first, the changed rows that point to removed rows are
    set back and then the removed rows put back (so a row that took over a removed row's
    unique value — a merged registration — gives it back first); last, the rows made that
    a row of the second step still pointed to are removed.

    Raises ``RestoreError`` when the rows are no longer as the change left them (another
    desk deleted a row it made, or the parent of a row it removed).
    """
    for table_name in sorted(change.tables):
        check = _GUARDS.get(table_name)
        if check is not None:
            check(session, change)
    # The rows as they are, read once for the check and the undo, and locked from this look
    # to the commit: a save of someone else's cannot come in between and be overwritten by
    # the undo (PostgreSQL; SQLite's write transaction holds the file).
    current = _read_now(session, [*change.before, *change.after], lock=True)
    _check_undo(session, change, current)
    inverse_before: dict[tuple[str, uuid_mod.UUID], RowImage] = {}
    inverse_created: list[tuple[str, uuid_mod.UUID]] = []
    existing: list[RowImage] = []
    missing: list[RowImage] = []
    by_table: dict[str, list[RowImage]] = defaultdict(list)
    for image in change.before:
        by_table[image.table].append(image)
    # A settled change (``edit``) knows which fields it changed (``after``): only those are
    # set back, so that a field someone else changed since, and the edit did not, keeps
    # their value; a row it read and left as it was is not written at all.
    settled = change.edit is not None
    changed_fields = {(i.table, i.uuid): [f for f in i.values if f not in ("id", "uuid")] for i in change.after}
    for table_name, images in by_table.items():
        for image in images:
            now = current.get((table_name, image.uuid))
            if now is None:
                inverse_created.append((table_name, image.uuid))
                missing.append(image)
                continue
            if settled:
                fields = changed_fields.get((table_name, image.uuid))
                if not fields:
                    continue
                image = image.only(fields)
            inverse_before[(table_name, image.uuid)] = now.only(image.values)
            existing.append(image)
    # What the set-back rows hold before anything is removed: a row that the removal of the
    # change's own rows empties or takes (SET NULL, CASCADE) is read again when settled.
    set_back = {key: frozenset(image.values) for key, image in inverse_before.items()}
    made: dict[str, list[uuid_mod.UUID]] = defaultdict(list)
    for table_name, row_uuid in change.created:
        made[table_name].append(row_uuid)
    made_ids: dict[str, list[int]] = {}
    for table_name, uuids in made.items():
        found = _ids_by_uuid(session, table_name, uuids)
        if len(found) != len(set(uuids)):
            raise RestoreError(f"The {_noun(table_name)} this edit made no longer exists.")
        made_ids[table_name] = list(found.values())
    session.flush()
    rank = _rank()
    coming = {(image.table, image.uuid) for image in missing}
    later = [image for image in existing if _points_to(image, coming)]  # set back once those are back
    waiting = {(image.table, image.uuid) for image in later}
    now_by_table = _by_table(image for image in existing if (image.table, image.uuid) not in waiting)
    held_back: dict[str, list[int]] = {}
    for table_name in sorted(set(made_ids) | set(now_by_table), key=lambda t: -rank.get(t, 0)):  # children first
        ids = made_ids.get(table_name)
        if ids and not _remove_made(session, table_name, ids, inverse_before, keep=waiting):
            held_back[table_name] = ids
        _set_back(session, _parents_first(now_by_table.get(table_name, [])))
    later_by_table, missing_by_table = _by_table(later), _by_table(missing)
    skipped: set[uuid_mod.UUID] = set()
    for table_name in sorted(set(later_by_table) | set(missing_by_table), key=lambda t: rank.get(t, 0)):
        _set_back(session, _parents_first(later_by_table.get(table_name, [])))
        restore_rows(session, _parents_first(missing_by_table.get(table_name, [])), skipped)
    for table_name, ids in sorted(held_back.items(), key=lambda t: -rank.get(t[0], 0)):
        _remove_made(session, table_name, ids, inverse_before, keep=set())
    session.flush()
    session.expire_all()
    subject = change.subject
    if subject is not None:
        now_id = id_for_uuid(session, subject.table, subject.uuid)
        subject = replace(subject, id=now_id) if now_id is not None else subject
    before = _parents_first(inverse_before.values())
    edit = uuid_mod.uuid4()
    # The rows set back hold what their images say, under the key they have now (a row may be
    # back under a new id) — but for keys to other rows (set by uuid, perhaps to a row put
    # back under a new id), and rows the removal of the change's own rows touched: those are
    # read again.
    known: dict[tuple[str, uuid_mod.UUID], RowImage] = {}
    for image in existing:
        key = (image.table, image.uuid)
        held = inverse_before.get(key)
        if image.refs or held is None or frozenset(held.values) != set_back.get(key):
            continue
        known[key] = RowImage(image.table, {**image.values, "id": held.values["id"]}, image.refs)
    after = _settle(session, before, tuple(inverse_created), edit, known=known)
    return Change(before, tuple(inverse_created), subject, after, edit,
                  _versions_not_one(session, inverse_created, after))


def _versions_not_one(session: OrmSession, created: Sequence[tuple[str, uuid_mod.UUID]],
                      after: Sequence[RowImage]) -> dict[tuple[str, uuid_mod.UUID], int]:
    """The versions, where not 1, of the rows put back of which the change keeps no image
    (``Change.made_versions``)."""
    imaged = {(i.table, i.uuid) for i in after}
    rows: dict[str, list[uuid_mod.UUID]] = defaultdict(list)
    for table_name, row in created:
        if (table_name, row) not in imaged and "version" in _table(table_name).c:
            rows[table_name].append(row)
    dialect = session.get_bind().dialect.name
    out: dict[tuple[str, uuid_mod.UUID], int] = {}
    for table_name, uuids in rows.items():
        table = _table(table_name)
        for chunk in _chunks(uuids, IN_CHUNK):
            out.update(((table_name, _as_uuid(u)), int(v)) for u, v in session.execute(
                select(table.c.uuid, table.c.version).where(in_uuids(table.c.uuid, chunk, dialect),
                                                            table.c.version != 1)))
    return out


__all__ = [
    "BOOKKEEPING",
    "Change",
    "EditConflict",
    "FieldConflict",
    "MadeRows",
    "UndoConflict",
    "author",
    "set_author",
    "Recorder",
    "RestoreError",
    "RowImage",
    "RowRef",
    "deletion_closure",
    "guard",
    "id_for_uuid",
    "ref_of",
    "resolution",
    "restore_rows",
    "revert",
    "settle_written",
    "take_images",
]
