"""Storage for Conference Desk: models, the engine factory and the migrations (no Qt).

The package's names are loaded when first asked for, so ``db.enums`` is light to import
(the window shows before SQLAlchemy is loaded)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.engine import Database, DatabaseError, open_database, resolve_target

__all__ = ["Database", "DatabaseError", "open_database", "resolve_target"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from db import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'db' has no attribute {name!r}")
