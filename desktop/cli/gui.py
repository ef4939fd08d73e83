"""Opening the window: what ``conference-desk`` does without a command.

The window is shown first and opens the database in the background (``run_opening``), so
it is on screen before SQLAlchemy is loaded and a slow server never keeps it away. A
database that cannot be opened is said on the window (with Open and Quit) and, once the
window is closed, on the command line as the usual one-line error.

A list of attendees given on the command line (``conference-desk LIST.xlsx``: ``args.import_file``)
is imported: once the database is shown, the window starts its import wizard on the file
(``MainWindow.import_when_ready``).
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

    import_file: Path | None = getattr(args, "import_file", None)
    if import_file is not None:
        _import_when_shown(import_file.resolve())
    code, failure = run_opening(opener, target_label(args), argv=[sys.argv[0]],
                                ui_language=getattr(args, "ui_language", None))
    if failure is not None:
        raise DataError(failure)
    return code


def _import_when_shown(path: Path) -> None:
    """Once the event loop runs (the window is shown), hand ``path`` to the main window: it
    starts the import wizard on it when its database is open."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])  # run_opening names and styles it

    def hand_over() -> None:
        for widget in app.topLevelWidgets():  # type: ignore[attr-defined]
            if isinstance(widget, MainWindow):
                widget.import_when_ready(path)
                return

    QTimer.singleShot(0, hand_over)
