"""The Desk in Russian and Kazakh: the desk page, the walk-in form and the merge dialog are
built with the interface language set, a check-in, an already-checked-in, a cancelled and
an unknown code are run, and no text the person can read is an English message of the
catalogs (resources/translations); the big verdict fits its panel at 1280×800."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLibraryInfo,
    QModelIndex,
    QSettings,
    Qt,
    QTranslator,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Registration, Status
from desktop.core.checkin import check_ins_of
from desktop.core.desk import CheckInState, check_in, walk_in
from desktop.core.desk_file import SUFFIX, export_desk_file, merge_desk_file
from desktop.core.events import event_detail, list_events
from desktop.core.language import interface_language, set_interface_language
from desktop.core.organisations import OrganisationNames
from desktop.ui.desk.file_dialogs import MergeDialog
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from desktop.ui.desk.walk_in import WalkInDialog
from resources.translations import catalogs

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SHOTS = Path("/tmp")


@cache
def english_messages(lang: str) -> tuple[re.Pattern[str], ...]:
    """Every English message of the catalog whose ``lang`` translation differs from it, as a
    pattern a whole text matches (a placeholder matches anything)."""
    with catalogs.po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    patterns = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in map(str, ids):
            if english in strings or not english.strip():
                continue  # the same in both languages ("{name} ({category})"), or nothing to find
            parts = re.split(r"(\{[^{}]*\})", english.replace("&", ""))
            if not re.search(r"[A-Za-z]{2}", "".join(p for p in parts if not p.startswith("{"))):
                continue  # placeholders and signs only ("{name}, {organisation}"): no English in it
            body = "".join(".+" if re.fullmatch(r"\{[^{}]*\}", p) else re.escape(p) for p in parts)
            patterns.append(re.compile(body, re.DOTALL))
    return tuple(patterns)


def pieces(text: str) -> Iterator[str]:
    """A visible text and the parts it is made of: lines, and the parts a key is set beside
    ("Reprint badge   Ctrl+R"); accelerators (&) dropped."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    for line in [text, *text.splitlines()]:
        for part in [line, *re.split(r"\s{2,}", line)]:
            if part.strip():
                yield part.strip()


def texts_of(root: QWidget) -> list[str]:
    """What a person can read in ``root`` and its visible children: window titles, labels,
    buttons, placeholders, tooltips, accessible names, and item views' headers and rows."""
    found: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        found += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.statusTip()]
        if isinstance(widget, QLabel):
            found.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QLineEdit):
            found += [widget.placeholderText(), widget.text()]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, top = widget.model(), QModelIndex()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
            for column in range(columns):
                found.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
            for row in range(min(model.rowCount(top), 20)):
                for column in range(columns):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        found.append(str(model.index(row, column).data(role) or ""))
    return [t for t in found if t]


def english_in(texts: Iterable[str], lang: str) -> list[str]:
    """The texts (or their parts) that are an English message of the catalog."""
    patterns = english_messages(lang)
    return sorted({piece for text in texts for piece in pieces(text)
                   if any(p.fullmatch(piece) for p in patterns)})


@pytest.fixture(params=["ru", "kk"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The interface language of the test, with Qt's own words in it (as the app loads them)."""
    before = interface_language()
    set_interface_language(request.param)
    translator = QTranslator()
    assert translator.load(f"qtbase_{request.param}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    QCoreApplication.installTranslator(translator)
    try:
        yield request.param
    finally:
        QCoreApplication.removeTranslator(translator)
        set_interface_language(before)


@pytest.fixture
def page(lang: str, styled_app: QApplication, demo_db: Database, settings: QSettings, qtbot: QtBot) -> DeskPage:
    """The desk page, built in ``lang``, on the demo event, at 1280×800."""
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    made = DeskPage(settings=settings)
    qtbot.addWidget(made)
    with demo_db.read() as session:
        detail = event_detail(session, list_events(session)[0].id)
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    made.show_event(demo_db, detail, lang)
    return made


def _free(database: Database, status: Status) -> str:
    """The badge code of a registration of ``status`` that is not checked in."""
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code).where(Registration.status == status)
                         .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    return next(code for rid, code in rows if rid not in arrived)


def _verdict_fits(page: DeskPage) -> None:
    """The big verdict is whole on screen: each word narrower than the headline, and the
    wrapped lines no taller than the label is."""
    headline = page.state_panel.headline
    metrics = headline.fontMetrics()
    width = headline.contentsRect().width()
    for word in headline.text().split():
        assert metrics.horizontalAdvance(word) <= width, (word, width)
    assert headline.heightForWidth(headline.width()) <= headline.height(), headline.text()
    assert page.state_panel.height() >= page.state_panel.minimumSizeHint().height()


def test_the_desk_speaks_the_interface_language(page: DeskPage, lang: str, demo_db: Database,
                                                qtbot: QtBot) -> None:
    assert english_in(texts_of(page), lang) == []
    page.grab().save(str(SHOTS / f"desk-{lang}-ready.png"))

    code = _free(demo_db, Status.CONFIRMED)
    states = []
    for typed, shot in ((code, "checked-in"), (code, "already"), (_free(demo_db, Status.CANCELLED), "cancelled"),
                        ("ZZZZZZ", "not-registered")):
        with qtbot.waitSignal(page.verdict, timeout=10000) as answered:
            assert page.check_in_typed(typed) is not None
        result = answered.args[0]
        states.append(result.state)
        qtbot.wait(10)
        shown = texts_of(page)
        assert english_in([*shown, result.message], lang) == [], shot
        _verdict_fits(page)
        page.grab().save(str(SHOTS / f"desk-{lang}-{shot}.png"))
    assert states == [CheckInState.CHECKED_IN, CheckInState.ALREADY_CHECKED_IN, CheckInState.CANCELLED,
                      CheckInState.NOT_REGISTERED]
    # The desk's words are the catalog's: the verdict is not the English one, in either language.
    assert page.state_panel.headline.text() not in ("NOT REGISTERED", "")

    # Typing a name lists the matches, with their state in words of the language.
    qtbot.keyClicks(page.search, "a")
    page._search_now(page.search.text())
    qtbot.waitUntil(page.settled)
    assert page.matches_model.rowCount() > 0
    assert english_in(texts_of(page), lang) == []
    # Back to ready: the previous person in small print.
    page._on_escape_activated()
    assert english_in(texts_of(page), lang) == []

    # A desk not named yet: the notice, and the dialog that names it.
    page.settings().remove(DESK_NAME_KEY)
    page._show_desk_name()
    assert page.name_notice.isVisibleTo(page) and english_in(texts_of(page), lang) == []
    page._on_rename_button_clicked()
    assert english_in(texts_of(page.rename_dialog), lang) == []
    page.rename_dialog.reject()


def test_the_walk_in_form_speaks_the_interface_language(page: DeskPage, lang: str, demo_db: Database,
                                                        qtbot: QtBot) -> None:
    with demo_db.read() as session:
        organisations = OrganisationNames.read(session, lang)
    dialog = WalkInDialog(organisations, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.organisation.setText("Министерство юстиции")  # a near-twin: "Did you mean …?"
    dialog.buttons.accepted.emit()  # no name: the form says what is missing
    assert dialog.problem.text()
    assert english_in(texts_of(dialog), lang) == []
    dialog.grab().save(str(SHOTS / f"desk-{lang}-walk-in.png"))

    dialog.family.setText("Сарсенбаева")
    made = walk_in(demo_db, page._detail.summary.id, "Алия", "Сарсенбаева", None,  # type: ignore[union-attr]
                   dialog.values()["category"], page.desk_name())  # type: ignore[arg-type]
    assert english_in([made.check_in.message], lang) == []


def test_the_merge_dialog_and_its_report_speak_the_interface_language(page: DeskPage, lang: str, demo_db: Database,
                                                                      tmp_path: Path, qtbot: QtBot) -> None:
    from db.engine import open_database

    event_id = page._detail.summary.id  # type: ignore[union-attr]
    desk_file = tmp_path / f"lobby{SUFFIX}"
    written = export_desk_file(demo_db, desk_file, event_id)
    assert english_in([written.summary(), *written.lines()], lang) == []
    both, only = _free(demo_db, Status.CONFIRMED), _free(demo_db, Status.REGISTERED)
    check_in(demo_db, event_id, both, "Entrance A")
    desk = open_database(desk_file)
    try:
        for code in (both, only):
            check_in(desk, event_id, code, "Lobby laptop")
        walk_in(desk, event_id, "Dana", "Seitkali", None, "participant", "Lobby laptop")  # type: ignore[arg-type]
    finally:
        desk.close()

    dialog = MergeDialog(demo_db, desk_file, None, page, preview=False)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=30_000):
        dialog.preview()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.report is not None and dialog.report.conflicts and dialog.report.walk_ins_added == 1
    assert english_in(texts_of(dialog), lang) == []
    dialog.grab().save(str(SHOTS / f"desk-{lang}-merge-preview.png"))
    with qtbot.waitSignal(dialog.merged, timeout=30_000):
        assert dialog.apply()
    assert english_in(texts_of(dialog), lang) == []
    dialog.grab().save(str(SHOTS / f"desk-{lang}-merge-done.png"))
    again = merge_desk_file(demo_db, desk_file, dry_run=True)
    assert english_in([again.summary(), *again.lines()], lang) == []


def test_the_check_that_finds_english_can_fail(page: DeskPage, lang: str) -> None:
    """The finder above finds what it should: an English verdict and an English sentence
    with its placeholders filled."""
    assert english_in(["NOT REGISTERED", "Desk: Entrance A", "Ready\nLast: Ann — checked in. Ctrl+R reprints their "
                       "badge.", "Undo last check-in   Ctrl+Shift+Backspace"], lang) == [
        "Desk: Entrance A", "Last: Ann — checked in. Ctrl+R reprints their badge.", "NOT REGISTERED", "Ready",
        "Undo last check-in"]
