"""Badges printed at a desk: when and at which desk each registration's badge came out.

A desk that prints badges on check-in (``desktop.ui.desk.badge_printer``) records each
badge it printed as one append-only ``badge_print`` row (migration 0009), in the same
database as the check-ins — the server for desks that share one, the desk file for a desk
without a network. The rows travel in desk files and come back with a merge by their uuid,
exactly once, as check-ins do (``desktop.core.desk_file``). Before printing, the desk asks
``last_badge_print``: a badge printed already (here or at any other desk whose rows have
reached this database) is not printed again without asking.

The record is written after the printer took the badge, not before: a badge that never
came out (no paper, printer gone) leaves no "already printed" behind.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from db.engine import Database
from db.models import BadgePrint
from db.types import utcnow
from desktop.core.desk import clean_desk_name

_BP = BadgePrint.__table__


@dataclass(frozen=True)
class BadgePrinted:
    """One badge printed: the registration, the desk, and when (aware UTC)."""

    registration_id: int
    desk: str
    at: dt.datetime
    uuid: uuid_mod.UUID


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def record_badge_print(database: Database, registration_id: int, desk: str, *,
                       at: dt.datetime | None = None) -> BadgePrinted:
    """Record that the badge of ``registration_id`` was printed at ``desk`` (now, or ``at``)."""
    desk = clean_desk_name(desk)
    now = utcnow()
    at = at or now
    uid = uuid_mod.uuid4()
    with database.write() as session:
        session.execute(insert(_BP).values(uuid=uid, registration_id=registration_id, desk=desk,
                                           printed_at=at, recorded_at=now))
    return BadgePrinted(registration_id, desk, _aware(at), uid)


def last_badge_print(session: Any, registration_id: int) -> BadgePrinted | None:
    """The latest badge printed for ``registration_id`` (None: never printed). ``session``:
    an ORM session or a Core connection."""
    row = session.execute(
        select(_BP.c.registration_id, _BP.c.desk, _BP.c.printed_at, _BP.c.uuid)
        .where(_BP.c.registration_id == registration_id)
        .order_by(_BP.c.printed_at.desc(), _BP.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return BadgePrinted(row.registration_id, row.desk, _aware(row.printed_at), row.uuid)


def badge_print_count(session: Any, registration_id: int) -> int:
    """How many badges were printed for ``registration_id`` (at every desk known here)."""
    from sqlalchemy import func

    return int(session.execute(select(func.count()).select_from(_BP)
                               .where(_BP.c.registration_id == registration_id)).scalar() or 0)


__all__ = ["BadgePrinted", "badge_print_count", "last_badge_print", "record_badge_print"]
