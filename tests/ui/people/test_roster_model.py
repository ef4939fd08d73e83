"""The roster's model of a large roster (``desktop.ui.people.roster_model``): searched and
sorted in its thread, the GUI thread never waiting for the database; an answer to an older
request is dropped. ``BACKGROUND_FROM`` is lowered so that the demo's roster counts as large."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.core import collation
from desktop.core.events import list_events
from desktop.core.people import PersonRow, roster
from desktop.ui.people import roster_model
from desktop.ui.people.roster_model import PeopleModel


@pytest.fixture
def everyone(demo_db: Database) -> list[PersonRow]:
    with demo_db.read() as session:
        return roster(session, list_events(session)[0].id)


@pytest.fixture
def model(demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[PeopleModel]:
    monkeypatch.setattr(roster_model, "BACKGROUND_FROM", 10)
    made = PeopleModel()
    with demo_db.read() as session:
        made.set_source(demo_db, list_events(session)[0].id, "en")
    made.set_search("")  # the first read, at once
    assert made.in_background and not made.busy
    yield made
    qtbot.waitUntil(lambda: not made.busy)


class Gate:
    """Wraps ``_read_view``: notes the thread each query ran on, and holds the queries for
    ``held`` run off the GUI thread until ``release``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, held: str | None = None) -> None:
        self.threads: list[int] = []
        self.done = 0
        self.held, self.open = held, threading.Event()
        gui = threading.get_ident()
        real = roster_model._read_view

        def read(database: Database, ask: roster_model._Ask, **kw: bool) -> roster_model._View:
            self.threads.append(threading.get_ident())
            if ask.text == self.held and threading.get_ident() != gui:
                assert self.open.wait(10)
            try:
                return real(database, ask, **kw)
            finally:
                self.done += 1
        monkeypatch.setattr(roster_model, "_read_view", read)

    def release(self) -> None:
        self.open.set()


def test_a_search_runs_in_the_thread_and_shows_when_it_comes(model: PeopleModel, everyone: list[PersonRow],
                                                             qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    family = everyone[-1].name.split()[-1]
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_search(family)
        assert model.busy and model.rowCount() == len(everyone)  # still the list as it was
    assert not model.busy
    assert gate.threads and threading.get_ident() not in gate.threads
    assert everyone[-1].id in {r.id for r in model.rows()} and model.rowCount() < len(everyone)
    assert model.search_text == family


def test_an_answer_to_an_older_search_is_dropped(model: PeopleModel, everyone: list[PersonRow], qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, held="qqqqzz")
    family = everyone[0].name.split()[-1]
    loaded: list[int] = []
    model.loaded.connect(lambda: loaded.append(model.rowCount()))
    model.set_search("qqqqzz")             # held in the thread …
    qtbot.waitUntil(lambda: len(gate.threads) == 1)
    model.set_search(family)               # … typed on meanwhile
    gate.release()
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)
    qtbot.wait(50)                         # time for a late answer to come (it must not show)
    assert loaded == [model.rowCount()] and model.rowCount() > 0  # "qqqqzz" (nothing) never shown
    assert everyone[0].id in {r.id for r in model.rows()}


def test_reading_again_at_once_drops_the_answer_under_way(model: PeopleModel, qtbot: QtBot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, held="qqqqzz")
    loaded: list[int] = []
    model.loaded.connect(lambda: loaded.append(model.rowCount()))
    model.set_search("qqqqzz")
    qtbot.waitUntil(lambda: len(gate.threads) == 1)
    model.refresh()                        # after an edit: read now (the same search)
    assert not model.busy and model.rowCount() == 0 and loaded == [0]
    assert len(gate.threads) == 2 and gate.threads[1] == threading.get_ident()
    gate.release()
    qtbot.waitUntil(lambda: gate.done == 2, timeout=10_000)
    qtbot.wait(50)                         # time for the answer under way to come: it is not shown
    assert loaded == [0]


def test_a_sort_runs_in_the_thread_and_keeps_the_selection(model: PeopleModel, everyone: list[PersonRow],
                                                           qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    chosen = everyone[3]
    view.selectionModel().select(model.index(3, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
    assert model.row_at(3).id == chosen.id
    gate = Gate(monkeypatch)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(PeopleModel.ORGANISATION, Qt.SortOrder.DescendingOrder)
        assert model.busy and model.row_at(3).id == chosen.id  # the old order until the new one comes
    assert gate.threads and threading.get_ident() not in gate.threads
    (selected,) = {ix.row() for ix in view.selectionModel().selectedRows()}
    assert model.row_at(selected).id == chosen.id
    organisations = [model.row_at(i).organisation for i in range(model.rowCount())]
    filled = [o for o in organisations if o]
    assert len(set(filled)) > 1
    assert organisations == sorted(filled, key=lambda o: collation.key(o, "en"), reverse=True) + \
        [""] * (len(organisations) - len(filled))  # by the organisation, Z to A, those without last
