"""File → Print Programme…: a long build shows a progress dialog with Cancel, and Cancel
leaves no file; a quick one shows none."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

import desktop.exports.programme as programme
from desktop.ui.printing.programme_dialog import PROGRESS_DELAY_MS, ProgrammeDialog
from desktop.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def open_dialog(window: MainWindow) -> ProgrammeDialog:
    window.programme_actions.print_action.trigger()
    dialog = window.programme_actions.dialog
    assert isinstance(dialog, ProgrammeDialog)
    return dialog


def slowed(monkeypatch: pytest.MonkeyPatch, seconds_per_step: float, seen: list[Any]) -> None:
    """The real export, each progress step made to take ``seconds_per_step`` (a big agenda)."""
    real = programme.export_programme

    def export(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(done: int, total: int) -> bool:
            time.sleep(seconds_per_step)
            answer = progress(done, total)
            seen.append((done, answer))
            return answer
        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr(programme, "export_programme", export)


def test_a_quick_build_shows_no_progress(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_dialog(window)
    shown: list[bool] = []
    real = programme.build_programme

    def build(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(done: int, total: int) -> bool:
            shown.append(dialog.progress is not None and dialog.progress.isVisible())
            return progress(done, total)
        return real(*args, progress=step, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(programme, "build_programme", build)
        started = time.perf_counter()
        pdf = dialog.build(tmp_path)
    assert pdf is not None and pdf.is_file()
    assert time.perf_counter() - started < PROGRESS_DELAY_MS / 1000 * 4
    assert shown and not any(shown)
    assert dialog.progress is None
    dialog.reject()


def test_a_long_build_shows_progress_and_cancel_leaves_no_file(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(window)
    seen: list[tuple[int, bool]] = []
    slowed(monkeypatch, 0.02, seen)  # about 2 s in all
    visible_at: list[int] = []

    def cancel_once_shown(done: int, total: int) -> bool:
        progress = dialog.progress
        if progress is not None and progress.isVisible():
            if not visible_at:
                visible_at.append(done)
                assert "English" in progress.labelText()
                cancel = progress.findChild(QPushButton)
                assert cancel is not None and cancel.text() == "Cancel"
                cancel.click()  # the user clicks Cancel
        return True

    real = programme.export_programme

    def export(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(done: int, total: int) -> bool:
            cancel_once_shown(done, total)
            return progress(done, total)
        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr(programme, "export_programme", export)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    folder = tmp_path / "out"
    folder.mkdir()
    assert dialog.build(folder) is None
    assert visible_at and 0 < visible_at[0] < 100, "shown after half a second, before the end"
    assert seen[-1][1] is False and seen[-1][0] < 100
    assert list(folder.iterdir()) == []  # no PDF, no temporary file
    assert dialog.progress is None and dialog.isVisible()  # back to the choice, nothing printed
    # Without Cancel, the same slow build completes.
    monkeypatch.setattr(programme, "export_programme", real)
    slowed(monkeypatch, 0.0, [])
    assert dialog.build(folder) is not None
    dialog.reject()
