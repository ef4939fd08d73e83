"""Desk files that cannot be forged: the export signed with this database's key, the desk's
changes sealed as they are made, and both checked before a merge writes anything.

What is signed
--------------
Every database has a key of its own, 32 random bytes in its table ``database_secret``
(made the first time it exports a desk file; no export copies that table). ``desk-export``
signs the file it writes with it: HMAC-SHA256 over

* the file's description (table ``desk_file``: format, event, file id, when and from
  where, and how far each table's ids went at the export), and
* in it, a SHA-256 digest of each of the event's tables in the file (organisations, people, the
  event, rooms, partners, sessions, items, roles, registrations, check-ins, badges printed):
  every row,
  ordered by id, each written as SQLite's ``json_array()`` of its stored values (a BLOB as
  its ``quote()``), one line a row (the file is always SQLite, so the form is the same
  whether the event came from SQLite or PostgreSQL, and the bytes are the ones the merge
  will read).

The desk then works on the file: it adds check-ins and walk-ins (and may change or delete
what it was given). What the desk adds cannot carry the database's key, since the desk does
not hold it. It is *bound to the export* instead: the file holds a desk key, derived from the
database's key and the file's own id (HMAC), and triggers on the event's tables record every
insert, update and delete in a table ``desk_seal`` (the row's old and new form) with an
HMAC under that desk key, computed by a SQL function only Conference Desk's own connections
have (``db.desk_seal``). A merge re-derives the desk key from its own key (it never trusts
the one in the file), checks every seal, rebuilds the rows as they were exported from the
current rows and the seals, and checks the signature over them. It refuses, with one
sentence naming the file (and the table and row where something is wrong), and before
anything is written:

* a file without a signature (written before desk files were signed): export a new one;
* a file another database signed, or none: the signature does not match this database's key;
* a row changed, added or deleted after the export by anything but Conference Desk working
  on that very file (for example a check-in added with ``sqlite3``, a registration edited in
  a database browser, a row copied in from another desk file, a seal copied from one);
* a changed description (another event, other ids).

What this cannot guarantee (the threat model)
---------------------------------------------
The desk holds the file, and with it the desk key; there is no secret on the desk that the
person holding it cannot read. Someone who reads this source, takes the desk key out of the
file and computes the seals themselves can add check-ins that the merge accepts — exactly as
they could by typing badge codes into the desk, which is what a desk is for. What they cannot
do without the database's key is make a desk file from nothing or from another database, nor
change a single row the database exported (registrations, badge codes, people, earlier
check-ins), so added check-ins can only be for this event's registrations and are bound to
this one file. A change made with any other program — the realistic slip or fiddle — is
refused. Deleting the desk's own rows together with their seals goes unnoticed: it removes
work and adds nothing. The signature says nothing about the desk's clock.

A desk file opened with a newer Conference Desk that upgrades its schema in place loses the
form its rows were signed in and is refused; the merge upgrades a copy, never the file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import uuid as uuid_mod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from db.desk_seal import FUNCTION
from db.engine import Database
from db.models import DatabaseSecret
from db.types import utcnow
from desktop.core.language import _

SIGNED_FORMAT = "2"
"""The format of a signed desk file (``desk_file.format``); "1" files are not signed."""
KEY_NAME = "desk-file"
SEAL_TABLE = "desk_seal"
SIGNED_TABLES: tuple[str, ...] = ("organisation", "person", "event", "event_organisation", "room", "session",
                                  "agenda_item", "role", "registration", "check_in", "badge_print")
"""The event's tables of a desk file, in the order their digests are signed."""
LATER_TABLES: frozenset[str] = frozenset({"badge_print"})
"""Signed tables a desk file exported before them (schema 0008) does not have: such a file is
checked without them, and a merge reads none of their rows (``signed_tables``)."""


def signed_tables(meta: Mapping[str, str]) -> tuple[str, ...]:
    """The tables the signature in ``meta`` covers (those it gives a top id for, of the later ones)."""
    return tuple(t for t in SIGNED_TABLES if t not in LATER_TABLES or f"top.{t}" in meta)
_DOMAIN = b"conference-desk desk file 2\n"
_FETCH = 5000


class DeskFileRefused(Exception):
    """The desk file's signature or seals do not hold; the message is one sentence naming it."""


def _hmac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# == the database's key ============================================================================


def _stored_key(conn: Connection) -> bytes | None:
    value = conn.execute(select(DatabaseSecret.value).where(DatabaseSecret.name == KEY_NAME)).scalar()
    return bytes(value) if value is not None else None


def database_key(database: Database, *, create: bool) -> bytes | None:
    """This database's desk-file key; made (32 random bytes) when ``create`` and there is
    none yet. Two exports making it at once: one insert wins, both use its key."""
    with database.engine.connect() as conn:
        key = _stored_key(conn)
    if key is not None or not create:
        return key
    try:
        with database.write() as session:
            conn = session.connection()
            if _stored_key(conn) is None:
                conn.execute(insert(DatabaseSecret.__table__).values(name=KEY_NAME, value=os.urandom(32),
                                                                     created_at=utcnow()))
    except IntegrityError:
        pass  # another export made it meanwhile
    with database.engine.connect() as conn:
        return _stored_key(conn)


def desk_key(key: bytes, file_id: str) -> bytes:
    """The key with which the desk seals its changes to the file ``file_id``."""
    return hmac.new(key, b"desk key\0" + file_id.encode("ascii"), hashlib.sha256).digest()


# == the canonical form ============================================================================


def columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool]]:
    """The columns of a desk file's table, in the file's own order: (name, declared BLOB)."""
    return [(str(r[1]), str(r[2]).upper() == "BLOB") for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _line(cols: Sequence[tuple[str, bool]], prefix: str = "") -> str:
    """SQL giving a row as one text: a JSON array of its values as stored (numbers stay
    numbers, texts are quoted, NULL is null; a BLOB column's value as ``quote()`` writes it).
    SQLite's ``json_array`` makes it in one call, 3-4 times cheaper than joining ``quote()``s."""
    return "json_array(" + ", ".join(f'quote({prefix}"{c}")' if blob else f'{prefix}"{c}"' for c, blob in cols) + ")"


def _rows(conn: sqlite3.Connection, table: str, cols: Sequence[tuple[str, bool]], where: str,
          params: Sequence[Any] = ()) -> Iterable[tuple[int, str]]:
    cursor = conn.execute(f'SELECT id, {_line(cols)} FROM "{table}" WHERE {where} ORDER BY id', params)
    while batch := cursor.fetchmany(_FETCH):
        yield from batch


def _digest(lines: Iterable[str]) -> str:
    """SHA-256 of the lines, each ended by a newline (fed in pieces of ``_FETCH`` lines)."""
    h = hashlib.sha256()
    piece: list[str] = []
    for line in lines:
        piece.append(line)
        if len(piece) >= _FETCH:
            piece.append("")
            h.update("\n".join(piece).encode("utf-8", "surrogatepass"))
            piece = []
    if piece:
        piece.append("")
        h.update("\n".join(piece).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _message(meta: Mapping[str, str]) -> bytes:
    """What the signature is over: the description, each table's digest in it."""
    described = "".join(f"{k}={v}\n" for k, v in sorted(meta.items()) if k != "signature")
    return _DOMAIN + described.encode("utf-8", "surrogatepass")


# == export: sign and arm ============================================================================


def sign(conn: sqlite3.Connection, meta: dict[str, str], key: bytes) -> dict[str, str]:
    """The description of the desk file just written on ``conn`` (in its transaction),
    completed and signed: the file id, each table's top id, the desk key and the
    signature. Also makes ``desk_seal`` and its triggers. Returns the rows for ``desk_file``."""
    meta = dict(meta)
    file_id = str(uuid_mod.uuid4())
    meta["format"] = SIGNED_FORMAT
    meta["file_id"] = file_id
    meta["desk_key"] = desk_key(key, file_id).hex()
    for table in SIGNED_TABLES:
        cols = columns(conn, table)
        top = int(conn.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0])
        meta[f"top.{table}"] = str(top)
        meta[f"digest.{table}"] = _digest(line for _id, line in _rows(conn, table, cols, "1"))
    meta["signature"] = _hmac(key, _message(meta))
    _arm(conn)
    return meta


def _arm(conn: sqlite3.Connection) -> None:
    """``desk_seal`` and the triggers that fill it (see the module docstring)."""
    conn.execute(f"CREATE TABLE {SEAL_TABLE} (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id INTEGER NOT NULL, "
                 "op TEXT NOT NULL, old TEXT, new TEXT, mac TEXT NOT NULL)")
    key = "(SELECT value FROM desk_file WHERE key = 'desk_key')"
    for table in SIGNED_TABLES:
        cols = columns(conn, table)
        for op, when, row, old, new in (
                ("I", "INSERT", "NEW", None, _line(cols, "NEW.")),
                ("U", "UPDATE", "NEW", _line(cols, "OLD."), _line(cols, "NEW.")),
                ("D", "DELETE", "OLD", _line(cols, "OLD."), None)):
            old_sql, new_sql = old or "NULL", new or "NULL"
            conn.execute(
                f'CREATE TRIGGER desk_seal_{table}_{when.lower()} AFTER {when} ON "{table}" BEGIN '
                f"INSERT INTO {SEAL_TABLE} (tbl, row_id, op, old, new, mac) "
                f"SELECT '{table}', {row}.id, '{op}', o, n, "
                f"{FUNCTION}({key}, '{table} {op} ' || {row}.id || ' ' || quote(o) || ' ' || quote(n)) "
                f"FROM (SELECT {old_sql} AS o, {new_sql} AS n); END")


# == merge: verify ==================================================================================


@dataclass
class _Seal:
    row_id: int
    op: str
    old: str | None
    new: str | None


def _unsigned(path: Path) -> str:
    return _("{path} is a desk file of an older kind, which is not signed, so it cannot be merged: export a new "
             "desk file from this database (desk-export, File → Export Desk File…) and use that one.").format(path=path)


def _foreign(path: Path) -> str:
    return _("{path} was not written by desk-export of this database (its signature does not match this "
             "database's key), so it is refused and nothing was merged.").format(path=path)


def _edited(path: Path, table: str, row: int | None) -> str:
    if row is None:
        # Translators: {table} is the name of a table inside the file (check_in, registration, …).
        return _("{path} was changed after desk-export by something other than Conference Desk (table {table}), "
                 "so it is refused and nothing was merged.").format(path=path, table=table)
    # Translators: {table} is the name of a table inside the file, {row} a row's number in it.
    return _("{path} was changed after desk-export by something other than Conference Desk (table {table}, "
             "row {row}), so it is refused and nothing was merged.").format(path=path, table=table, row=row)


def is_signed(meta: Mapping[str, str]) -> bool:
    return "signature" in meta


def verify(database: Database, path: Path, conn: sqlite3.Connection, meta: Mapping[str, str]) -> None:
    """Check the desk file open on ``conn`` (a read snapshot of the file itself, never an
    upgraded copy) against ``database``'s key; raises ``DeskFileRefused`` (one sentence)."""
    if not is_signed(meta):
        raise DeskFileRefused(_unsigned(path))
    key = database_key(database, create=False)
    file_id = str(meta.get("file_id", ""))
    if key is None or not file_id.isascii():
        raise DeskFileRefused(_foreign(path))
    if not hmac.compare_digest(str(meta.get("signature", "")), _hmac(key, _message(meta))):
        raise DeskFileRefused(_foreign(path))  # another key, or a description changed
    sealing = desk_key(key, file_id)
    tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    signed = signed_tables(meta)
    if SEAL_TABLE not in tables or not set(signed) <= tables:
        raise DeskFileRefused(_edited(path, SEAL_TABLE if SEAL_TABLE not in tables else "?", None))

    # Every seal made with this file's desk key, each row's seals a chain.
    seals: dict[str, dict[int, list[_Seal]]] = {t: {} for t in signed}
    for tbl, row_id, op, old, new, mac, message in conn.execute(
            f"SELECT tbl, row_id, op, old, new, mac, tbl || ' ' || op || ' ' || row_id || ' ' || quote(old) "
            f"|| ' ' || quote(new) FROM {SEAL_TABLE} ORDER BY seq"):
        if tbl not in seals or not isinstance(row_id, int) or not isinstance(mac, str) or not isinstance(message, str):
            raise DeskFileRefused(_edited(path, SEAL_TABLE, None))
        if not hmac.compare_digest(mac, _hmac(sealing, message.encode("utf-8", "surrogatepass"))):
            raise DeskFileRefused(_edited(path, str(tbl), row_id))
        chain = seals[tbl].setdefault(row_id, [])
        if chain and chain[-1].new != old:
            raise DeskFileRefused(_edited(path, str(tbl), row_id))
        chain.append(_Seal(row_id, op, old, new))

    for table in signed:
        try:
            top = int(str(meta.get(f"top.{table}")))
        except ValueError:
            raise DeskFileRefused(_foreign(path)) from None
        cols = columns(conn, table)
        sealed = seals[table]
        # The rows the desk touched: as they are now, they must be what its last seal says.
        for chunk in _chunks(sorted(sealed)):
            now = dict(conn.execute(f'SELECT id, {_line(cols)} FROM "{table}" WHERE id IN '
                                    f"({','.join('?' * len(chunk))})", chunk).fetchall())
            for row_id in chunk:
                if now.get(row_id) != sealed[row_id][-1].new:
                    raise DeskFileRefused(_edited(path, table, row_id))
        # A row beyond the export's ids that no seal accounts for was added by another program.
        for (row_id,) in conn.execute(f'SELECT id FROM "{table}" WHERE id > ? ORDER BY id', (top,)):
            if row_id not in sealed:
                raise DeskFileRefused(_edited(path, table, row_id))
        digest = _digest(_as_exported(_rows(conn, table, cols, "id <= ?", (top,)), sealed, top))
        if not hmac.compare_digest(digest, str(meta.get(f"digest.{table}", ""))):
            raise DeskFileRefused(_edited(path, table, None))  # a row the database exported, changed


def _as_exported(rows: Iterable[tuple[int, str]], sealed: Mapping[int, list[_Seal]], top: int) -> Iterable[str]:
    """The lines of the rows as they were exported: the current rows up to ``top``, each one
    the desk changed or deleted as its first seal found it, one it added (after a delete)
    left out."""
    original: dict[int, str | None] = {}
    for row_id, chain in sealed.items():
        if row_id <= top:
            first = chain[0]
            original[row_id] = first.old if first.op in ("U", "D") else None
    pending = sorted(original)
    at = 0
    for row_id, line in rows:
        while at < len(pending) and pending[at] < row_id:  # deleted at the desk, before this row
            if (gone := original[pending[at]]) is not None:
                yield gone
            at += 1
        if row_id in original:
            if at < len(pending) and pending[at] == row_id:
                at += 1
            if (was := original[row_id]) is not None:
                yield was
        else:
            yield line
    for row_id in pending[at:]:
        if (gone := original[row_id]) is not None:
            yield gone


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


__all__: Sequence[str] = ("DeskFileRefused", "SIGNED_FORMAT", "SIGNED_TABLES", "database_key", "desk_key", "sign",
                          "verify", "is_signed", "signed_tables")
