"""Starting the window: ``run(database)`` makes the application and shows ``MainWindow``.

The command line opens the database (``desktop.cli``) and hands it here, with the
``--ui-language`` it was given; the interface language (``desktop.ui.shell.ui_language``)
is chosen and set before the window is made.

``CONFERENCE_DESK_EXIT_WHEN_SHOWN`` is for ``tests/bench/startup.py`` only: set it to the
launcher's ``time.time()`` at the moment it started the process, and ``run`` prints
``shown <seconds since then>`` on stdout once the main window is on screen, then quits
(any other non-empty value: it prints just ``shown``).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from db.engine import Database
from desktop.ui.shell import style
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.ui_language import apply_interface_language, window_language

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
    app.aboutToQuit.connect(window.save_settings)  # also when the app quits without a close
    window.show()
    launched = os.environ.get(EXIT_WHEN_SHOWN)
    if launched:
        QTimer.singleShot(0, lambda: _report_shown(app, launched))
    return app.exec()


def _report_shown(app: QApplication, launched: str) -> None:
    try:
        stamp = float(launched)
    except ValueError:
        stamp = 0.0
    print(f"shown {time.time() - stamp:.3f}" if stamp > 1e9 else "shown", flush=True)
    app.quit()
