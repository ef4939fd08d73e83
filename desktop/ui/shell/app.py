"""Starting the window: ``run_opening(opener, label)`` makes the application, shows
``MainWindow`` at once and opens the database in the background (the command line's way:
the window is on screen before SQLAlchemy is even loaded, and a slow server does not keep
it away); ``run(database)`` shows it on a database already open.

The interface language (``desktop.ui.shell.ui_language``: ``--ui-language``, remembered,
system) is chosen and set before the window is made.

``CONFERENCE_DESK_EXIT_WHEN_SHOWN`` is for ``tests/bench/startup.py`` only: set it to the
launcher's ``time.time()`` at the moment it started the process, and the window prints
``shown <seconds since then>`` on stdout once it is on screen, ``ready <seconds>`` once
its database is open and its first section shows the event, then quits (any other
non-empty value: it prints just ``shown`` and ``ready``). A database that cannot be opened
prints ``failed``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui.shell import style
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.ui_language import apply_interface_language, window_language

if TYPE_CHECKING:
    from db.engine import Database

APP_NAME = "Conference Desk"
EXIT_WHEN_SHOWN = "CONFERENCE_DESK_EXIT_WHEN_SHOWN"


def application(argv: list[str] | None = None) -> QApplication:
    """The one ``QApplication``, named so that ``QSettings()`` finds our settings."""
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(style.icon("app"))
    style.apply(app)
    return app


def run(database: Database, *, argv: list[str] | None = None, ui_language: str | None = None) -> int:
    """Show the main window on ``database`` in the interface language of this run
    (``ui_language`` is ``--ui-language``: see ``window_language``), run the event loop,
    return the exit code."""
    app = application(argv)
    apply_interface_language(window_language(ui_language, QSettings()))
    window = MainWindow(database)
    _show(app, window, opener=None)
    return app.exec()


def run_opening(opener: Callable[[], Database], label: str, *, argv: list[str] | None = None,
                ui_language: str | None = None) -> tuple[int, str | None]:
    """Show the main window at once, waiting for the database named ``label`` (its file or
    server) that ``opener`` opens in a thread; run the event loop. Returns the exit code
    and, when the database could not be opened (and none was opened instead), the sentence
    saying why — the window has shown it, with Open and Quit."""
    app = application(argv)
    apply_interface_language(window_language(ui_language, QSettings()))
    window = MainWindow(None, opening=label)
    _show(app, window, opener=opener)
    code = app.exec()
    return code, window.open_failure


def _show(app: QApplication, window: MainWindow, opener: Callable[[], Database] | None) -> None:
    app.aboutToQuit.connect(window.save_settings)  # also when the app quits without a close
    window.show()
    launched = os.environ.get(EXIT_WHEN_SHOWN)
    if launched:
        QTimer.singleShot(0, lambda: _report(launched, "shown"))
        if opener is None:
            QTimer.singleShot(0, lambda: _report(launched, "ready", app))
        else:
            window.database_ready.connect(lambda: QTimer.singleShot(0, lambda: _report(launched, "ready", app)))
            window.opening_failed.connect(lambda _sentence: _report(launched, "failed", app))
    if opener is not None:
        # After the first paint: the window is on screen before the database's work begins.
        QTimer.singleShot(0, lambda: window.open_in_background(opener))


def _report(launched: str, what: str, app: QApplication | None = None) -> None:
    try:
        stamp = float(launched)
    except ValueError:
        stamp = 0.0
    print(f"{what} {time.time() - stamp:.3f}" if stamp > 1e9 and what != "failed" else what, flush=True)
    if app is not None:
        app.quit()
