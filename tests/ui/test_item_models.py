"""Every item model of the window, checked by pytest-qt's model tester, and their details.

Each model class of ``desktop/ui`` has a function here (``@states_of``) that makes the model and
yields it in the states worth checking; a test walks the source of ``desktop/ui`` and fails for
a model class that has none, so a new model cannot go unchecked.
"""

from __future__ import annotations

import ast
import datetime as dt
import uuid as uuid_mod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from sqlalchemy import select

from db.engine import Database, open_database
from db.models import (
    AgendaItem,
    Category,
    CheckIn,
    CheckInAction,
    ItemKind,
    PartnerRole,
    Registration,
    RoleKind,
    Sector,
    Status,
)
from desktop.core.agenda import AgendaEntry, OnStage, load_agenda
from desktop.core.conflicts import Conflict, find_conflicts
from desktop.core.demo import CHECKED_IN
from desktop.core.desk import desk_matches
from desktop.core.desk_file import SUFFIX, export_desk_file, merge_desk_file
from desktop.core.event_edit import PartnerSpec, load_settings, organisation_info, room_rows
from desktop.core.events import list_events
from desktop.core.folding import matches, search_fold, search_terms
from desktop.core.importing import Outcome, open_source, preview_import
from desktop.core.merge import plan_merge
from desktop.core.organisations import organisation_rows
from desktop.core.people import roster, speakers
from desktop.core.registrations import (
    RegistrationFilter,
    RegistrationRow,
    recent_check_ins,
    registration_rows,
)
from desktop.ui.agenda.conflicts_panel import CONFLICT_ROLE, ConflictListModel
from desktop.ui.agenda.model import EntryKey
from desktop.ui.agenda.page import AgendaModel, on_stage
from desktop.ui.desk.file_dialogs import ConflictModel as DeskConflictModel
from desktop.ui.desk.page import DeskMatchesModel, RecentCheckInsModel
from desktop.ui.events.dialog import PartnersModel, PartnerState, RoomsModel, RoomState
from desktop.ui.people.merge_dialog import MergeModel
from desktop.ui.people.organisations import OrganisationsModel
from desktop.ui.people.page import PeopleModel, SpeakersModel
from desktop.ui.registrations.import_wizard import FILTERS, VerdictModel
from desktop.ui.registrations.page import RegistrationsModel, event_zone, local_time
from desktop.ui.shell.history import HistoryModel
from desktop.ui.shell.table import Column, RowTableModel
from tests.core.registration_data import Sample, build
from tests.images import png
from tests.import_files import write_csv

# -- every model, in every state worth checking ------------------------------------------------
#
# ``MODEL_STATES`` holds, for each item model class of ``desktop/ui``, a function that makes the
# model and yields it in each state worth checking: empty, holding the demo event's data, and
# sorted, filtered or edited where the model can be. The model tester checks every state (and
# every change between them, through the model's signals). The last tests walk the source of
# ``desktop/ui`` for item model classes and fail for one that has no entry here.

UI_PACKAGE = "desktop.ui"
UI_DIR = Path(__file__).resolve().parents[2] / "desktop" / "ui"


@dataclass(frozen=True)
class Demo:
    """What the states are made of: this test's copy of the demo database, its event, a folder."""

    database: Database
    event_id: int
    folder: Path


States = Iterator[tuple[str, QAbstractItemModel]]
MODEL_STATES: dict[str, tuple[type[QAbstractItemModel], Callable[[Demo], States]]] = {}


def model_name(module: str, qualname: str) -> str:
    """``agenda.model.AgendaModel``: a model class named by where it is below ``desktop.ui``."""
    return f"{module.removeprefix(UI_PACKAGE + '.')}.{qualname}"


def states_of(model_class: type[QAbstractItemModel]) -> Callable[[Callable[[Demo], States]],
                                                                  Callable[[Demo], States]]:
    """Register the decorated function as the maker of ``model_class``'s states."""
    def register(states: Callable[[Demo], States]) -> Callable[[Demo], States]:
        name = model_name(model_class.__module__, model_class.__qualname__)
        assert name not in MODEL_STATES, f"{name} has two lists of states"
        MODEL_STATES[name] = (model_class, states)
        return states
    return register


def _event_id(database: Database) -> int:
    with database.read() as session:
        return list_events(session)[0].id


def _demo_day(demo: Demo) -> list[AgendaEntry]:
    with demo.database.read() as session:
        (day,) = load_agenda(session, demo.event_id).values()
    return day


def _clash(demo: Demo) -> list[Conflict]:
    """Move the first coffee break over the registration, in its room; the agenda's conflicts."""
    with demo.database.write() as session:
        registration = session.scalars(select(AgendaItem).where(AgendaItem.kind == ItemKind.REGISTRATION)
                                       .order_by(AgendaItem.id)).first()
        coffee = session.scalars(select(AgendaItem).where(AgendaItem.kind == ItemKind.BREAK)
                                 .order_by(AgendaItem.id)).first()
        assert registration is not None and coffee is not None
        coffee.starts_at = registration.starts_at
        coffee.ends_at = registration.starts_at + dt.timedelta(minutes=15)
        coffee.room_id = registration.room_id
    with demo.database.read() as session:
        conflicts = find_conflicts(session, demo.event_id)
    assert conflicts, "a break over the registration, in the same room, is a conflict"
    return conflicts


def _search(rows: Sequence[Any], haystack: Callable[[Any], str], query: str) -> list[Any]:
    """The rows a People view keeps for ``query`` (the page filters with the same folding)."""
    terms = search_terms(query)
    return [r for r in rows if matches(search_fold(haystack(r)), terms)]


@states_of(AgendaModel)
def agenda_states(demo: Demo) -> States:
    model = AgendaModel()
    yield "empty", model
    day = _demo_day(demo)
    model.set_entries(day, "en")
    assert model.rowCount() == len(day)
    session_row = next(i for i, e in enumerate(day) if e.is_session)
    parent = model.index(session_row, 0)
    assert model.rowCount(parent) == len(day[session_row].children)
    assert model.parent(model.index(0, 0, parent)) == parent
    # Only the first column has children (as QTreeView expects).
    assert model.rowCount(model.index(session_row, 1)) == 0
    yield "the demo's day", model
    model.set_entries(day, "kk")  # a reset with content
    yield "the demo's day in Kazakh", model
    conflicts = _clash(demo)
    sentences: dict[EntryKey, list[str]] = {}
    for conflict in conflicts:
        for item_id in conflict.item_ids:
            sentences.setdefault(("item", item_id), []).append(conflict.message)
    model.set_entries(_demo_day(demo), "en", sentences)
    marked = [key for key in sentences
              if model.find(key, AgendaModel.TITLE).data(Qt.ItemDataRole.DecorationRole) is not None]
    assert marked and len(marked) == len(sentences)
    yield "the day with conflicts", model
    model.set_entries([], "en")
    yield "emptied", model


@states_of(HistoryModel)
def history_states(demo: Demo) -> States:
    from dataclasses import replace as changed

    from sqlalchemy import select

    from db.models import Person
    from desktop.core import people
    from desktop.core.history import history_of

    model = HistoryModel()
    yield "no history", model
    with demo.database.read() as s:
        pid, uid = s.execute(select(Person.id, Person.uuid).order_by(Person.id)).first()
        opened = people.load_person(s, pid, with_photo=False)
    with demo.database.write() as s:
        people.update_person(s, pid, changed(opened, phone="+7 700 123 45 67", position={"en": "Judge"}), base=opened)
    with demo.database.read() as s:
        entries = history_of(s, "person", uid)
    assert len(entries) == 2
    model.set_entries(entries)
    assert model.rowCount() == len(entries)
    yield "a person's two fields changed", model
    model.set_entries(entries[:1], more=True)
    yield "the first page of more", model
    model.set_entries([])
    yield "emptied again", model


@states_of(ConflictListModel)
def conflict_list_states(demo: Demo) -> States:
    model = ConflictListModel()
    yield "no conflicts", model
    conflicts = _clash(demo)
    model.set_conflicts(conflicts)
    assert model.rowCount() == len(conflicts)
    assert model.data(model.index(0, 0), CONFLICT_ROLE) is conflicts[0]
    yield "the agenda's conflicts", model
    model.set_conflicts([])
    assert model.rowCount() == 0
    yield "none left", model


@states_of(RegistrationsModel)
def registrations_states(demo: Demo) -> States:
    model = RegistrationsModel()
    yield "no database yet", model
    with demo.database.read() as session:
        rows = registration_rows(session, demo.event_id)
    model.set_source(demo.database, demo.event_id, "en", "Asia/Almaty")
    model.reload()
    assert model.rows() == rows  # the database's order and rows, read a page at a time
    assert model.rowCount() == 120
    yield "the demo's registrations", model
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 120
    yield "sorted by every column", model
    model.set_filter(RegistrationFilter(search=rows[0].name))
    assert 0 < model.rowCount() < len(rows) and rows[0].id in {r.id for r in model.rows()}
    yield "searched for a name", model
    model.set_filter(RegistrationFilter(checked_in=True))
    assert {r.id for r in model.rows()} == {r.id for r in rows if r.checked_in_at is not None}
    assert model.rowCount() == CHECKED_IN
    yield "the checked-in only", model
    model.set_filter(RegistrationFilter(search="qqqq"))
    assert model.rowCount() == 0
    yield "a search that matches nobody", model


@states_of(VerdictModel)
def verdict_states(demo: Demo) -> States:
    model = VerdictModel()
    yield "no plan", model
    path = write_csv(demo.folder / "attendees.csv", [
        ["ФИО", "Место работы", "E-mail"],
        ["Омаров Ерлан", "Минюст", "omarov@example.kz"],
        ["Омаров Ерлан", "Минюст", "OMAROV@example.kz"],  # the same person again
        ["", "Минюст", "nobody@example.kz"],  # no name: skipped
        ["Иванов Иван Иванович", "Минюст", "ivanov@"],
    ])
    table, layout = open_source(path)
    plan = preview_import(demo.database, table, layout, demo.event_id)
    assert {v.outcome for v in plan.verdicts} >= {Outcome.NEW, Outcome.DUPLICATE, Outcome.SKIPPED}
    model.set_plan(plan)
    assert model.rowCount() == len(plan.verdicts) == 4
    yield "every row", model
    for label, keep, warned in FILTERS[1:]:
        model.set_plan(plan, keep, warned)
        assert model.rowCount() == sum(1 for v in plan.verdicts if v.outcome in keep and (v.warnings or not warned))
        yield label, model
    model.set_plan(None)
    yield "no plan again", model


@states_of(RowTableModel)
def row_table_states(demo: Demo) -> States:
    model = RowTableModel([
        Column("Code", lambda r: r.code),
        Column("Name", lambda r: r.name, tooltip=lambda r: r.name),
        Column("Checked in", lambda r: r.checked_in_at.isoformat() if r.checked_in_at else "",
               sort_key=lambda r: r.checked_in_at, bold=lambda r: r.checked_in_at is not None),
    ])
    yield "empty", model
    with demo.database.read() as session:
        rows = registration_rows(session, demo.event_id)
    model.set_rows(rows)
    assert model.rows() == rows
    yield "the demo's registrations", model
    model.sort(2, Qt.SortOrder.DescendingOrder)
    yield "sorted, the empty cells last", model
    model.sort(-1)
    assert model.rows() == rows
    yield "in core's order again", model
    model.set_rows([])
    yield "emptied", model


@states_of(RoomsModel)
def rooms_states(demo: Demo) -> States:
    yield "a new event's", RoomsModel()
    with demo.database.read() as session:
        rooms = [RoomState(r.spec, r.sessions, r.items) for r in room_rows(session, demo.event_id)]
    model = RoomsModel(rooms)
    assert model.rowCount() == len(rooms) > 0
    yield "the demo's rooms", model
    row = model.add({"kk": "Зал"})
    assert model.setData(model.index(row, RoomsModel.CAPACITY), "40")
    assert model.setData(model.index(row, 0), "Hall C")
    yield "a room added and named", model
    assert model.move(row, -1) == row - 1
    yield "moved up", model
    model.remove(0)
    assert model.rowCount() == len(rooms)
    yield "one removed", model


@states_of(PartnersModel)
def partners_states(demo: Demo) -> States:
    yield "a new event's", PartnersModel()
    with demo.database.read() as session:
        stored = load_settings(session, demo.event_id)
        infos = organisation_info(session, [p.organisation for p in stored.partners])
    partners = [PartnerState(p, infos[p.organisation].label("en"), infos[p.organisation].logo)
                for p in stored.partners if p.organisation in infos]
    model = PartnersModel(partners)
    assert model.rowCount() == len(partners) > 0
    yield "the demo's partners", model
    new = uuid_mod.uuid4()
    row = model.add(PartnerState(PartnerSpec(new, PartnerRole.PARTNER), "New partner", None))
    yield "a partner added", model
    assert model.setData(model.index(row, PartnersModel.ROLE), PartnerRole.ORGANISER.value)
    assert [p.spec.role for p in model.partners()].index(PartnerRole.ORGANISER) == 0
    yield "made an organiser (regrouped)", model
    model.set_logo(new, png(20, 10))
    model.remove(model.rowCount() - 1)
    yield "a logo set, one removed", model


@states_of(RecentCheckInsModel)
def recent_check_ins_states(demo: Demo) -> States:
    model = RecentCheckInsModel()
    model.set_time_zone("Asia/Almaty")
    yield "nobody in yet", model
    with demo.database.read() as session:
        rows = recent_check_ins(session, demo.event_id)
    model.set_rows(rows)
    assert model.rowCount() == len(rows) > 0
    yield "the demo's check-ins", model
    model.sort(0, Qt.SortOrder.AscendingOrder)
    yield "oldest first", model


@states_of(DeskMatchesModel)
def desk_matches_states(demo: Demo) -> States:
    model = DeskMatchesModel()
    model.set_time_zone(event_zone("Asia/Almaty"))
    yield "nothing typed", model
    with demo.database.read() as session:
        found = desk_matches(session, demo.event_id, "иванова", 8)
        nobody = desk_matches(session, demo.event_id, "qqqqzz", 8)
    assert found and all("Иванова" in r.name for r in found) and nobody == []
    model.set_rows(found)
    yield "the matches of a name", model
    model.set_rows(nobody)
    yield "no match", model


def _check_in(database: Database, code: str, desk: str, at: dt.datetime) -> None:
    with database.write() as session:
        rid = session.scalar(select(Registration.id).where(Registration.badge_code == code))
        session.add(CheckIn(registration_id=rid, desk=desk, action=CheckInAction.IN, happened_at=at))


@states_of(DeskConflictModel)
def desk_merge_conflict_states(demo: Demo) -> States:
    model = DeskConflictModel()
    yield "no report", model
    desk_file = demo.folder / f"lobby{SUFFIX}"
    export_desk_file(demo.database, desk_file, demo.event_id)
    model.set_report(merge_desk_file(demo.database, desk_file, demo.event_id, dry_run=True))
    assert model.rowCount() == 0
    yield "nothing in conflict", model
    with demo.database.read() as session:
        code = session.scalar(select(Registration.badge_code).where(
            Registration.event_id == demo.event_id, ~Registration.check_ins.any()).order_by(Registration.id))
    assert code is not None
    nine = dt.datetime(2025, 2, 28, 4, 0, tzinfo=dt.UTC)
    _check_in(demo.database, code, "Desk 1", nine)
    desk = open_database(desk_file)
    try:
        _check_in(desk, code, "Lobby laptop", nine + dt.timedelta(minutes=10))
    finally:
        desk.close()
    model.set_report(merge_desk_file(demo.database, desk_file, demo.event_id, dry_run=True))
    assert model.rowCount() == 1 and model.index(0, 1).data() == code
    yield "one person checked in at both desks", model
    model.set_report(None)
    yield "no report again", model


def _table_states(model: RowTableModel, rows: Sequence[Any], haystack: Callable[[Any], str]) -> States:
    """A People table empty, with ``rows``, sorted by each column, searched, searched in vain."""
    yield "empty", model
    model.set_rows(rows)
    assert model.rowCount() == len(rows) > 0
    yield "the demo's rows", model
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    yield "sorted by every column", model
    kept = _search(rows, haystack, haystack(rows[-1]).split()[0])
    model.set_rows(kept)
    assert 0 < model.rowCount() == len(kept) <= len(rows)
    yield "searched", model
    model.set_rows(_search(rows, haystack, "qqqqzz"))
    assert model.rowCount() == 0
    yield "a search that matches nothing", model


@states_of(PeopleModel)
def people_states(demo: Demo) -> States:
    model = PeopleModel()
    yield "no database yet", model
    with demo.database.read() as session:
        rows = roster(session, demo.event_id)
    model.set_source(demo.database, demo.event_id, "en")
    model.set_search("")
    assert [r.id for r in model.rows()] == [r.id for r in rows]  # the database's order, a window at a time
    yield "the demo's roster", model
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == len(rows)
    yield "sorted by every column", model
    model.set_search(rows[-1].name.split()[0])
    assert 0 < model.rowCount() <= len(rows) and rows[-1].id in {r.id for r in model.rows()}
    yield "searched", model
    model.set_search("qqqqzz")
    assert model.rowCount() == 0
    yield "a search that matches nothing", model


@states_of(SpeakersModel)
def speakers_states(demo: Demo) -> States:
    with demo.database.read() as session:
        rows = speakers(session, demo.event_id)
    model = SpeakersModel()
    model.set_multi_day(True)
    yield from _table_states(model, rows, lambda r: f"{r.name} {r.organisation} {r.place()} {r.room}")


@states_of(OrganisationsModel)
def organisations_states(demo: Demo) -> States:
    with demo.database.read() as session:
        rows = organisation_rows(session)
    yield from _table_states(OrganisationsModel(), rows, lambda r: f"{r.name} {r.short_name}")


@states_of(MergeModel)
def merge_states(demo: Demo) -> States:
    model = MergeModel()
    yield "no plan", model
    with demo.database.read() as session:
        people = roster(session, demo.event_id)
        plan = plan_merge(session, people[0].id, people[1].id)
    model.set_plan(plan)
    assert model.rowCount() == sum(1 for c in plan.fields if c.source != "none") > 0
    yield "two records", model
    model.set_plan(None)
    assert model.rowCount() == 0
    yield "no plan again", model


@pytest.fixture
def demo_data(demo_db: Database, tmp_path: Path, qapp: QApplication) -> Demo:
    return Demo(demo_db, _event_id(demo_db), tmp_path)


@pytest.mark.parametrize("name", sorted(MODEL_STATES))
def test_the_model_passes_the_model_tester_in_every_state(name: str, demo_data: Demo,
                                                          qtmodeltester: ModelTester) -> None:
    model_class, states = MODEL_STATES[name]
    seen = []
    for state, model in states(demo_data):
        assert type(model) is model_class, f"{name}, {state}: a {type(model).__name__}"
        print(f"{name}: {state}")  # shown with the model tester's complaints, if any
        qtmodeltester.check(model)
        seen.append(state)
    assert len(seen) >= 3, f"{name}: check it empty, with the demo's data, and changed ({seen})"


# -- no model unchecked ------------------------------------------------------------------------


def qt_item_model_names() -> set[str]:
    """The names of Qt's item model classes: QAbstractItemModel and every Qt class derived from it."""
    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtSql
    import PySide6.QtWidgets

    # dir(), not vars(): the binding makes its classes when first asked for.
    return {name for module in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets, PySide6.QtSql)
            for name in dir(module)
            if isinstance(value := getattr(module, name), type) and issubclass(value, QAbstractItemModel)}


def _base_name(base: ast.expr) -> str:
    """``QAbstractTableModel`` of ``QAbstractTableModel``, ``QtCore.QAbstractTableModel``, ``Base[T]``."""
    if isinstance(base, ast.Subscript):
        return _base_name(base.value)
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else ""


def _classes(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    """Every class under ``node``, at any depth: its ``__qualname__`` and the names of its bases."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            yield prefix + child.name, [_base_name(b) for b in child.bases]
            yield from _classes(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _classes(child, f"{prefix}{child.name}.<locals>.")
        else:
            yield from _classes(child, prefix)


def model_classes(sources: dict[str, str], qt_models: set[str]) -> set[str]:
    """The item model classes defined in ``sources`` (module name → source text), as
    ``module.qualname``: those with a Qt item model among their bases, and those derived from
    one of these, at any depth."""
    classes = {f"{module}.{qualname}": bases
               for module, text in sources.items() for qualname, bases in _classes(ast.parse(text))}
    models: set[str] = set()
    while True:
        known = qt_models | {name.rsplit(".", 1)[1] for name in models}
        found = {name for name, bases in classes.items() if known.intersection(bases)}
        if found == models:
            return models
        models = found


def ui_sources() -> dict[str, str]:
    """Every module of ``desktop/ui``: module name → source text."""
    out = {}
    for path in sorted(UI_DIR.rglob("*.py")):
        parts = path.relative_to(UI_DIR).with_suffix("").parts
        module = ".".join((UI_PACKAGE, *parts[:-1], *(() if parts[-1] == "__init__" else parts[-1:])))
        out[module] = path.read_text(encoding="utf-8")
    return out


def test_every_model_class_of_the_window_has_its_states_checked() -> None:
    found = {model_name(*name.rsplit(".", 1)) for name in model_classes(ui_sources(), qt_item_model_names())}
    unchecked = found - MODEL_STATES.keys()
    assert not unchecked, (f"item models with no states for the model tester: {sorted(unchecked)}; "
                           "add a @states_of function for each to tests/ui/test_item_models.py")
    assert MODEL_STATES.keys() <= found, f"not found in desktop/ui: {sorted(MODEL_STATES.keys() - found)}"


def test_the_walk_finds_models_at_any_depth_and_nothing_else() -> None:
    qt_models = qt_item_model_names()
    assert {"QAbstractItemModel", "QAbstractTableModel", "QAbstractListModel", "QStandardItemModel",
            "QSortFilterProxyModel", "QIdentityProxyModel", "QStringListModel"} <= qt_models
    assert "QObject" not in qt_models and "QTableView" not in qt_models
    sources = {
        "pkg.a": "from PySide6.QtCore import QAbstractListModel, QObject\n"
                 "class A(QAbstractListModel): ...\n"
                 "class Plain(QObject): ...\n",
        "pkg.b": "from PySide6 import QtCore, QtGui\n"
                 "from pkg import a\n"
                 "class B(a.A): ...\n"
                 "class D(a.Plain, B): ...\n"
                 "def make():\n"
                 "    class C(QtCore.QSortFilterProxyModel):\n"
                 "        class Inner(QtGui.QStandardItemModel): ...\n"
                 "    return C\n"
                 "class Other(a.Plain): ...\n",
    }
    assert model_classes(sources, qt_models) == {
        "pkg.a.A", "pkg.b.B", "pkg.b.D", "pkg.b.make.<locals>.C", "pkg.b.make.<locals>.C.Inner"}


def entry(title: dict[str, str], kind: ItemKind | None = ItemKind.PRESENTATION,
          people: list[OnStage] | None = None, room: dict[str, str] | None = None,
          children: list[AgendaEntry] | None = None) -> AgendaEntry:
    start = dt.datetime(2025, 2, 28, 10, 0)
    return AgendaEntry(1, kind, title, start, start + dt.timedelta(minutes=30), room or {},
                       people or [], children or [])


def person(name: str, role: RoleKind) -> OnStage:
    return OnStage(1, role, name, {"en": "Judge"}, {"en": "Supreme Court"})


def test_a_missing_translation_falls_back_in_italics_with_a_tooltip(qtmodeltester: ModelTester) -> None:
    model = AgendaModel()
    model.set_entries([entry({"en": "Opening"}, room={"ru": "Главный зал"})], "kk")
    qtmodeltester.check(model)
    title = model.index(0, AgendaModel.TITLE)
    assert title.data() == "Opening"
    font = title.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "No Kazakh text yet: shown in English" in title.data(Qt.ItemDataRole.ToolTipRole)
    room = model.index(0, AgendaModel.ROOM)
    assert room.data() == "Главный зал"
    assert "shown in Russian" in room.data(Qt.ItemDataRole.ToolTipRole)


def test_a_text_in_the_wanted_language_is_upright() -> None:
    model = AgendaModel()
    model.set_entries([entry({"en": "Opening", "kk": "Ашылуы"})], "kk")
    title = model.index(0, AgendaModel.TITLE)
    assert title.data() == "Ашылуы"
    assert title.data(Qt.ItemDataRole.FontRole) is None
    assert title.data(Qt.ItemDataRole.ToolTipRole) == "Ашылуы"


def test_an_untitled_entry_is_never_blank() -> None:
    model = AgendaModel()
    model.set_entries([entry({}), entry({}, kind=None)], "en")
    assert model.index(0, AgendaModel.TITLE).data() == "Untitled item"
    assert model.index(1, AgendaModel.TITLE).data() == "Untitled session"


def test_people_on_stage_are_grouped_by_role_leaders_first() -> None:
    people = [person("B. Speaker", RoleKind.SPEAKER), person("A. Moderator", RoleKind.MODERATOR),
              person("C. Speaker", RoleKind.SPEAKER)]
    assert [(label, names) for label, names, _ in on_stage(people)] == [
        ("Moderator", "A. Moderator"), ("Speakers", "B. Speaker, C. Speaker"),
    ]
    model = AgendaModel()
    model.set_entries([entry({"en": "Panel"}, people=people)], "en")
    cell = model.index(0, AgendaModel.PEOPLE)
    assert cell.data() == "Moderator: A. Moderator\nSpeakers: B. Speaker, C. Speaker"
    assert "Speaker: C. Speaker, Judge, Supreme Court" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_items_in_their_sessions_room_leave_the_room_to_the_session() -> None:
    hall = {"en": "Main hall"}
    child_same = entry({"en": "Talk"}, room=hall)
    child_other = entry({"en": "Side talk"}, room={"en": "Room B"})
    session = entry({"en": "Session 1"}, kind=None, room=hall, children=[child_same, child_other])
    model = AgendaModel()
    model.set_entries([session], "en")
    parent = model.index(0, 0)
    assert model.index(0, AgendaModel.ROOM).data() == "Main hall"
    assert model.index(0, AgendaModel.ROOM, parent).data() == ""
    assert model.index(1, AgendaModel.ROOM, parent).data() == "Room B"


def reg(code: str, name: str, at: dt.datetime | None = None,
        status: Status = Status.CONFIRMED) -> RegistrationRow:
    return RegistrationRow(1, code, name, "Org", Sector.ACADEMIA, Category.PARTICIPANT, status, at, "Desk 1")


def test_sorting_keeps_the_selection_on_its_row(qtmodeltester: ModelTester) -> None:
    model = RowTableModel([Column("Code", lambda r: r.code), Column("Name", lambda r: r.name)])
    model.set_rows([reg("B", "Bea"), reg("C", "Cy"), reg("A", "Al")])
    held = QPersistentModelIndex(model.index(0, 1))  # Bea
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.code for r in model.rows()] == ["A", "B", "C"]
    assert held.row() == 1 and held.data() == "Bea"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert held.row() == 1
    model.sort(-1)
    assert [r.code for r in model.rows()] == ["B", "C", "A"]
    assert held.row() == 0
    qtmodeltester.check(model)


@pytest.fixture
def listed(tmp_path: Path) -> Iterator[tuple[Database, Sample]]:
    """A database with the registration list tests' event (check-ins at 09:10 Astana time)."""
    database = open_database(tmp_path / "listed.sqlite")
    try:
        yield database, build(database)
    finally:
        database.close()


def _row_of(model: RegistrationsModel, registration_id: int) -> int:
    return next(r for r in range(model.rowCount()) if model.row_at(r).id == registration_id)


def test_empty_cells_sort_last_both_ways(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.sort(RegistrationsModel.CHECKED_IN, Qt.SortOrder.AscendingOrder)
    times = [r.checked_in_at for r in model.rows()]
    assert times[:3] == sorted(t for t in times if t) and set(times[3:]) == {None}
    model.sort(RegistrationsModel.CHECKED_IN, Qt.SortOrder.DescendingOrder)
    times = [r.checked_in_at for r in model.rows()]
    assert times[:3] == sorted((t for t in times if t), reverse=True) and set(times[3:]) == {None}


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Almaty", "09:10"), ("UTC", "04:10"), ("Europe/Warsaw", "05:10"), ("No/Such_Zone", "04:10")],
)
def test_check_in_time_is_local_to_the_event(listed: tuple[Database, Sample], zone: str, expected: str) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id, "en", zone)
    model.reload()
    row = _row_of(model, sample.ids["sarsenbayeva"])
    assert model.index(row, RegistrationsModel.CHECKED_IN).data() == expected
    tip = model.index(row, RegistrationsModel.CHECKED_IN).data(Qt.ItemDataRole.ToolTipRole)
    assert "Desk 1" in tip and "28 February 2025" in tip


def test_not_checked_in_is_an_empty_cell(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.reload()
    row = _row_of(model, sample.ids["zhienbayev"])  # checked in, then undone
    assert model.index(row, RegistrationsModel.CHECKED_IN).data() == ""
    assert model.index(row, RegistrationsModel.CHECKED_IN).data(Qt.ItemDataRole.ToolTipRole) is None
    assert local_time(None, dt.UTC) == ""


def test_cancelled_registrations_are_muted(listed: tuple[Database, Sample]) -> None:
    database, sample = listed
    model = RegistrationsModel()
    model.set_source(database, sample.event_id)
    model.reload()
    cancelled = _row_of(model, sample.ids["wisniewski"])
    confirmed = _row_of(model, sample.ids["wisniewska"])
    assert model.index(cancelled, RegistrationsModel.STATUS).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(confirmed, RegistrationsModel.STATUS).data(Qt.ItemDataRole.ForegroundRole) is None


def test_invalid_indexes_have_no_data() -> None:
    model = RegistrationsModel()
    assert model.data(QModelIndex()) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    agenda = AgendaModel()
    assert agenda.data(QModelIndex()) is None
    assert agenda.index(5, 0) == QModelIndex()
