"""Printing in Russian and Kazakh: the print dialog of each kind (its options, counts and
nobody-to-print notes), its progress dialog and the preview it opens, the programme dialog
with its progress and preview, the PDF preview's toolbar, page counter, save and print
messages, File → Print and the programme's actions show no English message of the catalog
and no English word of their own; PNGs of the dialogs go to /tmp (print-*-ru.png, …)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Registration
from desktop.core.events import list_events
from desktop.core.language import speaking, words
from desktop.exports import programme
from desktop.ui.printing import pdf_preview
from desktop.ui.printing.dialogs import (
    BADGES,
    CERTIFICATES,
    CHECKED_IN,
    EVERYONE,
    KINDS,
    NAME_CARDS,
    SELECTED,
    SIGN_IN,
    PrintDialog,
    ready_message,
)
from desktop.ui.printing.pdf_preview import PdfPreviewDialog
from desktop.ui.printing.programme_dialog import ProgrammeDialog
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.ui_language import apply_interface_language
from tests.ui.visible_texts import action_texts, english_left, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SHOTS = Path("/tmp")
# Words every language writes alike (formats, names of things); anything else in Latin letters
# on these dialogs is English that was never marked for the catalogs.
KEPT = {"PDF", "QR", "ID", "Letter", "iCalendar", "ics", "pdf", "Ctrl"}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The interface language of the test, with Qt's own words (as the application sets them)."""
    apply_interface_language(request.param)
    try:
        yield request.param
    finally:
        apply_interface_language("en")


def _event_id(database: Database) -> int:
    with database.read() as session:
        return list_events(session)[0].id


def _checked(texts: list[str], lang: str, at_least: int, data: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """None of ``texts`` is an English message, nor holds a Latin word outside ``KEPT`` and
    the data shown (``data``: the event's title, file names)."""
    assert len(set(texts)) >= at_least, texts  # the walk found the texts
    left = english_left(texts, lang)
    assert not left, f"English in {lang}: {left}"
    allowed = KEPT | {w for d in data for w in _LATIN_WORD.findall(d)}
    latin = sorted({t for t in texts for w in _LATIN_WORD.findall(t) if w not in allowed})
    assert not latin, f"Latin words in {lang}: {latin}"


def _whole(widget: QWidget) -> None:
    """Every label and button of ``widget`` shows its whole text (no clipping)."""
    for label in widget.findChildren(QLabel):
        if label.isVisibleTo(widget) and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width() - 1, (label.text(), label.width())
    for button in widget.findChildren(QPushButton):
        if button.isVisibleTo(widget) and button.text():
            assert button.width() >= button.sizeHint().width() - 1, (button.text(), button.width())
    for combo in widget.findChildren(QComboBox):  # as wide as its longest choice
        if combo.isVisibleTo(widget):
            assert combo.width() >= combo.sizeHint().width() - 1, (combo.currentText(), combo.width())


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The previews the print dialog opened: their texts, noted instead of waiting for the user."""
    shown: list[dict[str, Any]] = []

    def fake_exec(self: PdfPreviewDialog) -> int:
        self.show()
        shown.append({"title": self.windowTitle(), "texts": visible_texts(self), "name": self._suggested_name,
                      "whole": self.grab()})
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return shown


@pytest.mark.parametrize("kind", [BADGES, NAME_CARDS, SIGN_IN, CERTIFICATES])
def test_the_print_dialog_speaks_the_interface_language(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
        previews: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, lang: str, kind: str) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *_a: told.extend([title, text]))
    with demo_db.read() as s:
        ids = list(s.scalars(select(Registration.id).order_by(Registration.id).limit(3)))
    dialog = PrintDialog(demo_db, _event_id(demo_db), kind, lang=lang, selected_ids=ids, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = dialog.event_label.text()
    texts = visible_texts(dialog)
    for who in (EVERYONE, CHECKED_IN, SELECTED):
        dialog.set_who(who)
        texts += [dialog.count_label.text(), dialog._nobody()]
        qtbot.wait(1)
        _whole(dialog)
    assert dialog.windowTitle() == words(lang)._(KINDS[kind].window_title) != KINDS[kind].window_title
    assert dialog.count_label.text() != ""
    dialog.grab().save(str(SHOTS / f"print-{kind}-{lang}.png"))

    dialog.set_who(SELECTED)
    with qtbot.waitSignal(dialog.built, timeout=30000):
        dialog.build()
        progress = dialog.progress_dialog
        assert progress is not None
        cancel = progress.findChild(QPushButton)
        assert cancel is not None
        texts += [progress.labelText(), progress.windowTitle(), cancel.text()]
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    assert dialog.last_result is not None
    texts += [previews[0]["title"], *previews[0]["texts"], ready_message(dialog.last_result)]
    previews[0]["whole"].save(str(SHOTS / f"print-preview-{kind}-{lang}.png"))
    _checked(texts, lang, 15, {title, previews[0]["title"]})
    # The suggested file is named in the language printed.
    assert words(lang).p_("file name", KINDS[kind].file_word) in previews[0]["name"]


def test_nothing_to_print_is_said_in_it(qtbot: QtBot, styled_app: QApplication, demo_db: Database,
                                        settings: QSettings, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *_a: told.extend([title, text]))
    dialog = PrintDialog(demo_db, _event_id(demo_db), CERTIFICATES, lang=lang, settings=settings)
    qtbot.addWidget(dialog)
    dialog._count = 0  # as if nobody were checked in yet
    dialog.preview_button.setEnabled(True)
    dialog.preview_button.click()
    assert len(told) == 2
    _checked(told, lang, 2)


def test_the_programme_dialog_and_its_preview_speak_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    dialog = ProgrammeDialog(demo_db, _event_id(demo_db), lang, None, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = dialog.findChild(QLabel).text()
    texts = visible_texts(dialog)
    _whole(dialog)
    dialog.grab().save(str(SHOTS / f"print-programme-{lang}.png"))
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(f"{lang}+en"))

    real = programme.export_programme
    seen: list[str] = []

    def export(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        shown = dialog.progress
        assert shown is not None
        cancel = shown.findChild(QPushButton)
        seen.extend([shown.labelText(), shown.windowTitle(), cancel.text() if cancel else ""])
        return real(*args, progress=progress, **kwargs)

    monkeypatch.setattr(programme, "export_programme", export)
    dialog.preview_button.click()
    preview = dialog.preview
    assert isinstance(preview, PdfPreviewDialog)  # it deletes itself when closed
    qtbot.waitExposed(preview)
    texts += seen + visible_texts(preview)
    assert all(seen) and words(lang)._("Programme — {languages}").split("—")[0].strip() in preview.windowTitle()
    _checked(texts, lang, 12, {title})
    preview.close()


def test_the_preview_toolbar_and_its_messages_speak_it(
        qtbot: QtBot, styled_app: QApplication, tmp_path: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from tests.ui.printing.test_pdf_preview import make_pdf

    pdf = make_pdf(tmp_path / "sample.pdf", 5)
    preview = PdfPreviewDialog(pdf, title="—", suggested_name="sample", settings=settings)
    qtbot.addWidget(preview)
    preview.resize(1000, 760)
    preview.show()
    qtbot.waitExposed(preview)
    texts = visible_texts(preview)
    with speaking(lang):
        assert preview.page_label.text() == words(lang)._("Page {n} of {m}").format(n=1, m=5)
    _whole(preview)
    preview.grab().save(str(SHOTS / f"print-preview-toolbar-{lang}.png"))
    # Save: the file dialog's words, where it went, and a folder that is not there.
    told: list[str] = []
    asked: list[str] = []
    targets = [tmp_path / "copy.pdf", tmp_path / "missing" / "copy.pdf"]

    def save_as(_parent: Any, caption: str, _where: str, kinds: str) -> tuple[str, str]:
        asked.extend([caption, kinds])
        return str(targets.pop(0)), ""

    monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(pdf_preview, "announce_file", lambda _w, message, _p: told.append(message) or True)
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *_a: told.extend([title, text]))
    preview._on_save_button_clicked()  # saved
    preview._on_save_button_clicked()  # a folder that is not there
    assert len(told) == 3 and (tmp_path / "copy.pdf").is_file(), told
    texts += asked + told
    _checked(texts, lang, 12, {str(tmp_path / "missing" / "copy.pdf")})


def test_file_print_and_the_programme_actions_speak_it(
        qtbot: QtBot, styled_app: QApplication, demo_db: Database, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from desktop.ui.printing import programme_dialog

    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)
    actions = window.programme_actions
    texts = [window.print_menu.title(), *visible_texts(window.print_menu),
             *action_texts([actions.print_action, actions.calendar_action])]
    # Each item of File → Print has a key of its own.
    keys = [re.search(r"&(\w)", a.text()).group(1).lower() for a in window.print_menu.actions()  # type: ignore[union-attr]
            if not a.isSeparator()]
    assert len(set(keys)) == len(keys), keys
    # Export Calendar: the file dialog's words and what the status bar says.
    asked: list[str] = []

    def save_as(_parent: Any, caption: str, _where: str, kinds: str) -> tuple[str, str]:
        asked.extend([caption, kinds])
        return str(tmp_path / "agenda.ics"), ""

    monkeypatch.setattr(programme_dialog.QFileDialog, "getSaveFileName", save_as)
    actions.calendar_action.trigger()
    notice = window.file_notice.message
    assert (tmp_path / "agenda.ics").is_file() and notice
    _checked(texts + asked + [notice], lang, 12, {str(tmp_path / "agenda.ics")})
