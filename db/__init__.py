"""Storage for Conference Desk: models, the engine factory and the migrations (no Qt)."""

from db.engine import Database, DatabaseError, open_database, resolve_target

__all__ = ["Database", "DatabaseError", "open_database", "resolve_target"]
