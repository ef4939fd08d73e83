"""What the core tests read off a ``Change``."""

from __future__ import annotations

from desktop.core.changes import Change


def made(change: Change) -> int:
    """The id of the row an edit made or changed (its subject)."""
    assert change.subject is not None
    return change.subject.id
