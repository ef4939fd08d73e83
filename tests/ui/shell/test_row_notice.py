"""An open editor tells when another workstation changed its row (issue 15, part 3): the
yellow notice at the person editor's top shows within 2 s of the other's commit, naming
who, when and what; not for a change to someone else, nor for the window's own edits; the
fields typed in the dialog stay as they were. On SQLite and on PostgreSQL.

The other workstation is a second ``Database`` on the same file or server, editing through
core (``update_person``: the history's lines and the announcement, as a window's edit).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Organisation, Person
from desktop.core import people
from desktop.core.changes import set_author
from desktop.core.language import speaking
from desktop.core.organisations import load_organisation, update_organisation
from desktop.core.row_news import RowNews, mark_row, news_since, row_version
from desktop.ui.people import commands
from desktop.ui.shell.main_window import PEOPLE, MainWindow
from desktop.ui.shell.row_notice import RowNotice, news_text

DEADLINE_MS = 2000
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def database(demo: tuple[Database, int]) -> Database:
    return demo[0]


@pytest.fixture
def other(workstation_2: Database) -> Database:
    """Workstation 2 (``tests/conftest.py``)."""
    return workstation_2

@pytest.fixture
def window(qtbot: QtBot, styled_app: QApplication, database: Database, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(database, QSettings(str(tmp_path / "ws1.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(QSize(1100, 700))
    win.show()
    qtbot.waitExposed(win)
    watcher = win._watcher
    assert watcher is not None and watcher.ready.wait(10)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not win._elsewhere_timer.isActive(), timeout=DEADLINE_MS)
    yield win
    win.close()


def _people(database: Database, n: int) -> list[int]:
    with database.read() as s:
        return [int(i) for i in s.scalars(select(Person.id).order_by(Person.id).limit(n))]


def _change_phone(database: Database, person_id: int, phone: str, who: str = "Workstation 2") -> None:
    """Workstation 2 saves a new phone from an editor it opened just now."""
    set_author(who)
    try:
        with database.write() as s:
            base = people.load_person(s, person_id, with_photo=False)
            people.update_person(s, person_id, _with(base, phone=phone), base=base)
    finally:
        set_author("")


def _with(data: Any, **values: Any) -> Any:
    from dataclasses import replace

    return replace(data, **values)


def _open_person(window: MainWindow, person_id: int) -> Any:
    window.show_section(PEOPLE)
    page = window.people_page
    page._open_person_dialog(person_id)
    dialog = page.person_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _fence(qtbot: QtBot, window: MainWindow, other: Database) -> None:
    """Wait until the window heard a commit the other makes now (an organisation's country):
    whatever the window would hear of what was committed before has been heard."""
    heard: list[object] = []
    window.rows_changed_elsewhere.connect(heard.append)
    try:
        with other.write() as s:
            org_id = int(s.scalars(select(Organisation.id).order_by(Organisation.id)).first())
            base = load_organisation(s, org_id)
            country = "FR" if base.country != "FR" else "DE"
            update_organisation(s, org_id, _with(base, country=country), base=base)
        qtbot.waitUntil(lambda: bool(heard), timeout=DEADLINE_MS)
        qtbot.wait(20)  # the notice's own look (on a server: a thread) comes back
    finally:
        window.rows_changed_elsewhere.disconnect(heard.append)


def test_the_notice_shows_when_the_other_changes_the_person_open(qtbot: QtBot, window: MainWindow,
                                                                 other: Database) -> None:
    person_id = _people(window.database, 1)[0]
    dialog = _open_person(window, person_id)
    notice: RowNotice = dialog.row_notice
    assert not notice.isVisible()
    dialog.email.setText("typed.here@example.org")  # the user is typing
    typed = dialog.person_data()
    start = time.monotonic()
    _change_phone(other, person_id, "+7 700 555 0101")
    qtbot.waitUntil(notice.isVisible, timeout=DEADLINE_MS)
    assert time.monotonic() - start < DEADLINE_MS / 1000
    news = notice.news
    assert news is not None and news.who == "Workstation 2" and news.fields == ("phone",)
    sentence = notice.label.text()
    assert sentence.startswith("Workstation 2 changed this at ")
    assert "(Phone)" in sentence and "saved on top" in sentence
    assert dialog.person_data() == typed  # nothing changed under the user's hands
    assert dialog.phone.text() != "+7 700 555 0101"
    dialog.reject()


def test_no_notice_for_someone_else_nor_for_the_windows_own_edits(qtbot: QtBot, window: MainWindow,
                                                                  other: Database) -> None:
    first, second, third = _people(window.database, 3)
    dialog = _open_person(window, first)
    notice: RowNotice = dialog.row_notice
    # The other workstation changes someone else.
    _change_phone(other, second, "+7 700 555 0202")
    _fence(qtbot, window, other)
    assert not notice.isVisible()
    # This window saves something else (another person), and then this very person (as an
    # undo or a save from elsewhere in the window would): its own edits are no news.
    with window.database.read() as s:
        data3 = people.load_person(s, third, with_photo=False)
        data1 = people.load_person(s, first, with_photo=False)
    assert window.edits.run(commands.edit_person(third, _with(data3, phone="+7 700 555 0303"), base=data3),
                            window.database) is not None
    assert window.edits.run(commands.edit_person(first, _with(data1, phone="+7 700 555 0404"), base=data1),
                            window.database) is not None
    _fence(qtbot, window, other)
    qtbot.wait(400)  # SQLite: a look at the file after the window's own commits too
    assert not notice.isVisible()
    # Then the other changes this person: now it is news.
    _change_phone(other, first, "+7 700 555 0505")
    qtbot.waitUntil(notice.isVisible, timeout=DEADLINE_MS)
    assert notice.news is not None and notice.news.who == "Workstation 2"
    dialog.reject()


def test_news_since_leaves_out_the_windows_own_edits(database: Database, other: Database) -> None:
    person_id = _people(database, 1)[0]
    with database.read() as s:
        mark = mark_row(s, "person", person_id)
    assert mark is not None
    with database.read() as s:
        assert row_version(s, mark) == mark.version
        assert news_since(s, mark) is None
    with database.write() as s:
        base = people.load_person(s, person_id, with_photo=False)
        mine = people.update_person(s, person_id, _with(base, phone="+7 700 555 0606"), base=base)
    assert mine.edit is not None
    with database.read() as s:
        assert row_version(s, mark) == mark.version + 1
        assert news_since(s, mark, {mine.edit}) is None
        theirs = news_since(s, mark)
    assert theirs is not None and theirs.fields == ("phone",)
    _change_phone(other, person_id, "+7 700 555 0707", who="Workstation 2")
    with database.read() as s:
        news = news_since(s, mark, {mine.edit})
    assert news is not None and news.who == "Workstation 2" and news.fields == ("phone",)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_sentence_in_each_language(lang: str) -> None:
    when = dt.datetime(2025, 3, 4, 10, 42, tzinfo=dt.UTC)
    now = when.astimezone()
    with speaking(lang):
        plain = news_text(RowNews("Workstation 2", when), "person", lang, now)
        fields = news_text(RowNews("Workstation 2", when, ("phone", "position")), "person", lang, now)
        many = news_text(RowNews("", when, ("phone", "position", "email", "bio")), "person", lang, now)
        gone = news_text(RowNews("Workstation 2", when, deleted=True), "person", lang, now)
    for sentence in (plain, fields, many, gone):
        assert "{" not in sentence and sentence.endswith(".")
    assert "Workstation 2" in plain and "Workstation 2" in gone and "Workstation 2" not in many
    assert fields != plain and "(" in fields and "(" not in many
    if lang != "en":
        assert "changed" not in plain and "while it was open" not in fields
