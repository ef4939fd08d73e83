"""Column types shared by the models.

* ``LocalText`` — a text held in several languages, ``{"en": ..., "ru": ..., "kk": ...}``,
  stored as JSON (JSONB on PostgreSQL). Languages are open: a user may add more.
* ``UTCDateTime`` — an instant, stored as naive UTC on every backend and returned as an
  aware UTC ``datetime``. Used for when things happened (check-ins, audit stamps).

Agenda times are wall-clock times of the event's own time zone and use plain ``DateTime``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator

from db.enums import LANGUAGES  # noqa: F401  (the content languages; importable from here too)


def utcnow() -> dt.datetime:
    """The current instant, aware, in UTC (a callable default, never a value at import)."""
    return dt.datetime.now(dt.UTC)


class LocalText(TypeDecorator[dict[str, str]]):
    """A ``{language: text}`` mapping; empty strings are dropped, never stored."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB  # not at start-up: SQLite is the default

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value: Any, dialect: Any) -> dict[str, str] | None:
        if value is None:
            return {}
        if isinstance(value, str):
            raise TypeError("LocalText needs a {language: text} mapping, not a bare string")
        return {str(k): str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}

    def process_result_value(self, value: Any, dialect: Any) -> dict[str, str]:
        return dict(value or {})


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant: stored as naive UTC, returned as aware UTC; naive input is refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL on SQLite may hand back text
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC)
