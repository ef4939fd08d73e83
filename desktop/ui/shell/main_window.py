"""The main window: an event chooser above four sections — Agenda, People, Registrations,
Desk — and the File, View and Help menus."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import desktop
from desktop.core import formats
from desktop.core.i18n import pick
from desktop.core.language import _, interface_language, n_, p_
from desktop.ui.shell import style
from desktop.ui.shell.ahead import prepare_sections
from desktop.ui.shell.commands import Changed, Edits
from desktop.ui.shell.event_bar import EventBar
from desktop.ui.shell.recent import RecentDatabases, recent_entry
from desktop.ui.shell.shortcuts import WindowKeysFirst
from desktop.ui.shell.status import FileNotice, open_folder
from desktop.ui.shell.window import AGENDA, DESK, PEOPLE, REGISTRATIONS, SECTIONS, Window, section_title

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.core.events import EventDetail, EventSummary
    from desktop.core.watch import Watcher
    from desktop.ui.agenda.page import AgendaPage
    from desktop.ui.desk.page import DeskPage
    from desktop.ui.people.page import PeoplePage
    from desktop.ui.registrations.page import RegistrationsPage
    from desktop.ui.shell.help import ShortcutGroup


BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}  # names: the same in every language
DATABASE_PATTERNS = "*.sqlite *.sqlite3 *.db *.deskdb"
DEFAULT_SIZE = QSize(1280, 800)
MINIMUM_SIZE = QSize(760, 520)
DATABASE_LABEL_CHARS = 36  # the status bar's database path is cut in the middle beyond this

EVENT_TABLES = ("event", "event_organisation", "room")
"""Tables whose change makes the window read the event again (its days, rooms, partners)."""
DESK_TABLES = frozenset({"check_in", "registration", "person", "organisation"})
"""Tables whose change, made by another workstation, makes the desk read its figures again."""
ELSEWHERE_DELAY_MS = 100
"""Changes of other workstations heard within this time are read again together."""
ELSEWHERE_RETRY_MS = 300
"""While the user holds the mouse, edits a cell or has a menu open, the read waits this long again."""

# Settings keys.
GEOMETRY = "window/geometry"
SECTION = "window/section"
LANGUAGE = "window/language"
LANGUAGE_PICKED = "window/language_picked"  # the user chose the content language (else it is the interface's)
LAST_DATABASE = "window/database"
LAST_EVENT = "window/event"


class SectionPage(Protocol):
    """What the window asks of a section: show an event's data in a content language."""

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None: ...


def database_filter() -> str:
    """The file dialogs' filter of databases, in the interface language."""
    # Translators: a file dialog's filter; keep ";;" and "(*)", {patterns} are the file patterns.
    return _("Conference Desk databases and desk files ({patterns});;All files (*)").format(
        patterns=DATABASE_PATTERNS)


def make_page(index: int) -> QWidget:
    """A new page for section ``index``. Sections are made (and their modules imported)
    when first shown, so that start-up pays only for the one on screen."""
    if index == AGENDA:
        from desktop.ui.agenda.page import AgendaPage

        return AgendaPage()
    if index == PEOPLE:
        from desktop.ui.people.page import PeoplePage

        return PeoplePage()
    if index == REGISTRATIONS:
        from desktop.ui.registrations.page import RegistrationsPage

        return RegistrationsPage()
    if index == DESK:
        from desktop.ui.desk.page import DeskPage

        return DeskPage()
    raise IndexError(f"no section {index}")


def demo_available() -> bool:
    """Whether this build can create the demo event (``desktop.core.demo``)."""
    return importlib.util.find_spec("desktop.core.demo") is not None


def default_size(available: QSize) -> QSize:
    """``DEFAULT_SIZE``, or nine tenths of a smaller screen (never below the minimum)."""
    width = min(DEFAULT_SIZE.width(), available.width() * 9 // 10)
    height = min(DEFAULT_SIZE.height(), available.height() * 9 // 10)
    return QSize(max(width, MINIMUM_SIZE.width()), max(height, MINIMUM_SIZE.height()))


class EmptyDatabasePage(QWidget):
    """Shown instead of the sections while the database holds no event.

    Signals:
        create_demo_requested(): the user asked for the demo event to be created.
        new_event_requested(): the user asked to set up a new event of their own.
    """

    create_demo_requested = Signal()
    new_event_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(_("This database holds no event yet"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.explanation = QLabel()
        self.explanation.setObjectName("pageSubtitle")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.new_event_button = QPushButton(_("New event…"))
        self.new_event_button.setObjectName("primaryButton")
        self.new_event_button.setToolTip(_("Set up an event of your own: titles, dates, rooms, partners (Ctrl+Alt+N)"))
        self.new_event_button.clicked.connect(self._on_new_event_button_clicked)
        self.demo_button = QPushButton(_("Create the demo event"))
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.new_event_button)
        button_row.addSpacing(8)
        button_row.addWidget(self.demo_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.addStretch(2)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addWidget(self.explanation)
        layout.addSpacing(16)
        layout.addLayout(button_row)
        layout.addStretch(3)
        self.set_demo_available(demo_available())

    def set_demo_available(self, available: bool) -> None:
        self.demo_button.setVisible(available)
        self.explanation.setText(
            _("Set up a new event, open another database from the File menu, or create the demo "
              "event — an illustrative international round table — to see what Conference Desk shows.")
            if available else
            _("Set up a new event, or open another database from the File menu.")
        )

    def _on_new_event_button_clicked(self) -> None:
        self.new_event_requested.emit()

    def _on_demo_button_clicked(self) -> None:
        self.create_demo_requested.emit()


def read_errors() -> tuple[type[BaseException], ...]:
    """What a read of the open database may raise and the window tells (SQLAlchemy is
    loaded once a database is open: the window itself is shown before)."""
    from sqlalchemy.exc import SQLAlchemyError

    return (SQLAlchemyError,)


OPENING_WAIT_S = 2.0
"""How long closing the window waits for a database still opening (then the process ends)."""


def opening_sentence(exc: BaseException) -> str:
    """What the window says when opening failed with ``exc``: the database's or the system's
    own sentence; for anything else (a fault of the program), a fixed sentence — the text
    of an unexpected exception is never shown."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import DatabaseError
    from desktop.core.errors import error_sentence

    if isinstance(exc, DatabaseError | SQLAlchemyError | OSError):
        return error_sentence(exc)
    return _("The database could not be opened because of an unexpected error in Conference Desk.")


class OpenFailed(Exception):
    """The database given at start-up could not be opened; the text is the sentence to show."""


class OpeningPage(QWidget):
    """What the window shows while the database it was started on opens in the background,
    and, when it cannot be opened, why — with the way out: another database, or quit.

    Signals:
        open_requested(), new_requested(), quit_requested(): the buttons of a failed opening.
    """

    open_requested = Signal()
    new_requested = Signal()
    quit_requested = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(_("Opening {database}…").format(database=Path(label).name or label))
        self.heading.setObjectName("pageTitle")
        self.heading.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.heading.setWordWrap(True)
        self.heading.setToolTip(label)
        self.explanation = QLabel()
        self.explanation.setObjectName("pageSubtitle")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(_("Open another database…"))
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.open_requested)
        self.new_button = QPushButton(_("New database…"))
        self.new_button.clicked.connect(self.new_requested)
        self.quit_button = QPushButton(_("Quit"))
        self.quit_button.clicked.connect(self.quit_requested)
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        for button in (self.open_button, self.new_button, self.quit_button):
            row.addWidget(button)
        row.addStretch(1)
        self.buttons.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.addStretch(2)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.explanation)
        layout.addSpacing(16)
        layout.addWidget(self.buttons)
        layout.addStretch(3)

    def show_failure(self, sentence: str) -> None:
        self.heading.setText(_("Cannot open the database"))
        self.explanation.setText(sentence)
        self.buttons.show()
        self.open_button.setFocus()


class MainWindow(Window):
    """The application window on one open database.

    It reads through ``desktop.core`` only; sections load when first shown after the
    event, the language or the database changed. Geometry, section, language and event
    are kept in ``settings`` (the application's ``QSettings`` unless one is given). Its
    signals are declared by ``Window``.
    """

    def __init__(self, database: Database | None, settings: QSettings | None = None, *,
                 opening: str | None = None) -> None:
        """On ``database``; or, with ``database`` None, a window that waits for the database
        named ``opening`` (its path or server): ``open_in_background`` opens it, and until
        then the window shows that it is opening it and offers nothing that needs it."""
        super().__init__()
        self._settings = settings if settings is not None else QSettings()
        self._recent = RecentDatabases(self._settings)
        self._database = database
        self._opener: threading.Thread | None = None
        self._waiting: dict[QAction, bool] = {}  # while there is no database: the actions and their state
        self.opening_page: OpeningPage | None = None
        self._closing = False
        self._failure: str | None = None
        self._arrived: Database | None = None  # what the opening thread opened
        self._detail: EventDetail | None = None
        self._stale: set[int] = set()
        self._watcher: Watcher | None = None  # hears what other workstations commit
        self._elsewhere: set[str] | None = set()  # tables changed elsewhere, not yet read (None: any)
        self._elsewhere_timer = QTimer(self)
        self._elsewhere_timer.setSingleShot(True)
        self._elsewhere_timer.timeout.connect(self._on_elsewhere_timer_timeout)
        self._changed_elsewhere.connect(self._on_changed_elsewhere)

        self.setWindowIcon(style.icon("app"))
        self.setMinimumSize(MINIMUM_SIZE)

        self.event_bar = EventBar()
        self.event_bar.event_chosen.connect(self._on_event_bar_event_chosen)
        self.event_bar.language_changed.connect(self._on_event_bar_language_changed)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(180)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for index, (key, _title) in enumerate(SECTIONS):
            item = QListWidgetItem(style.icon(key), section_title(index))
            item.setSizeHint(QSize(0, 44))
            self.navigation.addItem(item)

        self._pages: list[QWidget | None] = [None] * len(SECTIONS)
        self.empty_page = EmptyDatabasePage()
        self.empty_page.create_demo_requested.connect(self._on_empty_page_create_demo_requested)
        self.empty_page.new_event_requested.connect(self._on_empty_page_new_event_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_page)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.navigation)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.event_bar)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        # Permanent widgets without a stretch: the bar's temporary messages (import and merge
        # summaries, status tips) have the space on the left. A file just written is told
        # by the notice, with "Open Folder".
        self.file_notice = FileNotice()
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.file_notice)
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().setSizeGripEnabled(True)

        # Every edit is saved as it is made, so the window has no "unsaved" mark; the stack
        # lets the user take edits back.
        self.edits = Edits(self)
        self.edits.data_changed.connect(self._on_edits_data_changed)
        self.edits.failed.connect(self._on_edits_failed)
        self.undo_stack = self.edits.stack

        self._build_menus()
        self.window_keys = WindowKeysFirst(self)  # Ctrl+E and the rest work in text fields too
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)

        self._restore_settings()
        self._opened.connect(self._on_opened)
        self._open_failed.connect(self._on_open_failed)
        if database is not None:
            self._attach(database, self._remembered_event(database))
        else:
            self._wait_for_database(opening or "")

    # -- opening ------------------------------------------------------------------------

    database_ready = Signal()  # a database is shown (at start: once it is open)
    opening_failed = Signal(str)  # the database given at start-up could not be opened: why
    _opened = Signal(object)  # the Database opened in the background
    _changed_elsewhere = Signal(object)  # from the watcher's thread: the tables another process changed, or None
    rows_changed_elsewhere = Signal(object)  # another process committed: its tables, or None (for open editors)
    _open_failed = Signal(str)  # the sentence saying why it could not be opened

    ALWAYS_OFFERED = ("new_action", "open_action", "quit_action", "shortcuts_action")
    """The actions a window without a database offers (the rest need one)."""

    def _wait_for_database(self, label: str) -> None:
        self.opening_page = OpeningPage(label)
        self.opening_page.open_requested.connect(self._on_open_action_triggered)
        self.opening_page.new_requested.connect(self._on_new_action_triggered)
        self.opening_page.quit_requested.connect(self.close)
        self.stack.addWidget(self.opening_page)
        self.stack.setCurrentWidget(self.opening_page)
        self.setWindowTitle(f"Conference Desk — {Path(label).name or label}")  # a name and a file
        offered = {getattr(self, name) for name in self.ALWAYS_OFFERED}
        self._waiting = {a: a.isEnabled() for a in self.findChildren(QAction) if a not in offered}
        for action in self._waiting:
            action.setEnabled(False)
        self.navigation.setEnabled(False)
        self.event_bar.setEnabled(False)

    def open_in_background(self, opener: Callable[[], Database]) -> None:
        """Open the database with ``opener`` in a thread (the window stays responsive; a
        server that is slow to answer does not freeze it) and show it when it is open. An
        ``OpenFailed`` (or any database failure) is shown on the window as its sentence."""

        def work() -> None:
            try:
                database = opener()
            except OpenFailed as exc:
                self._open_failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - said on the window, never as a traceback
                self._open_failed.emit(opening_sentence(exc))
            else:
                self._arrived = database
                self._opened.emit(database)

        self._opener = threading.Thread(target=work, name="open-database", daemon=True)
        self._opener.start()

    @property
    def open_failure(self) -> str | None:
        """Why the database given at start-up could not be opened, while the window has
        none (None: it was opened, or another one, or it is still opening)."""
        return self._failure if self._database is None else None

    @Slot(object)  # from the opening thread: a real slot (desk/page.py says why)
    def _on_opened(self, database: Database) -> None:
        if self._database is not None or self._closing:
            database.close()  # the window was closed (or another database opened) meanwhile
            return
        self._attach(database, self._remembered_event(database))

    @Slot(str)  # from the opening thread
    def _on_open_failed(self, sentence: str) -> None:
        self._failure = sentence
        if self.opening_page is not None:
            self.opening_page.show_failure(sentence)
        self.opening_failed.emit(sentence)

    def _attach(self, database: Database, prefer_event: int | None) -> None:
        """Show ``database`` in a window that had none (at start, or after a failed start)."""
        self._database = database
        for action, enabled in self._waiting.items():
            action.setEnabled(enabled)
        self._waiting = {}
        self.event_bar.setEnabled(True)
        if self.opening_page is not None:
            self.stack.removeWidget(self.opening_page)
            self.opening_page.deleteLater()
            self.opening_page = None
        self._show_database(prefer_event=prefer_event)
        # Once the window is up, what a section's first visit would wait for is done ahead.
        QTimer.singleShot(0, self._on_prepare_timer_timeout)
        self.database_ready.emit()

    # -- menus ------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], None],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: str | None = None, tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(style.icon(icon))
        if tip is not None:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu(p_("menu", "&File"))
        self.new_action = self._action(
            _("&New database…"), self._on_new_action_triggered, QKeySequence.StandardKey.New,
            "database-new", _("Create an empty Conference Desk database file"))
        self.open_action = self._action(
            _("&Open database…"), self._on_open_action_triggered, QKeySequence.StandardKey.Open,
            "database-open", _("Open a Conference Desk database file"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(_("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        self.import_attendees_action = self._action(
            _("&Import attendees…"), self._on_import_attendees_action_triggered, "Ctrl+I",
            tip=_("Register the people of a spreadsheet or CSV list for the event"))
        file_menu.addAction(self.import_attendees_action)
        self.export_attendees_action = self._action(
            _("&Export attendees…"), self._on_export_attendees_action_triggered, "Ctrl+E",
            tip=_("Save the event's attendee list as an Excel workbook or a CSV file"))
        file_menu.addAction(self.export_attendees_action)
        from desktop.ui.shell.history import HistoryActions  # the history of changes (issue 15)

        self.history_actions = HistoryActions(self)
        file_menu.addAction(self.history_actions.export_action)
        from desktop.ui.desk.file_actions import (
            DeskFileActions,  # Export Desk File…, Merge Desk File… (dialogs load on first use)
        )

        self.desk_file_actions = DeskFileActions(self)
        file_menu.addAction(self.desk_file_actions.export_action)
        file_menu.addAction(self.desk_file_actions.merge_action)
        from desktop.ui.printing.programme_actions import (
            ProgrammeActions,  # Print Programme… (Ctrl+P), Export Calendar… (dialog loads on first use)
        )

        self.programme_actions = ProgrammeActions(self)
        file_menu.addAction(self.programme_actions.print_action)
        file_menu.addAction(self.programme_actions.calendar_action)
        from desktop.ui.printing.menu import PrintMenu  # File → Print: badges, name cards, sign-in sheet, certificates

        self.print_menu = PrintMenu(self)
        file_menu.addMenu(self.print_menu)
        file_menu.addSeparator()
        self.quit_action = self._action(_("&Quit"), self._on_quit_action_triggered, "Ctrl+Q",
                                        tip=_("Close Conference Desk (every edit is saved already)"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)

        edit_menu = self.edit_menu = bar.addMenu(p_("menu", "&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        for action in self.history_actions.actions():
            if action is not self.history_actions.export_action:
                edit_menu.addAction(action)

        from desktop.ui.events.actions import EventActions  # the Event menu: new, edit, duplicate, delete

        self.event_actions = EventActions(self, self._settings)
        self.event_menu = self.event_actions.menu
        bar.addMenu(self.event_menu)

        view_menu = self.view_menu = bar.addMenu(p_("menu", "&View"))
        self.section_actions = QActionGroup(self)
        self.section_actions.setExclusive(True)
        for i, (key, _title) in enumerate(SECTIONS):
            action = QAction(style.icon(key), section_title(i), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.setCheckable(True)
            action.setData(i)
            self.section_actions.addAction(action)
            view_menu.addAction(action)
        self.section_actions.triggered.connect(self._on_section_actions_triggered)
        view_menu.addSeparator()
        self.refresh_action = self._action(
            _("&Refresh"), self._on_refresh_action_triggered, QKeySequence.StandardKey.Refresh,
            "refresh", _("Read the event again (another desk may have checked people in)"))
        view_menu.addAction(self.refresh_action)
        from desktop.ui.shell.ui_language import InterfaceLanguageMenu  # English / Русский / Қазақша

        view_menu.addSeparator()
        self.interface_language_menu = InterfaceLanguageMenu(self, self)
        view_menu.addMenu(self.interface_language_menu)

        help_menu = self.help_menu = bar.addMenu(p_("menu", "&Help"))
        self.shortcuts_action = self._action(
            _("&Keyboard Shortcuts"), self._on_shortcuts_action_triggered, QKeySequence.StandardKey.HelpContents,
            tip=_("List every keyboard shortcut of the window"))
        help_menu.addAction(self.shortcuts_action)
        self.data_folder_action = self._action(
            _("Open &Data Folder"), self._on_data_folder_action_triggered,
            tip=_("Show the folder of the open database in the file manager"))
        help_menu.addAction(self.data_folder_action)
        help_menu.addSeparator()
        self.about_action = self._action(_("&About Conference Desk"), self._on_about_action_triggered,
                                         tip=_("The version of Conference Desk and where its data is"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self._recent.entries()
        for n, entry in enumerate(entries, start=1):
            name = Path(entry).name if "://" not in entry else entry
            action = self.recent_menu.addAction(f"&{n}  {name}")
            action.setToolTip(entry)
            action.setStatusTip(entry)
            action.setData(entry)
            action.triggered.connect(self._on_recent_entry_triggered)
        if entries:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(_("Clear list"), self._on_clear_recent_triggered)
            clear.setStatusTip(_("Forget the databases opened before (no file is deleted)"))
        self.recent_menu.setEnabled(bool(entries))
        self.recent_menu.setToolTipsVisible(True)

    # -- public -----------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self._database

    @property
    def detail(self) -> EventDetail | None:
        """The event on show, or None when the database holds none."""
        return self._detail

    @property
    def settings(self) -> QSettings:
        """Where the window and its sections keep what they remember."""
        return self._settings

    def page(self, index: int) -> QWidget:
        """The page of section ``index``, made now if it was not yet."""
        page = self._pages[index]
        if page is None:
            page = make_page(index)
            self._pages[index] = page
            self.stack.addWidget(page)
        return page

    @property
    def agenda_page(self) -> AgendaPage:
        return cast("AgendaPage", self.page(AGENDA))

    @property
    def people_page(self) -> PeoplePage:
        return cast("PeoplePage", self.page(PEOPLE))

    @property
    def registrations_page(self) -> RegistrationsPage:
        return cast("RegistrationsPage", self.page(REGISTRATIONS))

    @property
    def desk_page(self) -> DeskPage:
        return cast("DeskPage", self.page(DESK))

    def current_section(self) -> int:
        return self.navigation.currentRow()

    def show_section(self, index: int) -> None:
        """Show section ``index`` (``AGENDA``, ``PEOPLE``, ``REGISTRATIONS``, ``DESK``)."""
        self.navigation.setCurrentRow(index)

    def data_folder(self) -> Path | None:
        """The folder of the open database file; None when the database is on a server."""
        path = self._database.target.path
        return path.parent if path is not None else None

    def show_file_written(self, message: str, path: Path) -> None:
        self.file_notice.show_file(message, path)

    def shortcut_groups(self) -> list[ShortcutGroup]:
        """Every shortcut of the window: the menus', then each section's (all sections are
        made for it)."""
        from desktop.ui.shell.help import menu_group, section_group

        groups = [menu_group(menu) for action in self.menuBar().actions()
                  if isinstance(menu := action.menu(), QMenu)]
        groups += [section_group(section_title(index), self.page(index)) for index in range(len(SECTIONS))]
        return groups

    def show_shortcuts(self) -> QDialog:
        """Help → Keyboard Shortcuts: the list, opened (``shortcuts_dialog``)."""
        from desktop.ui.shell.help import ShortcutsDialog  # loaded when first used

        dialog = ShortcutsDialog(self.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()
        return dialog

    def open_database_at(self, target: str) -> bool:
        """Open the database at ``target`` in this window; on failure tell the user and
        keep the current one. True when it was opened."""
        from db.engine import DatabaseError, open_database
        from desktop.core.errors import error_sentence

        try:
            database = open_database(target)
        except DatabaseError as exc:
            QMessageBox.critical(self, _("Cannot open the database"), error_sentence(exc))
            return False
        self._replace_database(database)
        return True

    # -- database and event -----------------------------------------------------------

    def refresh(self) -> None:
        """Read the event again from the database (after an edit, an import, another desk)."""
        self._load_events(self._detail.summary.id if self._detail is not None else None)

    def load_event(self, event_id: int | None) -> None:
        """List the events again and show ``event_id`` (the first one when it is gone or None)."""
        self._load_events(event_id)

    def _replace_database(self, database: Database) -> None:
        self.undo_stack.clear()  # its commands belong to the database being closed
        self.file_notice.dismiss()
        old = self._database
        if old is None:  # the window had none: its start-up database could not be opened
            self._attach(database, None)
            return
        self._database = database
        self._stop_watching()  # the old database's: before it is closed
        if old is not database:
            desk = self._pages[DESK]
            if desk is not None:  # what was scanned on the old database is written to it first
                cast("DeskPage", desk).finish_queued()
            old.close()
        self._show_database(prefer_event=None)

    def _show_database(self, prefer_event: int | None) -> None:
        database = self._database
        backend = BACKENDS.get(database.dialect, database.dialect)
        # A long path is cut in the middle (the tooltip has it whole): the bar's messages
        # keep their room.
        metrics = self.database_label.fontMetrics()
        shown = metrics.elidedText(database.label, Qt.TextElideMode.ElideMiddle,
                                   metrics.averageCharWidth() * DATABASE_LABEL_CHARS)
        # Translators: the status bar; {path} is the database's file or server, {backend} "SQLite" or
        # "PostgreSQL" (keep the spaced dot between them).
        self.database_label.setText(_("Database: {path}   ·   {backend}").format(path=shown, backend=backend))
        self.database_label.setToolTip(database.label)
        self.data_folder_action.setEnabled(self.data_folder() is not None)
        entry = recent_entry(database)
        if entry is not None:
            self._recent.add(entry)
        self._update_recent_menu()
        self._watch(database)  # before the first read: a commit made after it is heard
        self._load_events(prefer_event)
        self.database_changed.emit(database.label)
        # The damage check (PRAGMA quick_check) runs before the first write; start it now, in
        # a thread, so that the first check-in or edit does not wait for it.
        QTimer.singleShot(0, database.check_in_background)

    def _load_events(self, prefer_event: int | None) -> None:
        from desktop.core.events import list_events

        events: list[EventSummary] = []
        try:
            with self._database.read() as session:
                events = list_events(session)
        except read_errors() as exc:
            self._report_read_error(exc)
        ids = [ev.id for ev in events]
        current = prefer_event if prefer_event in ids else (ids[0] if ids else None)
        self.event_bar.set_events(events, current)
        self._set_event(current)

    def _set_event(self, event_id: int | None) -> None:
        from desktop.core.events import EventNotFound, event_detail

        detail: EventDetail | None = None
        if event_id is not None:
            try:
                with self._database.read() as session:
                    detail = event_detail(session, event_id)
            except (*read_errors(), EventNotFound) as exc:
                self._report_read_error(exc)
        self._detail = detail
        has_event = detail is not None
        self.navigation.setEnabled(has_event)
        self.section_actions.setEnabled(has_event)
        self._update_title()
        self._stale = set(range(len(SECTIONS)))
        if has_event:
            self._show_page(self.current_section())
        else:
            self.empty_page.set_demo_available(demo_available())
            self.stack.setCurrentWidget(self.empty_page)
        self.event_changed.emit(detail.summary.id if detail is not None else 0)

    def _update_title(self) -> None:
        ev = self.event_bar.current_event()
        if ev is None or self._detail is None:
            self.setWindowTitle(f"Conference Desk — {Path(self._database.label).name}")  # a name and a file
        else:
            title = pick(ev.title, self.event_bar.language).text or _("Untitled event")
            self.setWindowTitle(f"{title} — Conference Desk")

    def _show_page(self, index: int) -> None:
        if not 0 <= index < len(SECTIONS):
            index = AGENDA
        page = self.page(index)
        if index in self._stale and self._detail is not None:
            try:
                cast(SectionPage, page).show_event(self._database, self._detail, self.event_bar.language)
                self._stale.discard(index)
            except read_errors() as exc:
                self._report_read_error(exc)
        self.stack.setCurrentWidget(page)
        action = self.section_actions.actions()[index]
        if not action.isChecked():
            action.setChecked(True)

    def _report_read_error(self, exc: Exception) -> None:
        from desktop.core.errors import error_sentence

        # Translators: {database} is the database's file or server; {reason} one sentence why.
        QMessageBox.warning(self, _("Cannot read the database"),
                            _("Conference Desk could not read {database}:\n{reason}").format(
                                database=self._database.label, reason=error_sentence(exc)))

    # -- settings ---------------------------------------------------------------------

    def _remembered_event(self, database: Database) -> int | None:
        if self._settings.value(LAST_DATABASE) != database.label:
            return None
        return self._int_setting(LAST_EVENT)

    def _int_setting(self, key: str) -> int | None:
        value = self._settings.value(key)
        try:
            return int(value) if isinstance(value, int | str) else None
        except ValueError:
            return None

    def _restore_settings(self) -> None:
        geometry = self._settings.value(GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(default_size(self.screen().availableGeometry().size()))
        # The content language follows the interface language until the user picks another.
        language = self._settings.value(LANGUAGE)
        picked = str(self._settings.value(LANGUAGE_PICKED, False)).lower() == "true"
        self.event_bar.set_language(str(language) if picked and language else interface_language())
        section = self._int_setting(SECTION)
        if section is None or not 0 <= section < len(SECTIONS):
            section = AGENDA
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(section)
        self.navigation.blockSignals(False)

    def save_settings(self) -> None:
        """Remember geometry, section, language, and the event of this database."""
        self._settings.setValue(GEOMETRY, self.saveGeometry())
        self._settings.setValue(SECTION, self.current_section())
        self._settings.setValue(LANGUAGE, self.event_bar.language)
        if self._database is None:  # never opened: what was remembered of the last one stays
            self._settings.sync()
            return
        self._settings.setValue(LAST_DATABASE, self._database.label)
        if self._detail is not None:
            self._settings.setValue(LAST_EVENT, self._detail.summary.id)
        else:
            self._settings.remove(LAST_EVENT)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self._stop_watching()
        self.save_settings()
        super().closeEvent(event)
        if self._opener is not None:
            # Wait a little for a database still opening, so that the process does not end in
            # the middle of its imports; one that arrived but was never shown is closed here
            # (the event loop may be gone before its "opened" is delivered).
            self._opener.join(timeout=OPENING_WAIT_S)
            arrived = self._arrived
            if arrived is not None and arrived is not self._database:
                arrived.close()
                self._arrived = None

    # -- slots ------------------------------------------------------------------------

    def _on_edits_data_changed(self, changed: Changed) -> None:
        """After every edit, undo or redo: read again what it touched. A change to the
        events themselves (their list, dates, rooms, partners) reads the event again, and
        with it every section; otherwise only the sections that show the tables it wrote.
        The section on screen then hears of it (to select what the edit was about)."""
        if changed.touches(*EVENT_TABLES):
            # An event made or deleted (or its undo) says which event to show; any other
            # change keeps the one on show (the first, when it is gone).
            from desktop.core.changes import RowRef

            chosen = changed.select
            if isinstance(chosen, RowRef) and chosen.table == "event":
                self._load_events(chosen.id)
            else:
                self.refresh()
        else:
            for index, page in enumerate(self._pages):
                if page is not None and changed.tables & getattr(page, "TABLES", changed.tables):
                    self._stale.add(index)
            if self._detail is not None and self.current_section() in self._stale:
                self._show_page(self.current_section())
        page = self._pages[self.current_section()] if 0 <= self.current_section() < len(self._pages) else None
        hear = getattr(page, "on_data_changed", None)
        if callable(hear):
            hear(changed)

    def _on_edits_failed(self, title: str, sentence: str) -> None:
        # Over the editor that was saving (it stays open: desktop.ui.shell.saving), else the window.
        QMessageBox.warning(QApplication.activeModalWidget() or self, title, sentence)

    # -- other workstations' changes ----------------------------------------------------

    def _watch(self, database: Database) -> None:
        """Hear what other processes commit to ``database`` (``desktop.core.watch``)."""
        from desktop.core.watch import Watcher

        self._stop_watching()
        self._watcher = Watcher(database, self._on_watcher_change)

    def _stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._elsewhere = set()
        self._elsewhere_timer.stop()

    def _on_watcher_change(self, tables: frozenset[str] | None) -> None:
        """On the watcher's thread: hand the news to the window's (a queued signal)."""
        try:
            self._changed_elsewhere.emit(tables)
        except RuntimeError:
            pass  # the window is gone meanwhile

    @Slot(object)  # from the watcher's thread
    def _on_changed_elsewhere(self, tables: frozenset[str] | None) -> None:
        if self._closing or self._watcher is None:
            return  # news of a database closed meanwhile
        self.rows_changed_elsewhere.emit(tables)  # an open editor looks whether its row changed
        if tables is None or self._elsewhere is None:
            self._elsewhere = None
        else:
            self._elsewhere |= tables
        if not self._elsewhere_timer.isActive():
            self._elsewhere_timer.start(ELSEWHERE_DELAY_MS)

    def _busy_with_the_mouse_or_an_editor(self) -> bool:
        """Whether reading the section again now would take something from under the
        user's hands: a mouse button held (a drag in the timetable, a selection being
        drawn), an open menu or list, or a cell being edited in place."""
        from PySide6.QtWidgets import QAbstractItemView, QApplication

        if QApplication.mouseButtons() != Qt.MouseButton.NoButton or QApplication.activePopupWidget() is not None:
            return True
        focus = QApplication.focusWidget()
        while focus is not None:
            parent = focus.parentWidget()
            if isinstance(parent, QWidget) and isinstance(parent.parentWidget(), QAbstractItemView) \
                    and parent is cast(QAbstractItemView, parent.parentWidget()).viewport():
                return True  # an editor lives in the viewport of its view
            focus = parent
        return False

    def _on_elsewhere_timer_timeout(self) -> None:
        if self._busy_with_the_mouse_or_an_editor():
            self._elsewhere_timer.start(ELSEWHERE_RETRY_MS)
            return
        tables, self._elsewhere = self._elsewhere, set()
        self.show_changes_elsewhere(tables)

    def show_changes_elsewhere(self, tables: frozenset[str] | set[str] | None) -> None:
        """Show what another workstation changed (``tables``; None: anything may have), in
        place: the sections that show those tables are read again — the one on show now,
        keeping its selection and scroll position (and any dialog open over it), the
        others when next shown. The desk reads its figures again off this thread."""
        if self._database is None or tables == set():
            return
        if self._detail is None:  # an empty database: another desk may have made an event
            if tables is None or bool(set(tables) & {"event"}):
                self._load_events(None)
            return
        try:
            if tables is None or set(tables) & set(EVENT_TABLES):
                if not self._read_event_again():
                    return
                self._stale = set(range(len(SECTIONS)))
            else:
                for index, page in enumerate(self._pages):
                    if page is None:
                        continue
                    shown = DESK_TABLES if index == DESK else getattr(page, "TABLES", None)
                    if shown is None or set(tables) & shown:
                        self._stale.add(index)
        except read_errors() as exc:
            self.statusBar().showMessage(self._read_failure(exc), 8000)
            return
        current = self.current_section()
        if current == DESK and current in self._stale:
            # Not show_event, which counts everything afresh on this thread for a small event.
            self._stale.discard(current)
            cast("DeskPage", self.page(DESK)).refresh()
        elif current in self._stale:
            self._show_page(current)

    def _read_event_again(self) -> bool:
        """Read the list of events and the event on show again, without leaving it; False
        when it is gone (the first event is shown instead)."""
        from desktop.core.events import EventNotFound, event_detail, list_events

        assert self._detail is not None
        event_id = self._detail.summary.id
        with self._database.read() as session:
            events = list_events(session)
            if event_id not in {ev.id for ev in events}:
                detail = None
            else:
                try:
                    detail = event_detail(session, event_id)
                except EventNotFound:
                    detail = None
        if detail is None:
            self._load_events(None)
            return False
        self.event_bar.set_events(events, event_id)
        self._detail = detail
        self._update_title()
        self.event_changed.emit(event_id)  # the same event, read again: its menus and logos follow
        return True

    def _read_failure(self, exc: Exception) -> str:
        from desktop.core.errors import error_sentence

        # Translators: the status bar; {reason} is one sentence why.
        return _("Another workstation's change could not be read: {reason}").format(reason=error_sentence(exc))

    def _on_prepare_timer_timeout(self) -> None:
        prepare_sections(self._database.dialect, self.event_bar.language)

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if self._detail is not None:
            self._show_page(row)

    def _on_section_actions_triggered(self, action: QAction) -> None:
        self.show_section(int(action.data()))

    def _on_event_bar_event_chosen(self, event_id: int) -> None:
        self._set_event(event_id)

    def _on_event_bar_language_changed(self, _lang: str) -> None:
        self._settings.setValue(LANGUAGE_PICKED, True)
        self._update_title()
        self._stale = set(range(len(SECTIONS)))
        if self._detail is not None:
            self._show_page(self.current_section())

    def _on_refresh_action_triggered(self) -> None:
        self.refresh()

    def _on_shortcuts_action_triggered(self) -> None:
        self.show_shortcuts()

    def _on_data_folder_action_triggered(self) -> None:
        folder = self.data_folder()
        if folder is not None:
            open_folder(folder)

    def _on_new_action_triggered(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("New database"), str(self._dialog_folder() / "conference.sqlite"), database_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if not Path(path).suffix:
            path += ".sqlite"
        if Path(path).exists() and Path(path).stat().st_size > 0:
            QMessageBox.warning(
                self, _("The file already exists"),
                _("{path} already exists. Choose another name, or open it with File → Open database….").format(
                    path=path))
            return
        if not self.open_database_at(path):
            return
        if self._detail is None and demo_available():
            answer = QMessageBox.question(
                self, _("New database"),
                _("The new database is empty. Create the demo event in it?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._create_demo()

    def _on_open_action_triggered(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Open database"), str(self._dialog_folder()),
                                                    database_filter())
        if path:
            self.open_database_at(path)

    def _on_recent_menu_about_to_show(self) -> None:
        self._update_recent_menu()

    def _on_recent_entry_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_database_at(str(action.data()))

    def _on_clear_recent_triggered(self) -> None:
        self._recent.clear()
        self._update_recent_menu()

    def _on_export_attendees_action_triggered(self) -> None:
        if self._detail is None:
            self.statusBar().showMessage(_("There is no event to export: open or create one first."), 8000)
            return
        from desktop.ui.registrations.export_dialog import ExportDialog  # loaded when first used

        dialog = ExportDialog(self._database, self._detail.summary.id, self.event_bar.language, self, self._settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._on_export_dialog_exported)
        dialog.open()

    def _on_export_dialog_exported(self, path: str, rows: int) -> None:
        # Translators: {n} is a number of attendees, {path} the file written.
        self.show_file_written(n_("Exported {n} attendee to {path}", "Exported {n} attendees to {path}", rows).format(
            n=formats.number(rows), path=path), Path(path))

    def _on_import_attendees_action_triggered(self) -> None:
        self.start_import()

    def start_import(self, path: Path | None = None) -> QWidget | None:
        """Open the import wizard into the current event — on ``path`` when given (a file
        given on the command line): the wizard reads it and shows its columns. Without an
        event, says so on the status bar and returns None."""
        if self._detail is None:
            self.statusBar().showMessage(_("There is no event to import into: open or create one first."), 8000)
            return None
        from desktop.ui.registrations.import_wizard import ImportWizard  # loaded when first used

        wizard = ImportWizard(self._database, self._detail.summary.id, self.event_bar.language, self, self._settings,
                              start_file=path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self._on_import_wizard_imported)
        wizard.open()
        return wizard

    def import_when_ready(self, path: Path) -> None:
        """Start the import wizard on ``path`` once a database is shown (at once when one is);
        nothing when the database given at start-up cannot be opened."""
        if self._database is not None:
            self.start_import(path)
            return

        def start() -> None:
            self.database_ready.disconnect(start)
            self.start_import(path)

        self.database_ready.connect(start)

    def _on_import_wizard_imported(self, report: object) -> None:
        from desktop.core.importing import ImportReport

        self.refresh()
        if isinstance(report, ImportReport):
            self.statusBar().showMessage(report.summary(), 15000)

    def _on_quit_action_triggered(self) -> None:
        self.close()

    def _on_about_action_triggered(self) -> None:
        self.show_about()

    def show_about(self) -> QMessageBox:
        """Help → About: the version, the build's date and commit (``desktop.build_sentence``),
        the open database and its folder (with "Open Data Folder"); the box is ``about_box``
        while it is open."""
        from html import escape as html_escape  # not at start-up: its entity tables cost ~3 ms

        folder = self.data_folder()
        # Translators (the About box): {folder} is a folder, {database} a database's file or server.
        where = (_("Data folder: {folder}").format(folder=html_escape(str(folder))) if folder is not None else
                 _("The database is on a PostgreSQL server: it has no folder on this computer."))
        paragraphs = (
            _("Agendas, speaker rosters, registrations and the check-in desk for conferences, round tables "
              "and seminars — in English, Russian and Kazakh, offline or on a shared PostgreSQL server."),
            _("Open now: {database}").format(database=html_escape(self._database.label)),
            where,
        )
        heading = f"Conference Desk {desktop.__version__}"  # the name, written alike in every language
        build = html_escape(desktop.build_sentence())  # the build's date and commit, or "not a build"
        box = QMessageBox(QMessageBox.Icon.NoIcon, _("About Conference Desk"),
                          f"<h3>{heading}</h3><p><small>{build}</small></p>"
                          + "".join(f"<p>{p}</p>" for p in paragraphs),
                          QMessageBox.StandardButton.Close, self)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if folder is not None:
            button = box.addButton(_("Open Data Folder"), QMessageBox.ButtonRole.ActionRole)
            button.setObjectName("openDataFolderButton")
            button.clicked.connect(self._on_data_folder_action_triggered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box = box
        box.open()
        return box

    def _on_empty_page_create_demo_requested(self) -> None:
        self._create_demo()

    def _on_empty_page_new_event_requested(self) -> None:
        self.event_actions.new_action.trigger()

    # -- helpers ----------------------------------------------------------------------

    def _create_demo(self) -> None:
        from db.engine import DatabaseError
        from desktop.core.demo import (
            create_demo,  # only when asked: it is not needed to start
        )
        from desktop.core.errors import error_sentence

        try:
            event_id = create_demo(self._database)
        except (*read_errors(), DatabaseError) as exc:
            QMessageBox.critical(self, _("Cannot create the demo event"), error_sentence(exc))
            return
        self._load_events(event_id)

    def _dialog_folder(self) -> Path:
        path = self._database.target.path
        if path is not None and path.parent.is_dir():
            return path.parent
        return Path(os.path.expanduser("~"))
