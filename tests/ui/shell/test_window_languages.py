"""The whole window in Russian and Kazakh (issue 10's end-to-end check): the main window on the
demo, in the interface language, walked through every section and view — the Agenda's outline
and timetable, People's roster, speakers and organisations, Registrations, the Desk — with every
menu of the menu bar opened, the Keyboard Shortcuts window and the About box: no visible text,
tooltip, status tip, header or cell is an English message of the catalogs
(``tests/ui/visible_texts.py``), and the shell's own texts (menus, navigation, status bar, its
dialogs) hold no English words in a row either.

In English the same walk finds the messages (so the check can fail). With
``CONFERENCE_DESK_SHOTS`` naming a folder, each section is saved there as a PNG at 1280×800
and 1600×1000, and each menu opened, to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.core.language import LANGUAGE_NAMES, interface_language
from desktop.ui.agenda.page import OUTLINE, TIMETABLE
from desktop.ui.people.page import ORGANISATIONS, ROSTER, SPEAKERS
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.ui_language import apply_interface_language
from desktop.ui.shell.window import AGENDA, DESK, PEOPLE, REGISTRATIONS, SECTIONS
from tests.ui.visible_texts import action_texts, english_left, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SHOTS = os.environ.get("CONFERENCE_DESK_SHOTS")  # a folder: the pictures go there, to look at
SIZES = (QSize(1280, 800), QSize(1600, 1000))

# English words in a row ("Open the", "list of"): a text that is not a message of the
# catalogs yet shows itself by them. Names, e-mails and file paths of the demo have none.
_ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{2,}\s+(?:the|of|to|in|on|and|or|is|not|no|with|by|for|from|yet|at|a|an)"
                            r"\b", re.IGNORECASE)
_DATA = re.compile(r"\S+@\S+|\S*[/\\]\S+|Conference Desk|PostgreSQL|SQLite")  # e-mails, paths, names


def english_words(texts: Iterable[str]) -> list[str]:
    return [t for t in dict.fromkeys(texts) if _ENGLISH_WORDS.search(_DATA.sub(" ", t.replace("&", "")))]


def interface_texts(texts: Iterable[str]) -> list[str]:
    """``texts`` without the languages' own names: View → Interface Language offers each
    language in its own words ("English", "Русский", "Қазақша") in every language."""
    own = set(LANGUAGE_NAMES.values())
    return [t for t in texts if t not in own]


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, styled_app: QApplication) -> Iterator[str]:
    """The interface language of the test (ours, Qt's words and locale), English after it."""
    before = QLocale()
    yield apply_interface_language(request.param)
    apply_interface_language("en")
    QLocale.setDefault(before)


def open_window(qtbot: QtBot, database: Database, settings: QSettings) -> MainWindow:
    window = MainWindow(database, settings)  # made in the interface language, as run() makes it
    qtbot.addWidget(window)
    window.resize(SIZES[0])
    window.show()
    qtbot.waitExposed(window)
    return window


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def menu_texts(qtbot: QtBot, window: MainWindow, lang: str) -> list[str]:
    """Every menu of the menu bar (and its submenus) opened, as a person opens them: the texts
    of their actions after ``aboutToShow`` filled them in."""
    texts: list[str] = []

    def walk(menu: QMenu, name: str) -> None:
        menu.aboutToShow.emit()
        texts.append(menu.title())
        texts.extend(action_texts(menu.actions()))
        if SHOTS:
            menu.popup(window.mapToGlobal(window.rect().center()))  # drawn as it drops down
            qtbot.waitUntil(menu.isVisible, timeout=2000)
            shot(menu, f"menu-{lang}-{name}")
            menu.close()
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{name}-{sub.objectName() or len(texts)}")

    for index, action in enumerate(window.menuBar().actions()):
        menu = action.menu()
        assert isinstance(menu, QMenu)
        walk(menu, str(index))
    return interface_texts(texts)


def walk_sections(qtbot: QtBot, window: MainWindow, lang: str) -> dict[str, list[str]]:
    """The visible texts of the window on each section and view (at both sizes when shots
    are asked for): {"agenda outline": [...], ...}."""
    found: dict[str, list[str]] = {}

    def look(name: str) -> None:
        QApplication.processEvents()
        stack = window.stack
        pages = [w for i in range(stack.count()) if (w := stack.widget(i)) is not None]
        hidden = [w for w in pages if w is not stack.currentWidget()]  # the sections not on show
        found[name] = interface_texts(visible_texts(window, skip=hidden))
        for size in SIZES if SHOTS else SIZES[:1]:
            window.resize(size)
            QApplication.processEvents()
            shot(window, f"window-{lang}-{name.replace(' ', '-')}-{size.width()}")
        window.resize(SIZES[0])

    window.show_section(AGENDA)
    for view, name in ((OUTLINE, "outline"), (TIMETABLE, "timetable")):
        window.agenda_page.show_view(view)
        look(f"agenda {name}")
    window.show_section(PEOPLE)
    for view, name in ((ROSTER, "roster"), (SPEAKERS, "speakers"), (ORGANISATIONS, "organisations")):
        window.people_page.show_view(view)
        look(f"people {name}")
    window.show_section(REGISTRATIONS)
    look("registrations")
    window.show_section(DESK)
    look("desk")
    return found


def shell_texts(qtbot: QtBot, window: MainWindow) -> list[str]:
    """What the shell itself shows: the navigation, the status bar with a file notice, the
    title, the Keyboard Shortcuts window and the About box."""
    written = Path(window.database.label).with_name("attendees.xlsx")
    window._on_export_dialog_exported(str(written), 120)  # "Exported 120 attendees to …", with Open Folder
    assert window.file_notice.isVisible() and window.file_notice.path == written
    texts = [window.windowTitle(), window.file_notice.message]
    texts += visible_texts(window.navigation) + visible_texts(window.statusBar())
    window.statusBar().showMessage(window.refresh_action.statusTip())  # a status tip beside the notice
    for size in SIZES:
        window.resize(size)
        QApplication.processEvents()
        shot(window.statusBar(), f"status-{interface_language()}-{size.width()}")
    dialog = window.show_shortcuts()
    qtbot.waitExposed(dialog)
    shot(dialog, f"shortcuts-{interface_language()}")
    texts += visible_texts(dialog)
    dialog.close()
    box = window.show_about()
    qtbot.waitExposed(box)
    texts += [box.windowTitle(), box.text()] + [b.text() for b in box.buttons()]
    shot(box, f"about-{interface_language()}")
    box.close()
    return texts


def test_every_section_and_menu_speaks_the_interface_language(
        qtbot: QtBot, lang: str, demo_db: Database, settings: QSettings) -> None:
    window = open_window(qtbot, demo_db, settings)
    sections = walk_sections(qtbot, window, lang)
    menus = menu_texts(qtbot, window, lang)
    shell = shell_texts(qtbot, window)

    assert len(sections) == 7 and all(len(set(texts)) > 20 for texts in sections.values()), sections
    assert [window.navigation.item(i).text() for i in range(len(SECTIONS))] == \
        [a.text() for a in window.section_actions.actions()]
    left = {name: english_left(texts, lang) for name, texts in sections.items()}
    left["menus"] = english_left(menus, lang)
    left["shell"] = english_left(shell, lang)
    assert not any(left.values()), f"English in {lang}: { {k: v for k, v in left.items() if v} }"
    # The shell's texts are all ours: no English words at all, even those no catalog knows.
    assert not english_words(menus + shell), english_words(menus + shell)


def test_in_english_the_walk_finds_the_messages(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                settings: QSettings) -> None:
    """The same walk in English finds the catalogs' messages and English words: the checks
    above can fail."""
    window = open_window(qtbot, demo_db, settings)
    sections = walk_sections(qtbot, window, "en")
    menus = menu_texts(qtbot, window, "en")
    assert {"&File", "&Import attendees…", "&Keyboard Shortcuts"} <= set(english_left(menus, "ru"))
    assert all(english_left(texts, "ru") for texts in sections.values())
    assert english_words(menus)


def test_the_menu_bar_and_the_navigation_hold_their_words(qtbot: QtBot, lang: str, demo_db: Database,
                                                         settings: QSettings) -> None:
    """At the window's smallest size the menu bar keeps its five menus in one row, and the
    navigation (a fixed width) shows each section's name whole beside its icon."""
    window = open_window(qtbot, demo_db, settings)
    window.resize(window.minimumSize())
    QApplication.processEvents()
    bar = window.menuBar()
    assert len({bar.actionGeometry(a).top() for a in bar.actions()}) == 1, "the menu bar wraps"
    navigation = window.navigation
    metrics = navigation.fontMetrics()
    room = navigation.viewport().width() - navigation.iconSize().width() - 40  # the item's padding and gaps
    for row in range(navigation.count()):
        text = navigation.item(row).text()
        assert metrics.horizontalAdvance(text) <= room, (text, room)


def test_the_about_box_and_errors_name_the_database_in_the_language(
        qtbot: QtBot, lang: str, demo_db: Database, settings: QSettings, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """The open-database error and the new-database question come in the language too."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *_a: said.extend([title, text]))
    window = open_window(qtbot, demo_db, settings)
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    assert not window.open_database_at(str(folder))
    assert len(said) == 2 and not english_left(said, lang) and not english_words(said[:1]), said
    shown = [a for a in window.findChildren(QAction) if a.statusTip()]
    assert shown and not english_left([a.statusTip() for a in shown], lang)
