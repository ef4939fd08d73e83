"""The list of recently opened databases, kept in ``QSettings``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from db.engine import Database

KEY = "recent/databases"
LIMIT = 8


def recent_entry(database: Database) -> str | None:
    """What to remember for ``database``: its file path, or a server URL that holds no
    password (a password is never written to the settings); None when there is nothing
    safe to remember."""
    if database.target.path is not None:
        return str(database.target.path)
    from sqlalchemy.engine import make_url

    url = make_url(database.target.url)
    return None if url.password else database.target.url


def _is_file(entry: str) -> bool:
    return "://" not in entry


class RecentDatabases:
    """Up to ``LIMIT`` databases, most recent first; files that are gone are dropped."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def entries(self) -> list[str]:
        """The remembered databases that still exist (server URLs are kept as they are)."""
        stored = self._read()
        alive = [e for e in stored if not _is_file(e) or Path(e).is_file()]
        if alive != stored:
            self._write(alive)
        return alive

    def add(self, entry: str) -> None:
        entries = [entry, *(e for e in self._read() if e != entry)]
        self._write(entries[:LIMIT])

    def remove(self, entry: str) -> None:
        self._write([e for e in self._read() if e != entry])

    def clear(self) -> None:
        self._write([])

    def _read(self) -> list[str]:
        value = self._settings.value(KEY)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value if v]

    def _write(self, entries: list[str]) -> None:
        if entries:
            self._settings.setValue(KEY, entries)
        else:
            self._settings.remove(KEY)
