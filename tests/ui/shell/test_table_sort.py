"""A table's column without a sort key of its own sorts its texts in the interface
language's alphabet (``desktop.core.collation``), empty cells last either way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.language import speaking
from desktop.ui.shell.table import Column, RowTableModel

NAMES = ["Ёлкина", "", "Smith", "Абдрахманов", "Ефимов", "Әлиев"]
ORDERS = {
    "ru": ["Абдрахманов", "Әлиев", "Ёлкина", "Ефимов", "Smith"],
    "kk": ["Абдрахманов", "Әлиев", "Ефимов", "Ёлкина", "Smith"],
    "en": ["Smith", "Абдрахманов", "Әлиев", "Ёлкина", "Ефимов"],
}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_texts_sort_by_the_interface_languages_alphabet(qapp: QApplication, lang: str) -> None:
    model = RowTableModel([Column("Name", lambda r: r)])
    model.set_rows(NAMES)
    with speaking(lang):
        model.sort(0, Qt.SortOrder.AscendingOrder)
        ascending = [model.index(i, 0).data() for i in range(model.rowCount())]
        model.sort(0, Qt.SortOrder.DescendingOrder)
        descending = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert ascending == [*ORDERS[lang], ""]
    assert descending == [*ORDERS[lang][::-1], ""]
