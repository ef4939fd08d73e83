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
"""

from __future__ import annotations

import uuid as uuid_mod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import Base
from desktop.core.raw import IN_CHUNK, in_uuids

CHUNK = 500
"""Keys per ``IN (…)`` list: well below SQLite's limit of bound parameters."""


class RestoreError(RuntimeError):
    """Rows that cannot be put back as they were (what they point to is gone, or a row with
    the same identity exists already); the message is one sentence for a person."""


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

    @property
    def uuid(self) -> uuid_mod.UUID:
        return _as_uuid(self.values["uuid"])

    def only(self, columns: Iterable[str]) -> RowImage:
        """This image with only ``columns`` (and the row's id and uuid)."""
        keep = {*columns, "id", "uuid"}
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
        return Change(_parents_first(before), tuple(created), other.subject or self.subject)


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
                columns: Iterable[str] | None = None) -> list[RowImage]:
    """Images of the rows of ``table_name`` that ``where`` selects, in key order (of
    ``columns`` only, when given)."""
    table = _table(table_name)
    rows = [dict(r._mapping) for r in session.execute(_columns_of(table, columns).where(where).order_by(table.c.id))]
    return _with_refs(session, table_name, rows)


def _images_by_ids(session: OrmSession, table_name: str, ids: Sequence[int]) -> list[RowImage]:
    table = _table(table_name)
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += [dict(r._mapping) for r in session.execute(select(table).where(table.c.id.in_(chunk)))]
    return _with_refs(session, table_name, rows)


def _images_by_uuids(session: OrmSession, table_name: str, uuids: Iterable[uuid_mod.UUID],
                     columns: Iterable[str] | None = None) -> dict[uuid_mod.UUID, RowImage]:
    table = _table(table_name)
    rows: list[dict[str, Any]] = []
    chosen = _columns_of(table, columns)
    dialect = session.get_bind().dialect.name
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
        for chunk in _chunks([v["id"] for _, v in rows]):
            taken.update(int(i) for i in session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        free = [v for _, v in rows if v["id"] not in taken]
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
        columns = tuple(sorted(k for k in image.values if k not in ("id", "uuid")))
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
        images = take_images(self.session, table, where, columns)
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
        return Change(_parents_first(self._before.values()), tuple(self._created), subject)


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
    inverse_before: dict[tuple[str, uuid_mod.UUID], RowImage] = {}
    inverse_created: list[tuple[str, uuid_mod.UUID]] = []
    existing: list[RowImage] = []
    missing: list[RowImage] = []
    by_table: dict[str, list[RowImage]] = defaultdict(list)
    for image in change.before:
        by_table[image.table].append(image)
    for table_name, images in by_table.items():
        wanted = {column for image in images for column in image.values}  # a field edit reads its fields
        now = _images_by_uuids(session, table_name, [i.uuid for i in images], wanted)
        for image in images:
            current = now.get(image.uuid)
            if current is None:
                inverse_created.append((table_name, image.uuid))
                missing.append(image)
            else:
                inverse_before[(table_name, image.uuid)] = current.only(image.values)
                existing.append(image)
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
    return Change(_parents_first(inverse_before.values()), tuple(inverse_created), subject)


__all__ = [
    "Change",
    "Recorder",
    "RestoreError",
    "RowImage",
    "RowRef",
    "deletion_closure",
    "guard",
    "id_for_uuid",
    "ref_of",
    "restore_rows",
    "revert",
    "take_images",
]
