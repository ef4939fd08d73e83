"""Has the row an open editor shows changed since it was read? (issue 15, part 3: an open
dialog shows a notice when its row changed.)

An editor marks its row when it reads it (``mark_row``: its uuid, its ``version`` and the
last line of its history); when another workstation's commit is heard, it asks
``row_version`` (one query by primary key) and, only when the version rose, ``news_since``:
who changed the row last and which fields others changed since the mark. The edits of
this window (``own``: their ``edit`` uuids) are not news. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Container
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from db.models import Base, ChangeLog

NEWS_LINES = 200
"""The history lines read at most for one piece of news (a row's edits since a dialog opened)."""


@dataclass(frozen=True)
class RowMark:
    """A row as an editor read it: which row, its version, its last line in the history."""

    table: str
    id: int
    uuid: uuid_mod.UUID
    version: int
    log_id: int


@dataclass(frozen=True)
class RowNews:
    """What others did to a marked row since: who last and when, the fields they changed
    (in the order first changed), whether the row is gone."""

    who: str
    when: dt.datetime | None
    fields: tuple[str, ...] = ()
    deleted: bool = False


def mark_row(session: OrmSession, table: str, row_id: int) -> RowMark | None:
    """The mark of ``table``'s row ``row_id`` now (None when there is no such row)."""
    source = Base.metadata.tables[table]
    found = session.execute(select(source.c.uuid, source.c.version).where(source.c.id == row_id)).one_or_none()
    if found is None:
        return None
    log = ChangeLog.__table__
    last = session.scalar(select(func.max(log.c.id)).where(log.c.table_name == table, log.c.row_uuid == found[0]))
    return RowMark(table, row_id, found[0], int(found[1] or 0), int(last or 0))


def row_version(session: OrmSession, mark: RowMark) -> int | None:
    """The marked row's version now (None when it was deleted): one read by primary key."""
    source = Base.metadata.tables[mark.table]
    version = session.scalar(select(source.c.version).where(source.c.id == mark.id, source.c.uuid == mark.uuid))
    return None if version is None else int(version)


def news_since(session: OrmSession, mark: RowMark, own: Container[uuid_mod.UUID] = ()) -> RowNews | None:
    """What others changed of the marked row since it was marked; None when the last change
    to it is one of ``own`` (this window's edits), or when the history says nothing new."""
    log = ChangeLog.__table__
    lines = session.execute(
        select(log.c.edit, log.c.author, log.c.at, log.c.action, log.c.field)
        .where(log.c.table_name == mark.table, log.c.row_uuid == mark.uuid, log.c.id > mark.log_id)
        .order_by(log.c.id.desc()).limit(NEWS_LINES)).all()
    if not lines or lines[0].edit in own:
        return None
    latest = lines[0]
    fields: dict[str, None] = {}
    for line in reversed(lines):
        if line.edit not in own and line.field:
            fields[line.field] = None
    return RowNews(latest.author or "", latest.at, tuple(fields), deleted=latest.action == "delete")


__all__ = ["NEWS_LINES", "RowMark", "RowNews", "mark_row", "news_since", "row_version"]
