"""The Registrations section in Russian and Kazakh: the page (its filters, actions, context
menu, counts, empty-table notes, status-bar messages and Edit → Undo words), the Register and
Details dialogs, each page of the import wizard walked with a real small file (a skipped row,
a duplicate, a row with a warning) and the export dialog show no English message of the
catalog, nor English words in a row; core's sentences they show (the import's verdicts,
warnings and report, the edits' refusals) come in the language asked. In English the same
walk finds English messages, so the check can fail.

``CONFERENCE_DESK_SHOTS=/folder`` saves what the test shows, at 1280×800, to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import Category, Registration, Status
from desktop.core.events import event_detail, list_events
from desktop.core.language import words
from desktop.core.registration_edit import RegistrationError, registration_details, remove_registrations
from desktop.ui.registrations.dialogs import DetailsDialog, RegisterDialog
from desktop.ui.registrations.export_dialog import ExportDialog
from desktop.ui.registrations.import_wizard import (
    FILTERS,
    MAPPING_PAGE,
    PREVIEW_PAGE,
    REPORT_PAGE,
    ImportWizard,
)
from desktop.ui.registrations.page import RegistrationsPage
from desktop.ui.shell.main_window import REGISTRATIONS, MainWindow
from desktop.ui.shell.ui_language import apply_interface_language
from tests.import_files import write_xlsx
from tests.ui.visible_texts import english_left, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SHOTS = os.environ.get("CONFERENCE_DESK_SHOTS")

# A list with a title row, a row without a name (skipped), a bad e-mail (skipped), a gender
# no one knows (a warning), a new organisation, and the same person twice (a duplicate).
ROWS = [
    ["Список участников"],
    ["ФИО", "Место работы", "Эл. почта", "Пол"],
    ["Сәрсенбаева Айгүл Нұрланқызы", "Жоғарғы Сот", "a.sarsenbayeva@example.kz", "ж"],
    ["", "Минюст", "nobody@example.kz", ""],
    ["Иванов Иван Иванович", "Минюст", "ivanov@", "м"],
    ["Омаров Ерлан", "Новое агентство", "omarov@example.kz", "?"],
    ["Омаров Ерлан", "Новое агентство", "OMAROV@example.kz", "м"],
]

# English words in a row ("Not checked in", "the roster"): a text the catalogs do not know
# shows itself by them; the roster's names, e-mails and file names have none.
_ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{2,}\s+(?:the|of|to|in|on|and|or|is|not|no|with|by|for|from|at|a|an|as)\b",
                            re.IGNORECASE)
_DATA = re.compile(r"\S+@\S+|\S+\.(?:xlsx|xls|ods|csv|txt)\b|\w+/\w+|\(Ctrl\+\w\)", re.IGNORECASE)


def _no_english(texts: Iterable[str], lang: str, at_least: int) -> None:
    texts = [t for t in texts if t and t.strip()]
    assert len(set(texts)) >= at_least, texts  # the walk found the widgets' texts
    left = english_left(texts, lang)
    assert not left, f"English messages in {lang}: {left}"
    words_left = [t for t in texts if _ENGLISH_WORDS.search(_DATA.sub("", t.replace("&", "")))]
    assert not words_left, f"English words in {lang}: {words_left}"


def _shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()  # the layouts settle first, as on screen
    picture = widget.grab()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        picture.save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, styled_app: QApplication) -> Iterator[str]:
    """The interface language of the test (ours, Qt's words and locale), English after it:
    for the whole process, since the import runs in a thread of its own."""
    before = QLocale()
    yield apply_interface_language(request.param)
    apply_interface_language("en")
    QLocale.setDefault(before)


@pytest.fixture
def event_id(demo_db: Database) -> int:
    with demo_db.read() as session:
        return list_events(session)[0].id


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles and texts of the questions and warnings the section asks and shows (the
    questions answered yes)."""
    said: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        said.extend([title, text])
        return QMessageBox.StandardButton.Yes

    def warning(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        said.extend([title, text])
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    return said


def _window(qtbot: QtBot, database: Database, settings: QSettings) -> MainWindow:
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(REGISTRATIONS)
    qtbot.waitUntil(window.registrations_page.isVisible)
    return window


def test_the_page_speaks_the_interface_language(qtbot: QtBot, demo_db: Database, settings: QSettings,
                                                event_id: int, asked: list[str], lang: str) -> None:
    window = _window(qtbot, demo_db, settings)
    page: RegistrationsPage = window.registrations_page
    _shot(window, f"registrations-{lang}")
    texts = visible_texts(page)
    status: list[str] = []

    # A bulk edit, an edit of one, nothing to change, a removal refused, a removal made.
    page.view.selectAll()
    page.set_field(page.selected_ids()[:3], "status", Status.CONFIRMED)
    status += [window.statusBar().currentMessage(), window.undo_stack.undoText()]
    page.view.clearSelection()
    page.view.selectRow(0)
    page.set_field(page.selected_ids(), "category", Category.OBSERVER)
    status += [window.statusBar().currentMessage(), window.undo_stack.undoText()]
    page.set_field(page.selected_ids(), "category", Category.OBSERVER)
    status.append(window.statusBar().currentMessage())
    checked_in = next(r.id for r in page.model.rows() if r.checked_in_at is not None)
    with pytest.raises(RegistrationError) as refused, demo_db.write() as session:
        remove_registrations(session, [checked_in])
    status.append(str(refused.value))
    page.view.selectRow(next(i for i, r in enumerate(page.model.rows()) if r.checked_in_at is None and i > 0))
    page.remove_action.trigger()  # asks, and is answered yes
    status += [window.statusBar().currentMessage(), window.undo_stack.undoText()]
    page.view.selectAll()
    texts += [page.selection_label.text(), page.count_label.text()]
    _shot(page, f"registrations-selected-{lang}")

    # The empty-table notes: a search that finds nobody, with and without filters.
    page.search_field.setText("zzzz qqqq")
    page._apply_filter()
    texts += [page.empty_label.text(), page.count_label.text()]
    _shot(window, f"registrations-no-match-{lang}")
    page.checked_in_filter.setCurrentIndex(page.checked_in_filter.findData("yes"))
    texts.append(page.empty_label.text())
    page.search_field.setText("")
    for index in range(1, page.status_filter.count()):  # a status nobody checked in has
        page.status_filter.setCurrentIndex(index)
        if page.model.total == 0:
            break
    assert page.model.total == 0 and page.empty_label.text()
    texts += [page.empty_label.text(), page.count_label.text()]
    _shot(window, f"registrations-empty-{lang}")

    assert len([t for t in status if t]) >= 8 and len(asked) == 2
    assert page.count_label.text() != "" and words(lang).n_("{n} registration", "{n} registrations", 2) != \
        "{n} registrations"
    _no_english(texts + status + asked, lang, 40)


def test_the_register_and_details_dialogs_speak_it(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                   event_id: int, lang: str) -> None:
    dialog = RegisterDialog(demo_db, event_id, lang)
    qtbot.addWidget(dialog)
    dialog.resize(dialog.sizeHint())
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = visible_texts(dialog)
    _shot(dialog, f"register-roster-{lang}")
    dialog.person_search.setText("zzzz")
    dialog._search_roster()
    texts.append(dialog.problem.text())
    dialog.tabs.setCurrentIndex(RegisterDialog.NEW)
    texts.append(dialog.problem.text())  # no name yet
    dialog.family_name.setText("Нұрланова")
    dialog.email.setText("aliya@")
    texts.append(dialog.problem.text())
    dialog.organisation.setEditText("Алматы облыстық соты")
    texts += visible_texts(dialog)
    _shot(dialog, f"register-new-{lang}")
    # The surname first, as the region asks for names.
    form = dialog.family_name.parentWidget().layout()
    assert form.indexOf(dialog.family_name) < form.indexOf(dialog.given_name)

    with demo_db.read() as session:
        detail = event_detail(session, event_id)
        first = session.scalar(select(func.min(Registration.id)).where(Registration.event_id == event_id))
        details = registration_details(session, first, lang)
    details_dialog = DetailsDialog(details, detail, dt.UTC)
    qtbot.addWidget(details_dialog)
    details_dialog.show()
    qtbot.waitExposed(details_dialog)
    texts += visible_texts(details_dialog)
    _shot(details_dialog, f"details-{lang}")
    _no_english(texts, lang, 30)


def _wizard_texts(wizard: ImportWizard) -> list[str]:
    texts = visible_texts(wizard)
    texts += [w.toPlainText() for w in wizard.findChildren(QPlainTextEdit)]
    page = wizard.currentPage()
    return texts + [page.title(), page.subTitle()]


def test_every_page_of_the_import_wizard_speaks_it(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                    event_id: int, tmp_path: Path, asked: list[str],
                                                    lang: str) -> None:
    path = write_xlsx(tmp_path / "участники.xlsx", ROWS, merges=["A1:D1"])
    wizard = ImportWizard(demo_db, event_id, lang)
    wizard.resize(1280, 800)
    wizard.show()
    qtbot.waitExposed(wizard)
    try:
        texts = _wizard_texts(wizard)
        _shot(wizard, f"import-1-file-{lang}")
        wizard.file_page.path_edit.setText(str(tmp_path / "missing.csv"))
        wizard.next()  # a file that is not there: said, and the wizard stays
        wizard.file_page.path_edit.setText(str(path))
        wizard.next()
        assert wizard.currentId() == MAPPING_PAGE
        texts += _wizard_texts(wizard)
        _shot(wizard, f"import-2-columns-{lang}")
        wizard.mapping_page.set_field("A", None)  # no names: the page says what is wrong
        texts.append(wizard.mapping_page.problem_label.text())
        wizard.mapping_page.set_field("A", "full_name")
        wizard.next()
        assert wizard.currentId() == PREVIEW_PAGE
        preview = wizard.preview_page
        plan = wizard.plan
        assert plan is not None and plan.skipped == 2 and plan.duplicates == 1 and plan.with_warnings()
        for index in range(len(FILTERS)):
            preview.filter_combo.setCurrentIndex(index)
            texts += _wizard_texts(wizard)
            for row in range(preview.model.rowCount()):
                preview.view.setCurrentIndex(preview.model.index(row, 0))
                texts.append(preview.row_label.text())
        preview.filter_combo.setCurrentIndex(0)
        _shot(wizard, f"import-3-preview-{lang}")
        wizard.next()  # imports, then shows the report
        qtbot.waitUntil(lambda: wizard.currentId() == REPORT_PAGE, timeout=10_000)
        report = wizard.report
        assert report is not None and report.problem_lines()
        texts += _wizard_texts(wizard) + [report.summary(), report.details(), *report.problem_lines()]
        texts.append(wizard.import_page.status_label.text())
        _shot(wizard, f"import-5-report-{lang}")
        assert wizard.button(QWizard.WizardButton.FinishButton).text() != "&Finish"
    finally:
        wizard.wait_for_import()
        wizard.close()
        wizard.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(asked) == 2  # the missing file
    _no_english(texts + asked, lang, 60)


def test_the_export_dialog_speaks_it(qtbot: QtBot, styled_app: QApplication, demo_db: Database, event_id: int,
                                     settings: QSettings, lang: str) -> None:
    dialog = ExportDialog(demo_db, event_id, lang, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_columns(["name", "organisation", "email"])  # contact details: the warning shows
    texts = visible_texts(dialog) + [dialog.count_label.text(), dialog.suggested_path().name]
    _shot(dialog, f"export-{lang}")
    for i in range(dialog.status_list.count()):
        dialog.status_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    texts.append(dialog.problem() or "")
    dialog.set_columns([])
    texts.append(dialog.count_label.text())
    assert words(lang).p_("file name", "{title} — attendees {date}").split()[-2] in dialog.suggested_path().name
    _no_english(texts, lang, 40)


def test_in_english_the_same_walk_finds_english(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                                event_id: int) -> None:
    dialog = ExportDialog(demo_db, event_id, "en")
    qtbot.addWidget(dialog)
    found = english_left(visible_texts(dialog), "ru")
    assert "Export attendees" in found and "Tick the columns to export; drag them into the order you want." in found
    with pytest.raises(AssertionError):
        _no_english(visible_texts(dialog), "ru", 1)
