"""Images of database rows, so that an edit can be taken back with the very same rows.

An edit that removes rows returns their ``RowImage``s: every column's value (the ``uuid``
and the integer key included) and, for each foreign key, the ``uuid`` of the row it points
to. ``restore_rows`` inserts them again: foreign keys are found anew by those ``uuid``s, so
an image stays good when the row it points to was itself removed and restored meanwhile;
the old integer key is kept when it is still free.
"""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, insert, select
from sqlalchemy.orm import Session as OrmSession

from db.models import Base
from db.results import inserted_key, row_count


class RestoreError(RuntimeError):
    """Rows that cannot be put back (what they point to is gone, or they exist already)."""


@dataclass(frozen=True)
class RowImage:
    """One row as it was: ``values`` by column name, ``refs`` by foreign-key column."""

    table: str
    values: Mapping[str, Any]
    refs: Mapping[str, uuid_mod.UUID]

    @property
    def id(self) -> int:
        return int(self.values["id"])

    @property
    def uuid(self) -> uuid_mod.UUID:
        value = self.values["uuid"]
        return value if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value))


def _table(name: str) -> Table:
    table = Base.metadata.tables[name]
    return table


def _foreign_tables(table: Table) -> dict[str, Table]:
    """Foreign-key column name → the table it points to."""
    out: dict[str, Table] = {}
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table
            if isinstance(target, Table):
                out[column.key] = target
    return out


def _on_delete(table: Table, column: str) -> str:
    """What the database does to a row of ``table`` when the row its ``column`` points to
    goes: "CASCADE", "SET NULL" or "RESTRICT"."""
    for fk in table.c[column].foreign_keys:
        return (fk.ondelete or "RESTRICT").upper()
    return "RESTRICT"


def take_images(session: OrmSession, table_name: str, where: ColumnElement[bool]) -> list[RowImage]:
    """Images of the rows of ``table_name`` that ``where`` selects, in key order."""
    table = _table(table_name)
    rows = [dict(r._mapping) for r in session.execute(select(table).where(where).order_by(table.c.id))]
    refs: list[dict[str, uuid_mod.UUID]] = [{} for _ in rows]
    for column, target in _foreign_tables(table).items():
        ids = {r[column] for r in rows if r[column] is not None}
        if not ids:
            continue
        uuids = dict(session.execute(select(target.c.id, target.c.uuid).where(target.c.id.in_(ids))).all())
        for r, ref in zip(rows, refs):
            if r[column] is not None:
                ref[column] = uuids[r[column]]
    return [RowImage(table_name, r, ref) for r, ref in zip(rows, refs)]


def id_for_uuid(session: OrmSession, table_name: str, value: uuid_mod.UUID) -> int | None:
    table = _table(table_name)
    found = session.scalar(select(table.c.id).where(table.c.uuid == value))
    return int(found) if found is not None else None


def restore_rows(session: OrmSession, images: Iterable[RowImage]) -> list[int | None]:
    """Insert ``images`` again, in the order given (parents first); their new keys.

    A row whose parent is gone meanwhile is restored as the database would have left it had
    it been there when the parent went: with the key emptied (``ON DELETE SET NULL``), or not
    at all (``ON DELETE CASCADE``, and the children of a row not restored) — its place in the
    result is None. A parent that would have refused to go (``RESTRICT``) raises ``RestoreError``.
    """
    out: list[int | None] = []
    skipped: set[uuid_mod.UUID] = set()
    for image in images:
        table = _table(image.table)
        values = dict(image.values)
        if id_for_uuid(session, image.table, image.uuid) is not None:
            raise RestoreError(f"a {image.table.replace('_', ' ')} with the same identity exists already")
        restore = True
        for column, ref in image.refs.items():
            target = _foreign_tables(table)[column]
            found = id_for_uuid(session, target.name, ref)
            if found is not None:
                values[column] = found
                continue
            rule = _on_delete(table, column)
            if ref in skipped or rule == "CASCADE":
                restore = False
            elif rule == "SET NULL":
                values[column] = None
            else:
                raise RestoreError(
                    f"the {target.name.replace('_', ' ')} this {image.table.replace('_', ' ')} "
                    "belonged to no longer exists"
                )
        if not restore:
            skipped.add(image.uuid)
            out.append(None)
            continue
        taken = session.scalar(select(table.c.id).where(table.c.id == image.id))
        if taken is not None:
            del values["id"]
        key = inserted_key(session.execute(insert(table).values(**values)))
        out.append(key if key is not None else image.id)
    session.flush()
    return out


def set_values(session: OrmSession, table_name: str, row_uuid: uuid_mod.UUID,
               values: Mapping[str, Any], refs: Mapping[str, uuid_mod.UUID] | None = None) -> None:
    """Update one row, found by ``uuid``; ``refs`` set foreign keys by the target's uuid."""
    table = _table(table_name)
    new = dict(values)
    for column, ref in (refs or {}).items():
        target = _foreign_tables(table)[column]
        found = id_for_uuid(session, target.name, ref)
        if found is None:
            raise RestoreError(f"the {target.name.replace('_', ' ')} to point to no longer exists")
        new[column] = found
    if not new:
        return
    if row_count(session.execute(table.update().where(table.c.uuid == row_uuid).values(**new))) != 1:
        raise RestoreError(f"the {table_name.replace('_', ' ')} to change no longer exists")


def uuids_of(images: Sequence[RowImage]) -> list[uuid_mod.UUID]:
    return [image.uuid for image in images]
