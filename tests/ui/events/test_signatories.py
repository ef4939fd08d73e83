"""The event dialog's Certificates tab: who signs the certificates, typed in each language,
saved as one undoable edit, refused while a title has no name; and printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.event_edit import load_settings
from desktop.ui.events.dialog import EventDialog
from desktop.ui.shell.main_window import MainWindow
from tests.exports.pdf_tools import page_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _open(qtbot: QtBot, window: MainWindow) -> Any:
    window.event_actions.edit_action.trigger()
    dialog = window.event_actions.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _event_id(window: MainWindow) -> int:
    current = window.event_bar.current_event()
    assert current is not None
    return current.id


def _saved(window: MainWindow) -> Any:
    with window.database.read() as s:
        return load_settings(s, _event_id(window)).data


def test_signatories_typed_saved_undone_and_printed(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog: EventDialog = _open(qtbot, window)
    dialog.tabs.setCurrentIndex(3)
    assert dialog.tabs.tabText(3) == "Certi&ficates"
    grid = dialog.signatories
    qtbot.keyClicks(grid.edit("signatory1_name", "en"), "Asel Kassymova")
    # (QTest types ASCII only: the Russian is put in as an input method would.)
    grid.edit("signatory1_name", "ru").insert("Касымова Асель")
    grid.edit("signatory1_title", "ru").insert("Председатель комиссии")
    qtbot.keyClicks(grid.edit("signatory2_title", "en"), "Head of Office")
    assert not dialog.ok_button.isEnabled()
    assert grid.edit("signatory2_name", "en").property("invalid")
    assert "second signatory has a title but no name" in dialog.problems.text()
    assert "⚠" in dialog.tabs.tabText(3)
    qtbot.keyClicks(grid.edit("signatory2_name", "en"), "Volker Frobarth")
    assert dialog.ok_button.isEnabled() and "⚠" not in dialog.tabs.tabText(3)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    data = _saved(window)
    assert data.signatory1_name == {"en": "Asel Kassymova", "ru": "Касымова Асель"}
    assert data.signatory1_title == {"ru": "Председатель комиссии"}
    assert data.signatory2_name == {"en": "Volker Frobarth"} and data.signatory2_title == {"en": "Head of Office"}

    from desktop.exports.certificates import export_certificates

    out = tmp_path / "ru.pdf"
    export_certificates(window.database, out, _event_id(window), lang="ru", only_checked_in=False)
    text = page_texts(out)[0]
    assert "Касымова Асель" in text and "Председатель комиссии" in text and "Volker Frobarth" in text

    again = _open(qtbot, window)  # the dialog shows what was saved
    assert again.signatories.value("signatory1_name") == {"en": "Asel Kassymova", "ru": "Касымова Асель"}
    again.reject()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    data = _saved(window)
    assert (data.signatory1_name, data.signatory2_name, data.signatory2_title) == ({}, {}, {})
