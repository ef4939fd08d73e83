"""An event's history as a sheet (issue 15 part 4): every change to the event, its agenda,
rooms, partners, registrations and the people registered or on stage — when (in the event's
time zone), who, which row, what changed, from what to what — newest first, in words of the
sheet's language.

Written like the attendee list (``desktop.exports.attendees``): .xlsx in openpyxl's
write-only mode or .csv (UTF-8 with a byte-order mark), into a temporary file that replaces
the target at the end, so the file appears complete or not at all; ``progress(done, total)``
may cancel it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from desktop.core.language import NP_, words
from desktop.exports.attendees import (
    ExportCancelled,
    ExportError,
    ExportResult,
    Progress,
    SheetColumn,
    default_delimiter,
    sheet_target,
    write_csv,
    write_xlsx,
)

HISTORY_SHEET = NP_("sheet", "History")
CHUNK = 1000

# The sheet's columns: (message, kind, width).
COLUMNS: tuple[tuple[str, str, int], ...] = (
    # Translators: a column of the history sheet; {zone} is the event's time zone ("Asia/Almaty").
    (NP_("history column", "When ({zone})"), "datetime", 19),
    (NP_("history column", "Who"), "text", 18),
    (NP_("history column", "What"), "text", 16),
    (NP_("history column", "Which"), "text", 30),
    (NP_("history column", "Change"), "text", 22),
    (NP_("history column", "From"), "text", 30),
    (NP_("history column", "To"), "text", 30),
)


def sheet_columns(lang: str, zone: str) -> list[SheetColumn]:
    w = words(lang)
    return [SheetColumn(w.p_("history column", title).format(zone=zone), kind, width)
            for title, kind, width in COLUMNS]


def export_history(database: Any, path: str | os.PathLike[str], event_id: int, lang: str = "en", *,
                   delimiter: str | None = None, progress: Progress | None = None) -> ExportResult:
    """Write the event's history to ``path`` (.xlsx or .csv, by its extension); returns
    where, how many rows and the format. Raises ``ExportCancelled`` when ``progress``
    returns False, ``ExportError`` when the file cannot be written, ``ValueError`` for an
    unknown extension."""
    from desktop.core.attendee_list import event_zone
    from desktop.core.events import resolve_event
    from desktop.core.history import entries_in_pages, event_line_ids
    from desktop.core.i18n import text

    target, fmt = sheet_target(path)
    with database.read() as session:
        from sqlalchemy import select

        from db.models import Event

        event = resolve_event(session, event_id)
        zone_name = session.scalar(select(Event.timezone).where(Event.id == event.id)) or "UTC"
        zone = event_zone(zone_name)
        ids, _notes = event_line_ids(session, event.id)
        total = len(ids)

        def chunks() -> Iterator[Sequence[tuple[Any, ...]]]:
            for page in entries_in_pages(session, ids, lang, CHUNK):
                yield [(e.at.astimezone(zone).replace(tzinfo=None, microsecond=0), e.author, e.kind, e.subject,
                        e.what, e.old, e.new) for e in page]

        columns = sheet_columns(lang, zone_name)
        sheet = words(lang).p_("sheet", HISTORY_SHEET)
        with atomic(target) as tmp, open(tmp, "wb") as handle:
            if fmt == "xlsx":
                rows = write_xlsx(handle, columns, chunks(), total=total, progress=progress, sheet_title=sheet,
                                  title=f"{text(event.title, lang)} — {sheet}")
            else:
                stream = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                rows = write_csv(stream, columns, chunks(), delimiter=delimiter or default_delimiter(lang),
                                 total=total, progress=progress)
                stream.flush()
                stream.detach()
    return ExportResult(target, rows, fmt)


def atomic(target: Path) -> Any:
    from desktop.core.files import atomic_file

    return atomic_file(target, error=ExportError, open_in="Excel")


__all__ = ["COLUMNS", "HISTORY_SHEET", "ExportCancelled", "ExportError", "export_history", "sheet_columns"]
