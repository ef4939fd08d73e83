"""Who edits from this process — the history's ``author`` (``desktop.core.changes``).

Kept apart from ``changes`` (which loads SQLAlchemy) so that the window can set it before any
database is open (``desktop.ui.shell.history``) without loading the storage code.
"""

from __future__ import annotations

import getpass

_AUTHOR: list[str] = []


def author() -> str:
    """Who edits from this process: what ``set_author`` was given (the window: its setting;
    the command line: ``--author``), else the computer's user name."""
    if _AUTHOR:
        return _AUTHOR[0]
    try:
        return getpass.getuser()[:80]
    except Exception:  # noqa: BLE001 - no user name to be had (a container): an empty author
        return ""


def set_author(name: str) -> None:
    """The name the history gives this process's edits (at most 80 characters; empty: the
    computer's user name)."""
    _AUTHOR[:] = [" ".join((name or "").split())[:80]] if (name or "").strip() else []


__all__ = ["author", "set_author"]
