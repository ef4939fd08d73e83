"""Opening the window: what ``conference-desk`` does without a command.

The window is shown first and opens the database in the background (``run_opening``), so
it is on screen before SQLAlchemy is loaded and a slow server never keeps it away. A
database that cannot be opened is said on the window (with Open and Quit) and, once the
window is closed, on the command line as the usual one-line error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit, urlunsplit

from desktop.cli.common import ENV_DB, DataError, default_database_path, open_database

if TYPE_CHECKING:
    from db.engine import Database


def target_label(args: argparse.Namespace) -> str:
    """The database the window will open, as the user knows it: the file's path, or the
    server's URL without its password (it is shown while the database opens)."""
    target = args.db or os.environ.get(ENV_DB) or None
    if target is None:
        return str(default_database_path())
    if "://" not in target:
        return str(Path(target).expanduser())
    parts = urlsplit(target)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, "", ""))


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.ui.shell.main_window import OpenFailed

    def opener() -> Database:
        try:
            return open_database(args, create_demo_if_new=True)
        except DataError as exc:
            raise OpenFailed(str(exc)) from None

    from desktop.ui.shell.app import run_opening

    code, failure = run_opening(opener, target_label(args), argv=[sys.argv[0]],
                                ui_language=getattr(args, "ui_language", None))
    if failure is not None:
        raise DataError(failure)
    return code
