"""The window's interface language: which one a run speaks, Qt's own words and formats in
it, and View → Interface Language.

``run`` (``desktop.ui.shell.app``) asks ``window_language`` before any widget is made —
``--ui-language``, else ``CONFERENCE_DESK_UI_LANGUAGE``, else the language chosen last in
the View menu (``INTERFACE_LANGUAGE`` in the settings), else the system's — and
``apply_interface_language`` makes it the process's: our catalog, Qt's own translations
(``qtbase_ru``/``qtbase_kk`` as PySide6 ships them: the buttons of message boxes, the file
dialog, the context menus of text fields) and Qt's default locale (month and day names
of date and time fields).

The menu (``InterfaceLanguageMenu``) remembers the choice and restarts the application in
it: the same program and arguments with ``--ui-language`` replaced and ``--db`` naming the
database on show; the window has saved its event and section before, so the new one
comes back on them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QProcess,
    QProcessEnvironment,
    QSettings,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from desktop.core.language import (
    LANGUAGE_NAMES,
    LANGUAGES,
    LOCALE_VARIABLES,
    NP_,
    _,
    choose_interface_language,
    interface_language,
    language_of_locale,
    set_interface_language,
    words,
)

if TYPE_CHECKING:
    from db.engine import Database, Target

INTERFACE_LANGUAGE = "interface/language"
"""Settings key: the interface language last chosen in the View menu."""
UI_LANGUAGE_OPTION = "--ui-language"
DB_OPTION = "--db"
QT_CATALOGS = ("qtbase",)
"""Qt's own catalogs loaded for a language (``<name>_<lang>.qm`` of Qt's translations folder)."""
QT_GAPS: tuple[tuple[str, str], ...] = (
    ("QFileDialog", NP_("QFileDialog", "&Look in:")),
    ("QFileDialog", NP_("QFileDialog", "Files of &type:")),
)
"""Qt's own words that a catalog of Qt lacks (qtbase_ru has these only without the "&"):
(Qt's class, its text), translated in our catalog under the class as context."""

_installed: list[QTranslator] = []  # Qt keeps no reference: they must live as long as installed


def window_language(flag: str | None, settings: QSettings, environ: Mapping[str, str] | None = None) -> str:
    """The interface language of the window for this run (see the module's docstring). The
    system's language is the locale variables' (as gettext reads them), or Qt's idea of the
    system locale where none is set (Windows, an application started from macOS's Finder)."""
    env = os.environ if environ is None else environ
    system = None if any(env.get(name) for name in LOCALE_VARIABLES) else language_of_locale(QLocale.system().name())
    return choose_interface_language(flag, env, settings.value(INTERFACE_LANGUAGE), system)


def qt_translations_folder() -> str:
    """Where Qt's own ``.qm`` catalogs are (the PySide6 wheel's ``Qt/translations``)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def qt_locale(lang: str) -> QLocale:
    """Qt's locale for interface language ``lang``: the system's when it speaks ``lang``
    (its country's formats, its paper size), else the language's own country — English
    as in the United Kingdom (A4, a 24-hour clock), as the window's texts are written."""
    system = QLocale.system()
    if language_of_locale(system.name()) == lang:
        return system
    if lang == "ru":
        return QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    if lang == "kk":
        return QLocale(QLocale.Language.Kazakh, QLocale.Country.Kazakhstan)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


class QtGaps(QTranslator):
    """Asked by Qt after its own catalog: the words of ``QT_GAPS``, from our catalog."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._words = words(lang)

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str | None:
        if (context, source) in QT_GAPS:
            return self._words.p_(context, source)
        return None  # a null string: not ours, Qt asks the next catalog

    def isEmpty(self) -> bool:
        return False


def apply_interface_language(lang: str) -> str:
    """Make ``lang`` the interface language of this process — ours, Qt's words and Qt's
    default locale — before the widgets that show them are made; returns the language set."""
    lang = set_interface_language(lang)
    QLocale.setDefault(qt_locale(lang))
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    if app is not None and lang != "en":
        gaps = QtGaps(lang)  # installed first, so asked last
        app.installTranslator(gaps)
        _installed.append(gaps)
        folder = qt_translations_folder()
        for name in QT_CATALOGS:
            translator = QTranslator()
            if translator.load(f"{name}_{lang}", folder):  # a build without it: Qt's English
                app.installTranslator(translator)
                _installed.append(translator)
    return lang


# -- restarting in another language ------------------------------------------------------------


@dataclass(frozen=True)
class Restart:
    """What starting the application again means: a program, its arguments, and variables
    to add to the environment it inherits."""

    program: str
    arguments: list[str]
    environment: dict[str, str] = field(default_factory=dict)


def _without_options(argv: Sequence[str], *options: str) -> list[str]:
    """``argv`` without ``--option VALUE`` and ``--option=VALUE`` of ``options`` (also as
    argparse's shortened ``--ui-lang``, at least ``--xy``), up to a ``--``."""
    out: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            out.extend(tokens[i:])
            break
        name, equals, _value = token.partition("=")
        if name.startswith("--") and len(name) >= 4 and any(option.startswith(name) for option in options):
            i += 1 if equals else 2
            continue
        out.append(token)
        i += 1
    return out


def restart_command(lang: str, target: Target, *, executable: str | None = None,
                    argv: Sequence[str] | None = None) -> Restart:
    """How to start this application again in ``lang`` on the database ``target``: the
    same interpreter, its options and our arguments (``sys.orig_argv``, so that ``python -m
    desktop`` stays so) with ``--ui-language lang`` and ``--db`` the database on show — a
    server's password goes in ``PGPASSWORD``, never on a command line others can list."""
    executable = executable or sys.executable
    if argv is None:
        argv = sys.orig_argv[1:] if getattr(sys, "orig_argv", None) else sys.argv
    arguments = _without_options(argv, UI_LANGUAGE_OPTION, DB_OPTION)
    environment: dict[str, str] = {}
    if target.path is not None:
        database = str(target.path)
    else:
        from sqlalchemy.engine import URL, make_url  # a database is open: SQLAlchemy is loaded

        url = make_url(target.url)
        if url.password:
            environment["PGPASSWORD"] = str(url.password)
            url = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
        database = url.render_as_string(hide_password=False)
    at = arguments.index("--") if "--" in arguments else len(arguments)
    arguments[at:at] = [DB_OPTION, database, UI_LANGUAGE_OPTION, lang]
    return Restart(executable, arguments, environment)


def start_detached(restart: Restart) -> bool:
    """Start ``restart``'s program on its own (it outlives this process); True when it started."""
    process = QProcess()
    process.setProgram(restart.program)
    process.setArguments(restart.arguments)
    if restart.environment:
        environment = QProcessEnvironment.systemEnvironment()
        for name, value in restart.environment.items():
            environment.insert(name, value)
        process.setProcessEnvironment(environment)
    started, _pid = process.startDetached()
    return bool(started)


class LanguageWindow(Protocol):
    """What the menu asks of the main window."""

    @property
    def settings(self) -> QSettings: ...

    @property
    def database(self) -> Database: ...

    def save_settings(self) -> None: ...

    def close(self) -> bool: ...


class InterfaceLanguageMenu(QMenu):
    """View → Interface Language: English / Русский / Қазақша, each in its own words, the
    one spoken now checked. Choosing another remembers it and restarts the application in
    it, on the same database, event and section; nothing is asked."""

    def __init__(self, window: LanguageWindow, parent: QWidget | None = None) -> None:
        super().__init__(_("Interface &Language"), parent)
        self._window = window
        self.setObjectName("interfaceLanguageMenu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self)
            action.setCheckable(True)
            action.setChecked(lang == interface_language())
            action.setData(lang)
            action.setStatusTip(_("Conference Desk starts again in this language"))
            self.group.addAction(action)
            self.addAction(action)
        self.group.triggered.connect(self._on_group_triggered)

    def action_for(self, lang: str) -> QAction:
        return next(action for action in self.group.actions() if action.data() == lang)

    def choose(self, lang: str) -> None:
        """As if the user chose ``lang`` in the menu."""
        self.action_for(lang).trigger()

    def _on_group_triggered(self, action: QAction) -> None:
        lang = str(action.data())
        window = self._window
        window.settings.setValue(INTERFACE_LANGUAGE, lang)
        if lang == interface_language():
            window.settings.sync()
            return
        window.save_settings()  # the event and section the new window comes back on
        if start_detached(restart_command(lang, window.database.target)):
            window.close()
            return
        QMessageBox.information(
            self.parentWidget(), _("Interface language"),
            _("Conference Desk could not start again by itself: the language you chose is used the next "
              "time you start it."))


__all__ = [
    "INTERFACE_LANGUAGE",
    "InterfaceLanguageMenu",
    "Restart",
    "apply_interface_language",
    "qt_locale",
    "qt_translations_folder",
    "restart_command",
    "start_detached",
    "window_language",
]
