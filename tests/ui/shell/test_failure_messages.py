"""The window's message when a database cannot be opened: the sentence of the failure,
naming the file — locked by another program, read-only, damaged — in the interface
language, never "not a Conference Desk database" for a lock, never SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

import db.engine as engine_module
from desktop.core.language import speaking
from desktop.ui.shell.main_window import MainWindow
from tests.conditions import locked, read_only
from tests.databases import Templates


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a, **k: said.append(text))
    return said


@pytest.fixture
def other_file(tmp_path: Path, db_templates: Templates) -> Path:
    (tmp_path / "other").mkdir()
    return db_templates.copy_sqlite("demo", tmp_path / "other" / "desk.sqlite")


def test_a_locked_file_is_said_locked(window: MainWindow, other_file: Path, shown: list[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    with locked(other_file):
        assert window.open_database_at(str(other_file)) is False
    assert len(shown) == 1
    assert str(other_file) in shown[0] and "locked by another program" in shown[0]
    assert "not a Conference Desk database" not in shown[0]


def test_a_read_only_file_is_said_read_only_in_russian(window: MainWindow, other_file: Path,
                                                       shown: list[str]) -> None:
    with read_only(other_file.parent), speaking("ru"):
        assert window.open_database_at(str(other_file)) is False
    assert len(shown) == 1
    assert str(other_file) in shown[0] and "только для чтения" in shown[0]
