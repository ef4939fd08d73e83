"""The schema revisions this build knows, without loading Alembic (start-up stays fast).

A test checks these against the migration scripts; add each new revision here.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010",
                                    "0011", "0012")
SCHEMA_HEAD: str = KNOWN_REVISIONS[-1]
