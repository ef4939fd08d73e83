"""A select-all of a long table costs no call into the model per cell: the column header
does not look at the view's selection (``desktop.ui.shell.table.detach_header_selection``)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from desktop.ui.shell.table import Column, RowTableModel, configure_table

ROWS = 3000


class CountingModel(RowTableModel):
    """A table model that counts the calls to its ``flags``."""

    def __init__(self) -> None:
        super().__init__([Column(title, lambda r: str(r)) for title in ("A", "B", "C", "D")])
        self.flags_calls = 0

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        self.flags_calls += 1
        return super().flags(index)


def shown_table(qtbot: QtBot, detach: bool = True) -> tuple[QTableView, CountingModel]:
    model = CountingModel()
    model.set_rows(list(range(ROWS)))
    view = QTableView()
    qtbot.addWidget(view)
    configure_table(view, model)
    view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)  # as Registrations'
    if not detach:  # as Qt makes it: the header shares the view's selection
        view.horizontalHeader().setSelectionModel(view.selectionModel())
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()
    return view, model


def select_all_and_paint(view: QTableView, model: CountingModel) -> int:
    model.flags_calls = 0
    view.selectAll()
    view.repaint()
    view.horizontalHeader().repaint()
    QApplication.processEvents()
    return model.flags_calls


def test_select_all_asks_for_the_flags_of_the_rows_on_screen_only(qapp: QApplication, qtbot: QtBot) -> None:
    view, model = shown_table(qtbot)
    assert view.horizontalHeader().selectionModel() is not view.selectionModel()
    calls = select_all_and_paint(view, model)
    assert len(view.selectionModel().selection()) == 1
    assert view.selectionModel().selection()[0].bottom() == ROWS - 1
    assert calls < 500  # the cells painted, not the 12,000 of the table


def test_without_it_qt_asks_for_every_cell_of_the_selection(qapp: QApplication, qtbot: QtBot) -> None:
    """The measurement the fix rests on: were Qt to stop asking, this would fail and the
    header could share the view's selection again."""
    view, model = shown_table(qtbot, detach=False)
    assert select_all_and_paint(view, model) >= ROWS
