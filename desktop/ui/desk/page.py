"""The Desk section in desk mode: the registration desk's screen.

One big search field always has the focus. A keyboard-wedge scanner types a badge code and
Enter: the person is checked in at once. Typing a name lists matches below as you type (in
any script, on the wrong keyboard layout, in transliteration — ``desktop.core.desk.
desk_matches``); arrows and Enter check the chosen one in. The result fills a big panel:
green CHECKED IN, amber ALREADY CHECKED IN (when, at which desk), red CANCELLED, grey NOT
REGISTERED, with a beep.

Check-ins are append-only facts committed before the panel says so; they are not on the
window's undo stack: "Undo last check-in" appends an undo row for this desk's latest
check-in. Reprint badge prints one A6 badge with a preview; Walk-in… registers, checks in
and offers the badge. The counts (checked in of expected, by sector) and the latest
check-ins refresh after every check-in and every few seconds, so desks sharing a
PostgreSQL database see each other's work. F11 toggles full screen. The desk's name is
kept in the settings (``desk/name``, the computer's name until the user keeps or changes it).

Every word on it is in the interface language (``desktop.core.language``); the tables of
words kept at import time (the keys' words, the verdicts) are marked with ``N_`` and
translated where they are shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import tempfile
import threading
import uuid as uuid_mod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database, DatabaseError
from db.models import Registration, Sector, Status
from desktop.core import formats, person_keys, vocabulary
from desktop.core.codes import is_valid_code
from desktop.core.desk import (
    CheckInResult,
    CheckInState,
    DeskCounts,
    DeskError,
    LastCheckIn,
    check_in,
    clean_desk_name,
    default_desk_name,
    desk_code,
    desk_matches,
    last_check_in_of_desk,
    undo_check_in,
    walk_in,
)
from desktop.core.desk_figures import DeskFigures, DeskView
from desktop.core.errors import error_sentence
from desktop.core.events import EventDetail
from desktop.core.language import N_, _, n_, p_
from desktop.core.registrations import RegistrationRow, count_registrations, rows_for_ids
from desktop.ui.desk.badge_printer import (
    PAGE_LAYOUTS,
    BadgePrintJob,
    BadgePrintSignals,
    BadgeSubject,
    DeskPrinting,
    PrinterFactory,
    available_printers,
    default_factory,
)
from desktop.ui.desk.offline_banner import OfflineBanner, notice_frame
from desktop.ui.desk.worker import DeskWorker, LatestOnly, tell
from desktop.ui.registrations.page import event_zone, local_time
from desktop.ui.shell import style
from desktop.ui.shell.table import Column, RowTableModel, configure_table

if TYPE_CHECKING:  # the offline desk's core is imported when a desk on a server needs it
    from desktop.core.offline_desk import DeskLink, LiveDesk

RECENT_LIMIT = 50
SMALL_EVENT = 3000
"""Up to this many registrations the desk's first figures are read on the GUI thread, so
they are on the page when it is shown (some 20 ms); a larger event's follow it."""
MATCH_LIMIT = 8
SEARCH_DELAY_MS = 100
REFRESH_MS = 4000
DESK_NAME_KEY = "desk/name"

UNDO_KEY = QKeySequence("Ctrl+Shift+Backspace")  # Ctrl+Backspace deletes a word in the field
REPRINT_KEY = QKeySequence("Ctrl+R")
WALK_IN_KEY = QKeySequence("Ctrl+Shift+W")
FULL_SCREEN_KEY = QKeySequence("F11")
CLEAR_KEY = QKeySequence(Qt.Key.Key_Escape)

# What the desk's keys and buttons do (the buttons add their key; Help → Keyboard Shortcuts
# lists the keys by these words). Marked here, translated where shown: _(UNDO_TEXT).
UNDO_TEXT = N_("Undo last check-in")
REPRINT_TEXT = N_("Reprint badge")
WALK_IN_TEXT = N_("Walk-in…")
FULL_SCREEN_TEXT = N_("Full screen")
CLEAR_TEXT = N_("Clear the field and the last result")
READY = N_("Ready")
READY_DETAIL = N_("Scan a badge, or type a name or a code and press Enter.")

# The state panel: (background, text) by state; "idle" before the first check-in.
STATE_COLOURS: dict[str, tuple[str, str]] = {
    CheckInState.CHECKED_IN.value: ("#1f7a45", "#ffffff"),
    CheckInState.ALREADY_CHECKED_IN.value: ("#f2b01e", "#1d2733"),
    CheckInState.CANCELLED.value: ("#c62828", "#ffffff"),
    CheckInState.NOT_REGISTERED.value: ("#4b5563", "#ffffff"),
    "undone": (style.ACCENT, "#ffffff"),
    "idle": (style.CANVAS, style.MUTED),
    "checking": (style.CANVAS, style.INK),
}
# The big verdicts (translated where shown: headline(state)).
HEADLINES = {
    CheckInState.CHECKED_IN: N_("CHECKED IN"),
    CheckInState.ALREADY_CHECKED_IN: N_("ALREADY CHECKED IN"),
    CheckInState.CANCELLED: N_("CANCELLED — NOT CHECKED IN"),
    CheckInState.NOT_REGISTERED: N_("NOT REGISTERED"),
}
# The previous verdict in small print, once the desk is ready for the next person.
LAST_VERDICTS = {
    CheckInState.CHECKED_IN: N_("Last: {name} — checked in. {key} reprints their badge."),
    CheckInState.ALREADY_CHECKED_IN: N_("Last: {name} — already checked in. {key} reprints their badge."),
    CheckInState.CANCELLED: N_("Last: {name} — cancelled, not checked in. {key} reprints their badge."),
    CheckInState.NOT_REGISTERED: N_("Last: {name} — not registered."),
}


def headline(state: CheckInState) -> str:
    """The big verdict of ``state`` in the interface language ("CHECKED IN")."""
    return _(HEADLINES[state])


class SectorBars(QWidget):
    """Horizontal bars, one per sector: the expected people as the track, those checked
    in as the filled part, and "in / expected" at the right."""

    ROW_GAP = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_figures(self, by_sector: dict[Sector | None, tuple[int, int]]) -> None:
        """``{sector: (expected, checked in)}``, shown largest first."""
        ordered = sorted(by_sector.items(), key=lambda kv: (-kv[1][0], vocabulary.sector(kv[0])))
        self._rows = [(vocabulary.sector(sector), expected, checked) for sector, (expected, checked) in ordered]
        self.setAccessibleDescription("; ".join(
            _("{sector}: {checked} of {expected} checked in").format(
                sector=name, checked=formats.number(checked), expected=formats.number(expected))
            for name, expected, checked in self._rows))
        self.updateGeometry()
        self.update()

    def figures(self) -> list[tuple[str, int, int]]:
        """(sector, expected, checked in) as drawn, top to bottom."""
        return list(self._rows)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._rows))
        return QSize(420, rows * self._row_height() + (rows - 1) * self.ROW_GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row_h = self._row_height()
        label_w = max((metrics.horizontalAdvance(name) for name, _, _ in self._rows), default=0) + 16
        figure_w = metrics.horizontalAdvance(_figures(8888, 8888)) + 12
        bar_x = label_w
        bar_w = max(40, self.width() - label_w - figure_w)
        most = max((expected for _, expected, _ in self._rows), default=0) or 1
        bar_h = row_h - 10
        for i, (name, expected, checked) in enumerate(self._rows):
            top = i * (row_h + self.ROW_GAP)
            painter.setPen(QColor(style.INK))
            painter.drawText(QRectF(0, top, label_w - 8, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            track = QRectF(bar_x, top + (row_h - bar_h) / 2, bar_w * expected / most, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(style.ACCENT_SOFT))
            painter.drawRoundedRect(track, 4, 4)
            if checked:
                filled = QRectF(track.x(), track.y(), bar_w * checked / most, bar_h)
                painter.setBrush(QColor(style.ACCENT))
                painter.drawRoundedRect(filled, 4, 4)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QRectF(bar_x + bar_w, top, figure_w, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             _figures(checked, expected))
        painter.end()


def _figures(checked: int, expected: int) -> str:
    """"12 / 40": checked in of expected."""
    return f"{formats.number(checked)} / {formats.number(expected)}"


class RecentCheckInsModel(RowTableModel):
    """The latest check-ins, newest first: local time, name, organisation, desk."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._zone: dt.tzinfo = dt.UTC
        super().__init__(
            (
                Column(_("Time"), lambda r: local_time(r.checked_in_at, self._zone), width=7,
                       sort_key=lambda r: r.checked_in_at, align=Qt.AlignmentFlag.AlignHCenter),
                Column(_("Name"), lambda r: r.name, width=0, tooltip=lambda r: r.name),
                Column(_("Organisation"), lambda r: r.organisation, width=14,
                       tooltip=lambda r: r.organisation or None),
                Column(p_("column", "Desk"), lambda r: r.desk or "", width=10),
            ),
            parent,
        )

    def set_time_zone(self, name: str) -> None:
        self._zone = event_zone(name)


class _FigureCard(QFrame):
    """A big number with a caption under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.figure = QLabel("–")
        self.figure.setObjectName("bigFigure")
        self.figure.setFont(style.scaled_font(self.font(), 2.6, bold=True))
        self.caption = QLabel(caption)
        self.caption.setObjectName("bigFigureCaption")
        self.detail = QLabel()
        self.detail.setObjectName("bigFigureCaption")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.setSpacing(2)
        layout.addWidget(self.figure)
        layout.addWidget(self.caption)
        layout.addWidget(self.detail)


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _key_below(text: str, sequence: QKeySequence) -> str:
    """A desk button's words with its key on a second line: the three buttons stay side by
    side in every language ("Отменить последнюю отметку" and Ctrl+Shift+Backspace on one
    line did not fit the desk at 1280 px)."""
    return f"{text}\n{key_text(sequence)}"


class DeskMatchesModel(QAbstractListModel):
    """The people the typed text may mean (``RegistrationRow``s, best first): name and
    organisation, the badge code, and whether they are in already."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RegistrationRow] = []
        self._zone: dt.tzinfo = dt.UTC

    def set_time_zone(self, zone: dt.tzinfo) -> None:
        self._zone = zone

    def set_rows(self, rows: list[RegistrationRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RegistrationRow]:
        return list(self._rows)

    def row_at(self, row: int) -> RegistrationRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            where = f" — {row.organisation}" if row.organisation else ""
            return f"{row.name}{where}   ·   {row.code}   ·   {self._state(row)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            facts = _("{category} · {status} · badge {code}").format(
                category=vocabulary.category(row.category), status=vocabulary.status(row.status), code=row.code)
            return "\n".join((row.name, row.organisation or _("no organisation"), facts, self._state(row)))
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status in (Status.CANCELLED, Status.DECLINED):
                return QColor("#b3261e")
            if row.checked_in_at is not None:
                return QColor(style.MUTED)
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _state(self, row: RegistrationRow) -> str:
        if row.checked_in_at is not None:
            # Translators: {time} is HH:MM, {desk} the desk's name.
            return _("in since {time} ({desk})").format(time=local_time(row.checked_in_at, self._zone), desk=row.desk)
        if row.status in (Status.CANCELLED, Status.DECLINED):
            return vocabulary.status(row.status).lower()
        return _("not checked in")


class StatePanel(QFrame):
    """The big result: a headline in the state's colour, the name large, and details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskState")
        self.state = "idle"
        self.headline = QLabel()
        self.headline.setObjectName("deskStateHeadline")
        self.headline.setWordWrap(True)
        self.headline.setFont(style.scaled_font(self.font(), 3.0, bold=True))
        self.name = QLabel()
        self.name.setObjectName("deskStateName")
        self.name.setFont(style.scaled_font(self.font(), 2.8, bold=True))
        self.name.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("deskStateDetail")
        self.detail.setFont(style.scaled_font(self.font(), 1.5))
        self.detail.setWordWrap(True)
        for label in (self.headline, self.name, self.detail):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        for label in (self.headline, self.name, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 22)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(self.headline)
        layout.addWidget(self.name)
        layout.addWidget(self.detail)
        layout.addStretch(2)
        self.setMinimumHeight(220)
        self.show_idle(_(READY), _(READY_DETAIL))

    def _paint(self, state: str) -> None:
        self.state = state
        background, ink = STATE_COLOURS[state]
        self.setStyleSheet(
            f"QFrame#deskState {{ background: {background}; border-radius: 12px; }}"
            f"QFrame#deskState QLabel {{ color: {ink}; background: transparent; }}"
        )

    def show_idle(self, headline: str, detail: str) -> None:
        self._paint("idle")
        self.headline.setText(headline)
        self.name.setText("")
        self.name.setVisible(False)
        self.detail.setText(detail)
        self.setAccessibleName(f"{headline}. {detail}")

    def show_ready(self, previous: CheckInResult | None = None) -> None:
        """Back to neutral, once the user types again or presses Esc: a verdict stays on
        screen only while it is about what is in the field. The previous person is named
        in small print (Reprint badge still means them)."""
        detail = _(READY_DETAIL)
        if previous is not None and previous.registration_id is not None:
            detail += "\n" + _(LAST_VERDICTS[previous.state]).format(name=previous.name, key=key_text(REPRINT_KEY))
        self.show_idle(_(READY), detail)

    def show_result(self, result: CheckInResult) -> None:
        self._paint(result.state.value)
        self.headline.setText(headline(result.state))
        if result.state is CheckInState.NOT_REGISTERED:
            typed = result.typed.strip()
            self.name.setText(typed or _("(nothing typed)"))
            self.detail.setText(_("No registration of this event has this badge code or name. Check the "
                                  "spelling or type part of the name; someone not on the list is a Walk-in."))
        else:
            self.name.setText(result.name)
            lines = [result.organisation or _("no organisation")]
            category = vocabulary.category(result.category) if result.category is not None else ""
            if result.state is CheckInState.CHECKED_IN:
                # Translators: {time} is HH:MM, {desk} the desk's name.
                lines.append(_("{category} · badge {code} · {time} at {desk}").format(
                    category=category, code=result.code, time=result.local_time, desk=result.desk))
            elif result.state is CheckInState.ALREADY_CHECKED_IN:
                lines.append(_("Checked in at {time} at desk {desk} · {category} · badge {code}").format(
                    time=result.local_time, desk=result.desk, category=category, code=result.code))
            else:
                status = vocabulary.status(result.status if result.status is not None else Status.CANCELLED)
                # Translators: {status} is the registration's status in lower case ("cancelled", "declined").
                lines.append(_("Registration {status} · {category} · badge {code}. Ask the organisers before "
                               "letting them in.").format(status=status.lower(), category=category, code=result.code))
            self.detail.setText("\n".join(lines))
        self.name.setVisible(True)
        self.setAccessibleName(f"{self.headline.text()}: {self.name.text()}. {self.detail.text()}")

    def add_offline_note(self, since: str | None) -> None:
        """The verdict was made on the desk's local copy (the server did not answer): say
        that the person may have been checked in at another desk since the copy last heard
        from the server (``since``: HH:MM)."""
        if since:
            # Translators: {time} is HH:MM (a date before it when not today).
            note = _("Checked in on this desk's own copy: the server does not answer. They may have been "
                     "checked in at another desk since {time}.").format(time=since)
        else:
            note = _("Checked in on this desk's own copy: the server does not answer. They may have been "
                     "checked in at another desk meanwhile.")
        self.detail.setText(f"{self.detail.text()}\n{note}")
        self.setAccessibleName(f"{self.headline.text()}: {self.name.text()}. {self.detail.text()}")

    def show_checking(self, typed: str) -> None:
        """A check-in asked for and not answered yet (the database is slow): what was
        scanned, and that the next badge can be scanned meanwhile."""
        self._paint("checking")
        self.headline.setText(_("CHECKING…"))
        self.name.setText(typed)
        self.name.setVisible(True)
        self.detail.setText(_("Scan the next badge meanwhile: each one is checked in its turn."))
        self.setAccessibleName(f"{self.headline.text()} {typed}")

    def show_undone(self, name: str, still_in: bool) -> None:
        self._paint("undone")
        self.headline.setText(_("CHECK-IN UNDONE"))
        self.name.setText(name)
        self.name.setVisible(True)
        self.detail.setText(_("Still checked in by another record.") if still_in else _("No longer checked in."))
        self.setAccessibleName(_("Check-in undone: {name}").format(name=name))


class _FiguresSignals(QObject):
    """What a background read of the figures says: ``ready(stamp, DeskView)`` or
    ``failed(stamp, sentence)``. Not a child of the page: a read still running when the
    page goes keeps it alive, and its signals then reach no one."""

    ready = Signal(object, object)
    failed = Signal(object, str)


class _LinkSignals(QObject):
    """``changed(LiveDesk, DeskLink)`` from the desk link's threads, delivered on the GUI
    thread (not a child of the page, as ``_FiguresSignals``)."""

    changed = Signal(object, object)


class _Reads:
    """The page's figures reads of one database and event: ``close`` lets none of them start
    after it and waits for those under way, before the window closes the database they
    read (a read must not open that database again, nor read it while it is closed)."""

    def __init__(self) -> None:
        self._done = threading.Condition()
        self._running = 0
        self.closed = False

    def enter(self) -> bool:
        """A read starts: False when it must not (closed)."""
        with self._done:
            if self.closed:
                return False
            self._running += 1
            return True

    def leave(self) -> None:
        with self._done:
            self._running -= 1
            self._done.notify_all()

    def close(self, wait: float = 0.0) -> bool:
        """No read starts any more; wait up to ``wait`` seconds for those under way. True
        when none runs."""
        with self._done:
            self.closed = True
            return self._done.wait_for(lambda: self._running == 0, wait)


class _FiguresRead(QRunnable):
    """One read of the desk's figures on a pool thread (``read``: ``_read_figures`` on the
    page's database, or through the desk's ``LiveDesk``, on its server or its local copy);
    nothing when ``reads`` was closed before it started (the database is closed)."""

    def __init__(self, read: Callable[[], DeskView], stamp: tuple[object, int], signals: _FiguresSignals,
                 reads: _Reads) -> None:
        super().__init__()
        self._read, self._stamp, self._signals, self._reads = read, stamp, signals, reads

    def run(self) -> None:
        if not self._reads.enter():
            return
        reason: str | None = None
        try:
            view = self._read()
        except Exception as exc:  # noqa: BLE001 - a pool thread has no one else to tell
            reason = error_sentence(exc)
        finally:
            self._reads.leave()
        if reason is not None:
            self._tell(self._signals.failed, reason)
        else:
            self._tell(self._signals.ready, view)

    def _tell(self, signal: Any, what: object) -> None:
        try:
            signal.emit(self._stamp, what)
        except RuntimeError:  # the application is closing: its objects are gone already
            pass


def _read_figures(figures: DeskFigures, database: Database, desk: str, lang: str, reload: bool) -> DeskView:
    """One read of ``figures`` (its own connection from the pool; one read of the same
    ``DeskFigures`` at a time, by its lock)."""
    with figures.lock, database.read() as session:
        return figures.read(session, desk, lang, reload=reload)


class _SideFigures:
    """The desk's figures on each side of its link: the server's (the page's ``DeskFigures``)
    and its local copy's (counted afresh the first time the copy is read)."""

    def __init__(self, server: Database, figures: DeskFigures) -> None:
        self._server, self._figures = server, figures
        self._others: dict[int, DeskFigures] = {}
        self._lock = threading.Lock()

    def of(self, database: Database, event_id: int) -> DeskFigures:
        if database is self._server:
            return self._figures
        with self._lock:
            figures = self._others.get(id(database))
            if figures is None or figures.event_id != event_id:
                figures = self._others[id(database)] = DeskFigures(event_id, RECENT_LIMIT)
            return figures


# -- the desk's work on its worker thread (desktop.ui.desk.worker): no Qt in these ----------------

@dataclass(frozen=True)
class _Verdict:
    """A check-in's answer: the result, what was typed, and the person's row for the latest
    check-ins (when checked in now; empty if it could not be read — the refresh shows it).
    ``offline``: made on the desk's local copy, which last heard from the server at
    ``refreshed_at`` (``desktop.core.offline_desk``)."""

    result: CheckInResult
    typed: str
    rows: list[RegistrationRow]
    offline: bool = False
    refreshed_at: dt.datetime | None = None


@dataclass(frozen=True)
class _Done:
    """A job's value, and whether it was made on the desk's local copy."""

    value: Any
    offline: bool = False
    refreshed_at: dt.datetime | None = None


def _on_side(live: LiveDesk | None, database: Database, event_id: int, job: Callable[[Database, int], Any],
             on_server: Callable[[Any], None] | None = None, write: bool = True) -> _Done:
    """``job(database, event_id)``: on ``database`` (a SQLite file), or through the desk's
    ``LiveDesk`` — on the server, or on the local copy when the server does not answer
    (``write=False``: a read, which there does not wait for the copy's writers)."""
    if live is None:
        return _Done(job(database, event_id))
    answer = live.call(job, on_server=on_server, write=write)
    if not answer.offline:
        return _Done(answer.value)
    return _Done(answer.value, True, live.link().refreshed_at)


def _row_of(database: Database, result: CheckInResult, lang: str) -> list[RegistrationRow]:
    if result.state is not CheckInState.CHECKED_IN or result.registration_id is None:
        return []
    try:
        with database.read_raw() as raw:
            return rows_for_ids(raw, [result.registration_id], lang)
    except SQLAlchemyError:
        return []  # the read behind it shows them


def _check_in_job(text: str, typed: str, chosen: str | int | None, searched: bool, desk: str, lang: str,
                  uid: uuid_mod.UUID | None = None) -> Callable[[Database, int], _Verdict]:
    """A check-in by ``text`` as a job of ``(database, event_id)``: a badge code at once;
    else ``chosen`` (the badge code of the match chosen in the list of ``text``; its
    registration id when it has none), or, when the list had not caught up with the typing
    (not ``searched``), the best match of ``text``. By badge code and under one uuid
    (``uid``, fixed now), so that run on the server and again on the desk's local copy
    (the server stopped answering meanwhile) it checks the same person in once."""
    fixed = uid or uuid_mod.uuid4()

    def job(database: Database, event_id: int) -> _Verdict:
        result: CheckInResult | None = None
        target = chosen
        if is_valid_code(desk_code(text)):
            result = check_in(database, event_id, text, desk, lang=lang, uid=fixed)
        if result is None or result.state is CheckInState.NOT_REGISTERED:
            if not searched:
                with database.read() as session:
                    rows = desk_matches(session, event_id, text, MATCH_LIMIT, lang)
                target = (rows[0].code or rows[0].id) if rows else None
            if target is not None:
                result = check_in(database, event_id, target, desk, lang=lang, uid=fixed)
            elif result is None:
                result = CheckInResult(CheckInState.NOT_REGISTERED, typed)
        return _Verdict(result, typed, _row_of(database, result, lang))

    return job


class _UndoJob:
    """Undo this desk's last check-in, as a job of ``(database, event_id)``: the last one as
    the database has it when the job first runs (an index lookup): ``(last, UndoResult)``,
    or ``(None, None)`` when there is none.

    Run twice — on the server, then on the desk's local copy because the server stopped
    answering — it undoes the SAME check-in both times (the one the first run chose, when
    it got that far): never the one before it. The copy has that check-in (what the server
    checked in is written into the copy before its verdict), and two undo rows naming one
    check-in leave it undone once. An undo the server did commit after all and the copy's
    are then both sent; nothing else is taken back."""

    def __init__(self, desk: str, lang: str) -> None:
        self._desk, self._lang = desk, lang
        self._last: LastCheckIn | None = None
        self._lock = threading.Lock()

    def __call__(self, database: Database, event_id: int) -> tuple[LastCheckIn | None, Any]:
        with self._lock:
            last = self._last
        if last is None:
            with database.read() as session:
                found = last_check_in_of_desk(session, event_id, self._desk, lang=self._lang)
            if found is None:
                return None, None
            with self._lock:
                if self._last is None:
                    self._last = found
                last = self._last
        return last, undo_check_in(database, last.uuid, self._desk, lang=self._lang)


def _record_verdict(live: LiveDesk, verdict: _Verdict) -> None:
    """A check-in the server made, into the desk's local copy before its verdict is shown."""
    live.record(verdict.result)


def _target_of(row: RegistrationRow) -> str | int:
    """What checks in a match of the list on either side of the desk's link: its badge code
    (registration ids differ between the server and the local copy); its id if it has none."""
    return row.code or row.id


def _close_boxed(box: list[LiveDesk | None]) -> None:
    """The page is dropped: its desk link ends (off this thread)."""
    live, box[0] = box[0], None
    if live is not None:
        _close_later(live)


def _close_later(live: LiveDesk, wait: float = 0.0) -> None:
    """``live.close()`` on a thread of its own (its threads may be waiting on a server that
    does not answer), waited for ``wait`` seconds."""
    thread = threading.Thread(target=live.close, name="desk-link-close", daemon=True)
    thread.start()
    if wait:
        thread.join(wait)


def _registration_of(database: Database, event_id: int, registration_id: int, code: str) -> int:
    """The registration with badge ``code`` in ``database`` (ids differ between a server and
    a desk's local copy; the code does not); ``registration_id`` when there is no code."""
    if not code:
        return registration_id
    with database.read() as session:
        found = session.scalar(select(Registration.id).where(Registration.event_id == event_id,
                                                            Registration.badge_code == code))
    if found is None:
        raise DeskError(_("No registration of this event has the badge code {code}.").format(code=code))
    return int(found)


def _walk_in_job(database: Database, event_id: int, desk: str, lang: str,
                 values: dict[str, Any]) -> tuple[Any, list[RegistrationRow]]:
    made = walk_in(database, event_id, desk=desk, lang=lang, **values)
    return made, _row_of(database, made.check_in, lang)


def _settle_keys(database: Database) -> None:
    """``person_keys.settle_in_background`` on a thread of its own: its first look is a read
    too, and a server that fails it leaves the keys stale (searches still match them), with
    no traceback on the terminal."""
    try:
        person_keys.settle_in_background(database)
    except DATABASE_ERRORS:
        pass


def _organisations_job(database: Database, lang: str) -> Any:
    from desktop.core.organisations import OrganisationNames

    with database.read() as session:
        return OrganisationNames.read(session, lang)


def _matches_job(database: Database, event_id: int, *, text: str, lang: str) -> list[RegistrationRow]:
    with database.read() as session:
        return desk_matches(session, event_id, text, MATCH_LIMIT, lang)


def _badge_job(database: Database, event_id: int, registration_id: int, code: str, lang: str) -> Path:
    """One A6 badge of the registration with badge ``code`` (else ``registration_id``) as a
    PDF in a new temporary folder; its path."""
    from desktop.exports.badges import export_badges  # ReportLab only when printing

    registration_id = _registration_of(database, event_id, registration_id, code)
    folder = Path(tempfile.mkdtemp(prefix="conference-desk-badge-"))
    # Translators: the name of a badge's PDF file; keep it short, without spaces.
    path = folder / (p_("file name", "badge-{code}").format(code=code or registration_id) + ".pdf")
    try:
        export_badges(database, path, event_id, registration_ids=[registration_id], layout="a6", lang=lang)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


class _LiveBadgePrintJob(BadgePrintJob):
    """``BadgePrintJob`` on the side of the desk's link that answers (the server, or the
    local copy offline), for the registration with the subject's badge code there."""

    def __init__(self, live: LiveDesk, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._live = live

    def run(self) -> None:
        subject = self._subject
        try:
            answer = self._live.call(lambda database, event_id: (database, event_id, _registration_of(
                database, event_id, subject.registration_id, subject.code)), write=False)
        except Exception as exc:  # noqa: BLE001 - a pool thread has no one else to tell
            tell(self._signals.failed, subject, error_sentence(exc))
            return
        self._database, self._event_id, registration_id = answer.value
        self._subject = BadgeSubject(registration_id, subject.name, subject.code)
        super().run()


QUIT_WAIT_S = 30.0
"""How long quitting waits for the desk's queued check-ins (a few connection timeouts)."""
READS_WAIT_S = 5.0
"""How long closing the database waits for a read of the figures under way (a server that
stopped answering: the desk's link gives up on it in ~3 s)."""

DATABASE_ERRORS = (SQLAlchemyError, DatabaseError, OSError)
"""What a database call may raise that the desk says in a sentence (anything else is a bug)."""


class DeskPage(QWidget):
    """The registration desk (see the module docstring).

    Signals:
        checked_in(int): someone was checked in here (a row was written); their registration id.
        verdict(object): a check-in's answer (a ``CheckInResult``) is on screen now.

    The database is never called on the GUI thread for a check-in, a search, an undo or a
    walk-in: check-ins, undo and walk-ins go through the desk's worker (``DeskWorker``: one
    thread, one queue, so they run and are answered in the order asked), the search through
    ``LatestOnly`` (only the latest text's answer is shown), the figures through Qt's thread
    pool. While a check-in is under way the field takes the next code; "CHECKING…" and
    how many wait are shown until the verdicts come, in order.
    """

    checked_in = Signal(int)
    verdict = Signal(object)

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._database: Database | None = None
        self._detail: EventDetail | None = None
        self._lang = "en"
        self._zone: dt.tzinfo = dt.UTC
        self._last_result: CheckInResult | None = None
        self._last_of_desk: LastCheckIn | None = None
        self._counts: DeskCounts | None = None
        # The desk's worker: each job's ticket → (the page's database and event when asked,
        # what to do with the answer, what to do with the failure); the check-ins under way,
        # by ticket, with what was typed (in the order scanned).
        # What the desk's threads emit (the worker, the searcher, the figures' reads, the link,
        # the badge prints) is received by methods decorated @Slot: PySide6 (6.8 and later)
        # can crash delivering a signal from another thread to a plain method, for which it
        # builds a slot at run time.
        self._worker = DeskWorker()
        self._worker.done.connect(self._on_worker_done)
        self._worker.failed.connect(self._on_worker_failed)
        app = QApplication.instance()
        if app is not None:  # check-ins scanned and queued are written before the process ends
            app.aboutToQuit.connect(self._on_app_about_to_quit)
        self._jobs: dict[int, tuple[object, Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._checking: dict[int, str] = {}
        self._searcher = LatestOnly()
        self._searcher.answered.connect(self._on_searcher_answered)
        self._searcher.failed.connect(self._on_searcher_failed)
        self._search_asked = ""
        # The figures are read off the GUI thread; each read is stamped with the database
        # and event it is of and with ``_generation``, raised whenever the page shows
        # something newer than a read under way would (a check-in made here).
        self._figures: DeskFigures | None = None
        self._figures_key: object = None
        self._generation = 0
        self._refresh_pending = False
        self._reads = _Reads()  # the reads of the figures under way, of this database and event
        self._figures_signals = _FiguresSignals()
        self._figures_signals.ready.connect(self._on_figures_ready)
        self._figures_signals.failed.connect(self._on_figures_failed)
        # On a PostgreSQL server the desk's work goes through a LiveDesk: the server, or the
        # desk's local copy while the server does not answer (desktop.core.offline_desk).
        self.offline_folder: Path | None = None  # where the local copies are (None: offline_folder())
        self._live: LiveDesk | None = None
        self._live_key: object = None
        self._side_figures: _SideFigures | None = None
        self._shown_offline = False
        self._link_signals = _LinkSignals()
        self._link_signals.changed.connect(self._on_link_changed)
        self._live_box: list[LiveDesk | None] = [None]  # closed when the page is dropped
        self.destroyed.connect(functools.partial(_close_boxed, self._live_box))

        # -- header: title, the desk's name, full screen
        title = QLabel(p_("section", "Desk"))
        title.setObjectName("pageTitle")
        title.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        self.desk_label = QLabel()
        self.desk_label.setObjectName("deskName")
        self.desk_label.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        self.rename_button = QPushButton(_("Rename desk…"))
        self.rename_button.setToolTip(_("The desk's name is recorded with every check-in made here"))
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        # The desk's badge printer (per desk name): on/off, which printer, which page.
        self.printer_button = QPushButton()
        self.printer_button.setObjectName("deskPrinter")
        self.printer_menu = QMenu(self.printer_button)
        self.printer_menu.aboutToShow.connect(self._on_printer_menu_about_to_show)
        self.printer_button.setMenu(self.printer_menu)
        self.printer_factory: PrinterFactory = default_factory
        self.print_signals = BadgePrintSignals()
        self.print_signals.printed.connect(self._on_print_signals_printed)
        self.print_signals.already.connect(self._on_print_signals_already)
        self.print_signals.failed.connect(self._on_print_signals_failed)
        self.print_signals.unrecorded.connect(self._on_print_signals_unrecorded)
        self._question_subject: BadgeSubject | None = None
        self.full_screen_button = QPushButton(f"{_(FULL_SCREEN_TEXT)}  {key_text(FULL_SCREEN_KEY)}")
        self.full_screen_button.setCheckable(True)
        self.full_screen_button.clicked.connect(self._on_full_screen_button_clicked)
        # "Offline — 3 check-ins waiting to be sent …" / "Back online — 3 check-ins sent …".
        self.offline_banner = OfflineBanner(self._when)
        self.offline_banner.dismissed.connect(self.refocus)
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(self.desk_label)
        header.addWidget(self.rename_button)
        header.addWidget(self.printer_button)
        header.addStretch(1)
        header.addWidget(self.full_screen_button)

        # The desk's name is asked once: until it is kept or changed, a notice says so.
        self.name_notice = notice_frame("deskNameNotice")
        self.name_notice_label = QLabel()
        self.name_notice_label.setWordWrap(True)
        self.keep_name_button = QPushButton(_("Keep this name"))
        self.keep_name_button.clicked.connect(self._on_keep_name_button_clicked)
        notice_rename = QPushButton(_("Choose another name…"))
        notice_rename.clicked.connect(self._on_rename_button_clicked)
        notice = QHBoxLayout(self.name_notice)
        notice.setContentsMargins(14, 8, 14, 8)
        notice.addWidget(self.name_notice_label, 1)
        notice.addWidget(self.keep_name_button)
        notice.addWidget(notice_rename)

        # -- left: the field, the matches, the state, the actions
        self.search = QLineEdit()
        self.search.setObjectName("deskSearch")
        self.search.setPlaceholderText(_("Scan a badge or type a name…"))
        self.search.setFont(style.scaled_font(self.font(), 2.0))
        self.search.setMinimumHeight(self.search.fontMetrics().height() + 24)
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet(f"QLineEdit#deskSearch {{ border: 2px solid {style.ACCENT}; border-radius: 8px;"
                                  " padding: 4px 12px; }")
        self.search.setAccessibleName(_("Badge code or name"))
        self.search.textEdited.connect(self._on_search_text_edited)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        self.matches_model = DeskMatchesModel(self)
        self.matches_view = QListView()
        self.matches_view.setObjectName("deskMatches")
        self.matches_view.setModel(self.matches_model)
        self.matches_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matches_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches_view.setUniformItemSizes(True)
        self.matches_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches_view.setFont(style.scaled_font(self.font(), 1.3))
        self.matches_view.setStyleSheet("QListView#deskMatches::item { padding: 6px 8px; }")
        self.matches_view.clicked.connect(self._on_matches_view_clicked)
        self.matches_view.doubleClicked.connect(self._on_matches_view_double_clicked)
        self.matches_view.setVisible(False)
        self.matches_hint = QLabel()
        self.matches_hint.setObjectName("pageSubtitle")
        # "Checking ZQ7K4M… (2 waiting)": the check-ins under way, while the database answers.
        self.pending_label = QLabel()
        self.pending_label.setObjectName("deskPending")
        self.pending_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pending_label.setMinimumHeight(self.pending_label.fontMetrics().height())
        self.pending_label.setStyleSheet(f"QLabel#deskPending {{ color: {style.ACCENT}; font-weight: bold; }}")

        self.state_panel = StatePanel()

        # "Badge already printed at … — print again?": a bar under the verdict, not a box
        # in the way of the next scan. Ctrl+R prints again; Enter on the empty field, Esc,
        # or the next person says no.
        self.print_question = notice_frame("printQuestion")
        self.print_question_label = QLabel()
        self.print_question_label.setWordWrap(True)
        self.print_question_label.setFont(style.scaled_font(self.font(), 1.15))
        self.print_again_button = QPushButton()
        self.print_again_button.clicked.connect(self._on_print_again_button_clicked)
        self.no_print_button = QPushButton()
        self.no_print_button.clicked.connect(self._on_no_print_button_clicked)
        question = QHBoxLayout(self.print_question)
        question.setContentsMargins(14, 8, 14, 8)
        question.addWidget(self.print_question_label, 1)
        question.addWidget(self.print_again_button)
        question.addWidget(self.no_print_button)
        self.print_question.setVisible(False)

        self.undo_button = QPushButton(_key_below(_(UNDO_TEXT), UNDO_KEY))
        self.undo_button.setToolTip(_(
            "Takes back the latest check-in made at this desk by recording an undo (nothing is "
            "deleted). Check-ins are not on the Edit → Undo list: they are facts other desks "
            "may already see."))
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.reprint_button = QPushButton(_key_below(_(REPRINT_TEXT), REPRINT_KEY))
        self.reprint_button.setToolTip(_("Print the badge of the person shown (one A6 badge, with a preview)"))
        self.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        self.walk_in_button = QPushButton(_key_below(_(WALK_IN_TEXT), WALK_IN_KEY))
        self.walk_in_button.setToolTip(_("Register someone who is not on the list, check them in, print the badge"))
        self.walk_in_button.clicked.connect(self._on_walk_in_button_clicked)
        for button in (self.undo_button, self.reprint_button, self.walk_in_button, self.rename_button,
                       self.full_screen_button, self.keep_name_button, notice_rename, self.printer_button,
                       self.print_again_button, self.no_print_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.refocus)
        for button in (self.undo_button, self.reprint_button, self.walk_in_button):
            button.setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        self.last_label = QLabel()
        self.last_label.setObjectName("pageSubtitle")
        self.print_status = QLabel()
        self.print_status.setObjectName("pageSubtitle")
        self.print_status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.undo_button)
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.walk_in_button)
        actions.addStretch(1)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.search)
        left.addWidget(self.matches_view)
        hints = QHBoxLayout()
        hints.addWidget(self.matches_hint, 1)
        hints.addWidget(self.pending_label)
        left.addLayout(hints)
        left.addWidget(self.state_panel, 1)
        left.addWidget(self.print_question)
        left.addLayout(actions)
        left.addWidget(self.last_label)
        left.addWidget(self.print_status)

        # -- right: counts, by sector, the latest check-ins
        self.in_card = _FigureCard(_("checked in / expected"))
        self.registered_card = _FigureCard(_("registrations"))
        cards = QHBoxLayout()
        cards.setSpacing(12)
        cards.addWidget(self.in_card, 1)
        cards.addWidget(self.registered_card, 1)
        self.sector_bars = SectorBars()
        sector_caption = QLabel(_("BY SECTOR · CHECKED IN OF EXPECTED"))
        sector_caption.setObjectName("sectionCaption")
        self.recent_model = RecentCheckInsModel(self)
        self.recent_view = QTableView()
        self.recent_view.setObjectName("recentCheckIns")
        self.recent_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        configure_table(self.recent_view, self.recent_model)
        self.recent_caption = QLabel(_("LATEST CHECK-INS"))
        self.recent_caption.setObjectName("sectionCaption")
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addLayout(cards)
        right.addWidget(sector_caption)
        right.addWidget(self.sector_bars)
        right.addWidget(self.recent_caption)
        right.addWidget(self.recent_view, 1)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.name_notice)
        layout.addWidget(self.offline_banner)
        layout.addLayout(columns, 1)

        # Shortcuts of desk mode (active while the focus is in the page: it always is).
        self._shortcuts = []
        for sequence, what, slot in ((UNDO_KEY, UNDO_TEXT, self._on_undo_button_clicked),
                                     (REPRINT_KEY, REPRINT_TEXT, self._on_reprint_button_clicked),
                                     (WALK_IN_KEY, WALK_IN_TEXT, self._on_walk_in_button_clicked),
                                     (FULL_SCREEN_KEY, FULL_SCREEN_TEXT, self._on_full_screen_shortcut_activated)):
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(_(what))
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        escape = QShortcut(CLEAR_KEY, self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.setWhatsThis(_(CLEAR_TEXT))
        escape.activated.connect(self._on_escape_activated)
        self._shortcuts.append(escape)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._update_buttons()

    # -- public ---------------------------------------------------------------------------

    def show_event(self, database: Database, detail: EventDetail, lang: str) -> None:
        """Show the desk for ``detail``'s event in ``database`` (names in ``lang``)."""
        if self._database is not database or self._detail is None or \
                self._detail.summary.id != detail.summary.id:
            self._last_result = None
            self.state_panel.show_idle(_(READY), _(READY_DETAIL))
            self.search.clear()
            self.matches_model.set_rows([])
            self.matches_view.setVisible(False)
        key = (database, detail.summary.id)
        if self._figures is None or self._figures_key != key:
            self._figures, self._figures_key = DeskFigures(detail.summary.id, RECENT_LIMIT), key
            self._counts = None
            self._show_empty_figures()
            self._reads.close()  # the reads not started yet of the one before are not made
        if self._reads.closed:
            self._reads = _Reads()
        self._generation += 1
        self._database, self._detail, self._lang = database, detail, lang
        self._zone = event_zone(detail.timezone)
        self.matches_model.set_time_zone(self._zone)
        self.recent_model.set_time_zone(detail.timezone)
        self._show_desk_name()
        self._follow_link()
        # A desk file's people (copied there) or an upgraded database's have no skeletons
        # yet: made off this thread, so that Latin spellings are found fast (even the look
        # whether any are missing is a read: a slow server must not hold the page).
        threading.Thread(target=_settle_keys, args=(database,), name="desk-person-keys", daemon=True).start()
        # The event was read again (an edit, an import, another desk): everything counted
        # afresh — on this thread for a small event (shown with the page), else behind it.
        if self._is_small():
            self.refresh_now(reload=True)
        else:
            self.refresh(reload=True)
        self._refresh_timer.start()
        self._update_buttons()  # Walk-in… at once, whatever the figures wait for
        self.refocus()

    def desk_name(self) -> str:
        value = self.settings().value(DESK_NAME_KEY)
        return str(value) if value else default_desk_name()

    def set_desk_name(self, name: str) -> None:
        """Name this desk (kept in the settings); a DeskError for an empty or long name."""
        self.settings().setValue(DESK_NAME_KEY, clean_desk_name(name))
        self.settings().sync()
        self._show_desk_name()
        self._follow_link()
        self.refresh()

    def settings(self) -> QSettings:
        if self._settings is None:
            window_settings = getattr(self.window(), "settings", None)
            self._settings = window_settings if isinstance(window_settings, QSettings) else QSettings()
        return self._settings

    def refocus(self) -> None:
        """Give the search field the focus (desk mode keeps it there)."""
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, *, reload: bool = False) -> None:
        """Read the counts, the latest check-ins and this desk's last check-in again, off
        this thread (``_FiguresRead``); they are shown when read. ``reload``: count
        everything afresh (the event was read again), not only what was written since."""
        if self._database is None or self._detail is None or self._figures is None or self._reads.closed:
            return  # nothing shown, or its database is being closed (``finish_queued``)
        self._refresh_pending = True
        desk, lang = self.desk_name(), self._lang
        reader: Callable[[], DeskView]
        if self._live is not None and self._side_figures is not None:
            live, sides = self._live, self._side_figures

            def reader() -> DeskView:
                return live.call(lambda database, event_id: _read_figures(
                    sides.of(database, event_id), database, desk, lang, reload), write=False).value

        else:
            reader = functools.partial(_read_figures, self._figures, self._database, desk, lang, reload)
        read = _FiguresRead(reader, (self._figures_key, self._generation), self._figures_signals, self._reads)
        QThreadPool.globalInstance().start(read)

    def refresh_now(self, *, reload: bool = False) -> None:
        """``refresh`` on this thread, shown before it returns (a small event's first look)."""
        if self._database is None or self._detail is None or self._figures is None:
            return
        if self._live is not None:  # never a server's read on this thread
            self.refresh(reload=reload)
            return
        try:
            with self._figures.lock, self._database.read() as session:
                view = self._figures.read(session, self.desk_name(), self._lang, reload=reload)
        except SQLAlchemyError as exc:
            self._on_figures_failed((self._figures_key, self._generation), error_sentence(exc))
            return
        self._generation += 1  # a read started before this one shows older figures
        self._show_view(view)

    @Slot(object, object)
    def _on_figures_ready(self, stamp: tuple[object, int], view: DeskView) -> None:
        if stamp[0] != self._figures_key:
            return  # another database or event by now
        self._refresh_pending = False
        if stamp[1] == self._generation:  # nothing shown since it was asked for is newer
            self._show_view(view)

    @Slot(object, str)
    def _on_figures_failed(self, stamp: tuple[object, int], reason: str) -> None:
        if stamp[0] != self._figures_key:
            return
        self._refresh_pending = False
        self.last_label.setText(_("Cannot read the database: {reason}").format(reason=reason))

    def _show_view(self, view: DeskView) -> None:
        self._last_of_desk = view.last
        if view.counts != self._counts:
            self._counts = view.counts
            self._show_counts(view.counts)
        self._show_recent(view.recent)
        self._update_buttons()

    def _show_recent(self, recent: tuple[RegistrationRow, ...] | list[RegistrationRow]) -> None:
        recent = list(recent)
        if recent == self.recent_model.rows():
            return
        self.recent_model.set_rows(recent)
        shown = len(recent)
        self.recent_caption.setText(
            n_("LATEST CHECK-INS · {n} SHOWN", "LATEST CHECK-INS · {n} SHOWN", shown).format(n=formats.number(shown))
            if shown == RECENT_LIMIT else _("LATEST CHECK-INS"))

    def _count_in(self, result: CheckInResult, rows: list[RegistrationRow], *, new_registration: bool = False) -> None:
        """What a check-in made here changed, shown at once: the counts moved by one, the
        person on top of the latest check-ins, this desk's last check-in; then the figures
        are read again behind it (what other desks did meanwhile)."""
        if result.state is not CheckInState.CHECKED_IN or result.registration_id is None:
            return
        self._generation += 1  # reads asked for before this would show it undone
        if self._counts is not None:
            self._counts = self._counts.with_check_in(result, new_registration=new_registration)
            self._show_counts(self._counts)
        if result.check_in_uuid is not None and result.at is not None:
            self._last_of_desk = LastCheckIn(result.check_in_uuid, result.registration_id, result.name, result.at)
        recent = rows + [r for r in self.recent_model.rows() if r.id != result.registration_id]
        self._show_recent(recent[:RECENT_LIMIT])
        self.refresh()

    def check_in_typed(self, typed: str) -> int | None:
        """Check in by what was typed or scanned: a badge code at once; else the person
        chosen in the list of matches (the best match, if the list has not caught up with
        the typing). The check-in is queued on the desk's worker and the field cleared for
        the next code; the verdict is shown when the database answers (``verdict``), in the
        order scanned. Its ticket; None when nothing was typed or no event is shown."""
        if self._database is None or self._detail is None:
            return None
        self._search_timer.stop()
        text = " ".join(typed.split())
        if not text:
            return None
        searched = self._matches_text == text
        chosen = self._chosen_match() if searched else None
        self._clear_field()
        return self._check_in(text, typed, _target_of(chosen) if chosen is not None else None, searched)

    def settled(self) -> bool:
        """Whether nothing the page asked of the database is still unanswered: no job on
        the desk's worker, and the matches shown are those of the latest text asked."""
        return not self._jobs and self._matches_text == self._search_asked

    # -- the desk's link to its server (PostgreSQL) -----------------------------------------

    @property
    def live(self) -> LiveDesk | None:
        """The desk's ``LiveDesk`` (a database on a server), else None."""
        return self._live

    def _follow_link(self) -> None:
        """A desk on a PostgreSQL server works through a ``LiveDesk`` for (database, event,
        desk name); another of the three, and the link is made afresh (the old one is
        closed once the work queued on it is done)."""
        database, detail = self._database, self._detail
        want: object = None
        if database is not None and detail is not None and database.dialect == "postgresql":
            want = (database, detail.summary.id, self.desk_name())
        if want == self._live_key:
            return
        self._drop_live()
        if database is None or detail is None or want is None or self._figures is None:
            return
        from desktop.core.offline_desk import LiveDesk

        live = LiveDesk(database, detail.summary.id, None, self.desk_name(), folder=self.offline_folder)
        live.watch(functools.partial(tell, self._link_signals.changed, live))
        self._live, self._live_key, self._live_box[0] = live, want, live
        self._side_figures = _SideFigures(database, self._figures)
        live.start()

    def _drop_live(self, wait: float = 0.0) -> None:
        """Close the desk's link, after the work queued on the desk's worker (``wait``:
        seconds to wait for that, on this thread; else behind the queue)."""
        live = self._live
        self._live, self._live_key, self._live_box[0], self._side_figures = None, None, None, None
        self._shown_offline = False
        self.offline_banner.reset()
        if live is None:
            return
        if wait:
            _close_later(live, wait)
        else:
            self._worker.submit(functools.partial(_close_later, live))

    @Slot(object, object)
    def _on_link_changed(self, live: LiveDesk, link: DeskLink) -> None:
        if live is not self._live:
            return  # a link closed since
        self.offline_banner.show_link(link)
        if link.ready and link.offline != self._shown_offline:
            # The other side answers now: the rows shown were read on the side before
            # (registration ids differ): the figures, the latest check-ins and the matches
            # are read again there.
            self._shown_offline = link.offline
            self._generation += 1
            self.refresh(reload=True)
            if self.search.text().strip():
                self._search_now(self.search.text())

    # -- the work ---------------------------------------------------------------------------

    _matches_text = ""

    def _submit(self, job: Callable[[], object], done: Callable[[Any], None],
                failed: Callable[[BaseException], None]) -> int:
        """Queue ``job`` on the desk's worker; ``done`` or ``failed`` is called with its
        answer on this thread, unless the page shows another database or event by then."""
        ticket = self._worker.submit(job)
        self._jobs[ticket] = (self._figures_key, done, failed)
        return ticket

    def _submit_on(self, job: Callable[[Database, int], Any], done: Callable[[_Done], None],
                   failed: Callable[[BaseException], None], on_server: Callable[[Any], None] | None = None) -> int:
        """``_submit`` a job of ``(database, event_id)``: on the page's database, or through
        the desk's ``LiveDesk`` (the server, or the local copy while the server does not
        answer); ``done`` gets its ``_Done``."""
        assert self._database is not None and self._detail is not None
        call = functools.partial(_on_side, self._live, self._database, self._detail.summary.id, job, on_server)
        return self._submit(call, done, failed)

    @Slot(int, object)
    def _on_worker_done(self, ticket: int, value: object) -> None:
        self._answered(ticket, lambda done, _failed: done(value))

    @Slot(int, object)
    def _on_worker_failed(self, ticket: int, exc: object) -> None:
        self._answered(ticket, lambda _done, failed: failed(exc))

    def _answered(self, ticket: int, call: Callable[[Callable[[Any], None], Callable[[Any], None]], None]) -> None:
        entry = self._jobs.pop(ticket, None)
        self._checking.pop(ticket, None)
        try:
            if entry is not None and entry[0] == self._figures_key:
                call(entry[1], entry[2])
        finally:
            self._show_pending()

    def _check_in(self, text: str, typed: str, chosen: str | int | None, searched: bool) -> int:
        """Queue a check-in; ``chosen``: the badge code (else registration id) of the match chosen."""
        assert self._database is not None and self._detail is not None
        job = _check_in_job(text, typed, chosen, searched, self.desk_name(), self._lang)
        live = self._live
        on_server = None if live is None else functools.partial(_record_verdict, live)
        ticket = self._submit_on(job, self._on_checked, functools.partial(self._on_check_in_failed, typed), on_server)
        self._checking[ticket] = text
        if len(self._checking) == 1:
            self._dismiss_question()
            self.state_panel.show_checking(text)
        self._show_pending()
        return ticket

    def _on_checked(self, done: _Done) -> None:
        verdict: _Verdict = done.value
        result = verdict.result
        self._show_result(result, verdict.rows)
        if done.offline and result.state is CheckInState.CHECKED_IN:
            self.state_panel.add_offline_note(self._when(done.refreshed_at) if done.refreshed_at else None)
        if result.state is CheckInState.NOT_REGISTERED and not self.search.text() and not self._checking:
            self.search.setText(verdict.typed)  # the next scan replaces it
            self.search.selectAll()
        self.verdict.emit(result)

    def _on_check_in_failed(self, typed: str, exc: BaseException) -> None:
        if isinstance(exc, DeskError):
            self._tell(QMessageBox.Icon.Warning, _("Cannot check in"), str(exc))
        elif isinstance(exc, DATABASE_ERRORS):
            self._tell(QMessageBox.Icon.Critical, _("Cannot check in"),
                       _("The check-in was not saved: {reason}\nTry again.").format(reason=error_sentence(exc)))
        else:
            raise exc
        if self.state_panel.state == "checking" and not self._checking:
            self.state_panel.show_ready(self._last_result)
        if not self.search.text() and not self._checking:
            self.search.setText(typed)  # as it was: Enter tries again
            self.search.selectAll()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A message box that does not hold the event loop (verdicts behind it keep coming)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self.refocus())
        self.message_box = box
        box.open()

    def _show_pending(self) -> None:
        """"Checking ZQ7K4M… (2 waiting)" while check-ins are under way; nothing otherwise."""
        under_way = list(self._checking.values())
        if not under_way:
            self.pending_label.setText("")
            if self.state_panel.state == "checking":
                self.state_panel.show_ready(self._last_result)
            return
        waiting = len(under_way) - 1
        if waiting:
            # Translators: {typed} is the badge code or name scanned or typed; {n} how many wait behind it.
            text = n_("Checking {typed}… ({n} waiting)", "Checking {typed}… ({n} waiting)", waiting).format(
                typed=under_way[0], n=formats.number(waiting))
        else:
            text = _("Checking {typed}…").format(typed=under_way[0])
        self.pending_label.setText(text)

    def _clear_field(self) -> None:
        """The field empty and no matches: ready for the next code."""
        self._search_timer.stop()
        self.search.clear()
        self._show_matches("", [])

    def _show_result(self, result: CheckInResult, rows: list[RegistrationRow], *, new_registration: bool = False,
                     auto_print: bool = True) -> None:
        """The verdict on screen. The field is left alone: it was cleared when the check-in
        was asked for, and may hold the next code by now."""
        self._last_result = result
        self.state_panel.show_result(result)
        QApplication.beep()
        self._dismiss_question()
        if result.state is CheckInState.CHECKED_IN and result.registration_id is not None:
            self._count_in(result, rows, new_registration=new_registration)
            self.checked_in.emit(result.registration_id)
            if auto_print and self.printing().active:  # a walk-in's follows the form's choice
                self.print_to_desk(BadgeSubject(result.registration_id, result.name, result.code or ""))
        self._update_buttons()
        self.refocus()

    def _search_now(self, typed: str) -> None:
        """Ask for the matches of ``typed`` (off this thread); shown when they come, if it is
        still the latest text asked."""
        self._search_timer.stop()
        text = " ".join(typed.split())
        self._search_asked = text
        if not text or self._database is None or self._detail is None:
            self._show_matches(text, [])
            return
        matches = functools.partial(_matches_job, text=text, lang=self._lang)
        job = functools.partial(_on_side, self._live, self._database, self._detail.summary.id, matches, write=False)
        self._searcher.ask((self._figures_key, text), lambda: job().value)

    @Slot(object, object)
    def _on_searcher_answered(self, key: tuple[object, str], rows: list[RegistrationRow]) -> None:
        if key == (self._figures_key, self._search_asked):
            self._show_matches(key[1], rows)
            self._update_buttons()

    @Slot(object, object)
    def _on_searcher_failed(self, key: tuple[object, str], exc: BaseException) -> None:
        if key != (self._figures_key, self._search_asked):
            return
        if not isinstance(exc, DATABASE_ERRORS):
            raise exc
        self._matches_text = key[1]
        self.matches_hint.setText(_("Cannot search: {reason}").format(reason=error_sentence(exc)))

    def _show_matches(self, text: str, rows: list[RegistrationRow]) -> None:
        self._matches_text = text
        self._search_asked = text if not text else self._search_asked
        self.matches_model.set_rows(rows)
        self.matches_view.setVisible(bool(rows))
        if rows:
            self.matches_view.setCurrentIndex(self.matches_model.index(0, 0))
            row_height = max(self.matches_view.sizeHintForRow(0), QFontMetrics(self.matches_view.font()).height() + 12)
            self.matches_view.setFixedHeight(row_height * len(rows) + 2 * self.matches_view.frameWidth() + 2)
            self.matches_hint.setText(_("↑ ↓ choose · Enter checks in · Esc clears"))
        else:
            self.matches_hint.setText(_("No one matches.") if text else "")

    def _chosen_match(self) -> RegistrationRow | None:
        index = self.matches_view.currentIndex()
        if not index.isValid() and self.matches_model.rowCount():
            index = self.matches_model.index(0, 0)
        return self.matches_model.row_at(index.row()) if index.isValid() else None

    def _move_choice(self, step: int) -> None:
        count = self.matches_model.rowCount()
        if not count:
            return
        current = self.matches_view.currentIndex().row()
        row = min(max(0, (current if current >= 0 else -1) + step), count - 1)
        self.matches_view.setCurrentIndex(self.matches_model.index(row, 0))

    def _show_desk_name(self) -> None:
        name = self.desk_name()
        self.desk_label.setText(_("Desk: {name}").format(name=name))
        self.desk_label.setToolTip(_("Recorded with every check-in made here"))
        asked = self.settings().value(DESK_NAME_KEY)
        self.name_notice.setVisible(not asked)
        self.name_notice_label.setText(_(
            "This desk records its check-ins as “{name}” (this computer's name). Keep it, or give "
            "the desk a name the other desks will recognise, such as “Entrance A”.").format(name=name))
        self._show_printing()

    def _is_small(self) -> bool:
        """Whether the event has at most ``SMALL_EVENT`` registrations (as last counted), in
        a SQLite file (a local read of some milliseconds)."""
        if self._counts is not None:
            return self._counts.registered <= SMALL_EVENT
        assert self._database is not None and self._detail is not None
        if self._database.dialect != "sqlite":
            return False  # a server may be slow to answer: never read on this thread
        try:
            with self._database.read() as session:
                return count_registrations(session, self._detail.summary.id) <= SMALL_EVENT
        except SQLAlchemyError:
            return False  # the read behind the page says why

    def _show_empty_figures(self) -> None:
        """Another event: no figures until they are read."""
        for card in (self.in_card, self.registered_card):
            card.figure.setText("–")
            card.detail.setText("")
        self.sector_bars.set_figures({})
        self._last_of_desk = None
        self._show_recent([])

    def _show_counts(self, counts: DeskCounts) -> None:
        self.in_card.figure.setText(_figures(counts.checked_in, counts.expected))
        if counts.expected:
            share = formats.percent(round(counts.checked_in / counts.expected, 2))
            # Translators: {share} is a percentage ("46%"; the language's own form).
            self.in_card.detail.setText(_("{share} of those expected are in").format(share=share))
        else:
            self.in_card.detail.setText(_("no one is registered or confirmed yet"))
        self.registered_card.figure.setText(formats.number(counts.registered))
        missing = counts.registered - counts.checked_in
        self.registered_card.detail.setText(
            n_("{n} not checked in", "{n} not checked in", missing).format(n=formats.number(missing)))
        self.sector_bars.set_figures(counts.by_sector)

    def _subject(self) -> tuple[int, str, str] | None:
        """(registration id, name, code) of the person a reprint means: the one chosen in the
        list while typing, else the last result shown."""
        if self.search.text().strip() and self.matches_model.rowCount():
            row = self._chosen_match()
            if row is not None:
                return row.id, row.name, row.code
        result = self._last_result
        if result is not None and result.registration_id is not None:
            return result.registration_id, result.name, result.code or ""
        return None

    def _update_buttons(self) -> None:
        has_event = self._database is not None and self._detail is not None
        last = self._last_of_desk
        self.undo_button.setEnabled(has_event and last is not None)
        if last is not None:
            # Translators: {time} is HH:MM, {key} the keyboard shortcut of Undo last check-in.
            self.last_label.setText(_("Last check-in at this desk: {name}, {time} — {key} undoes it").format(
                name=last.name, time=local_time(last.at, self._zone), key=key_text(UNDO_KEY)))
        else:
            self.last_label.setText(_("No check-in at this desk to undo yet.") if has_event else "")
        self.reprint_button.setEnabled(has_event and self._subject() is not None)
        self.walk_in_button.setEnabled(has_event)

    def _print_badge(self, registration_id: int, name: str, code: str) -> None:
        """The badge made on the desk's worker, then shown in the preview to print."""
        if self._database is None or self._detail is None:
            return
        self.print_status.setText(_("Preparing the badge {code}…").format(code=code or registration_id))
        lang = self._lang
        self._submit_on(lambda database, event_id: _badge_job(database, event_id, registration_id, code, lang),
                        lambda done: self._on_badge_made(name, done.value), self._on_badge_failed)

    def _on_badge_made(self, name: str, path: Path) -> None:
        from desktop.exports.print_common import PrintError
        from desktop.ui.printing.pdf_preview import PdfError, PdfPreviewDialog

        folder = path.parent
        self.print_status.setText("")
        try:
            dialog = PdfPreviewDialog(path, title=_("Badge of {name}").format(name=name), suggested_name=path.stem,
                                      parent=self, settings=self.settings())
        except Exception as exc:  # noqa: BLE001 - whatever stopped it, say so and leave nothing behind
            shutil.rmtree(folder, ignore_errors=True)
            if not isinstance(exc, (PrintError, PdfError, OSError, ValueError)):
                raise
            self._tell(QMessageBox.Icon.Warning, _("Cannot print the badge"), error_sentence(exc))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: (shutil.rmtree(folder, ignore_errors=True), self._back_to_desk()))
        self.preview_dialog = dialog
        dialog.open()

    def _back_to_desk(self) -> None:
        """The desk's window active again and the focus in the field (a dialog closed)."""
        self.window().activateWindow()
        self.refocus()

    def _on_badge_failed(self, exc: BaseException) -> None:
        from desktop.exports.print_common import PrintError

        self.print_status.setText("")
        if not isinstance(exc, (PrintError, ValueError, *DATABASE_ERRORS)):
            raise exc
        self._tell(QMessageBox.Icon.Warning, _("Cannot print the badge"), error_sentence(exc))

    # -- the desk's badge printer --------------------------------------------------------------

    def printing(self) -> DeskPrinting:
        """This desk's badge printing, as kept in the settings under the desk's name."""
        return DeskPrinting.load(self.settings(), self.desk_name())

    def set_printing(self, printing: DeskPrinting) -> None:
        printing.save(self.settings(), self.desk_name())
        self._show_printing()

    def _show_printing(self) -> None:
        printing = self.printing()
        if printing.active:
            self.printer_button.setText(_("Badges → {printer}").format(printer=printing.printer))
            self.printer_button.setToolTip(_("Each badge is printed on check-in and walk-in on {printer}, "
                                             "{page}, without a dialog.").format(
                printer=printing.printer, page=_(PAGE_LAYOUTS[printing.layout])))
        else:
            self.printer_button.setText(_("Badge printer: off"))
            self.printer_button.setToolTip(_("Choose a printer to print each badge on check-in and walk-in, "
                                             "without a dialog."))

    def _on_printer_menu_about_to_show(self) -> None:
        """The menu built afresh each time: printers come and go."""
        menu = self.printer_menu
        menu.clear()
        printing = self.printing()
        on = menu.addAction(_("Print the badge on check-in and walk-in"))
        on.setCheckable(True)
        on.setChecked(printing.enabled)
        on.toggled.connect(lambda checked: self.set_printing(DeskPrinting(checked, printing.printer, printing.layout)))
        menu.addSection(_("Printer"))
        printers = available_printers()
        if not printers:
            none = menu.addAction(_("No printer is installed on this computer"))
            none.setEnabled(False)
        for name in printers:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == printing.printer)
            action.triggered.connect(lambda _checked=False, name=name: self.set_printing(
                DeskPrinting(True, name, printing.layout)))
        if printing.printer and printing.printer not in printers:
            gone = menu.addAction(_("{printer} (not available now)").format(printer=printing.printer))
            gone.setCheckable(True)
            gone.setChecked(True)
            gone.setEnabled(False)
        menu.addSection(_("Badge page"))
        for key, words in PAGE_LAYOUTS.items():
            action = menu.addAction(_(words))
            action.setCheckable(True)
            action.setChecked(key == printing.layout)
            action.triggered.connect(lambda _checked=False, key=key: self.set_printing(
                DeskPrinting(printing.enabled, printing.printer, key)))

    def print_to_desk(self, subject: BadgeSubject, *, again: bool = False) -> None:
        """Print ``subject``'s badge on the desk's printer in the background (the verdict
        never waits for it); a badge printed before asks first, unless ``again``."""
        if self._database is None or self._detail is None:
            return
        self._dismiss_question()
        printing = self.printing()
        self.print_status.setText(_("Printing badge {code}…").format(code=subject.code))
        args = (self._database, self._detail.summary.id, subject, self.desk_name(), self._lang, printing,
                self.print_signals)
        job = BadgePrintJob(*args, again=again, factory=self.printer_factory) if self._live is None else \
            _LiveBadgePrintJob(self._live, *args, again=again, factory=self.printer_factory)
        QThreadPool.globalInstance().start(job)

    def _dismiss_question(self) -> None:
        self._question_subject = None
        self.print_question.setVisible(False)

    @Slot(object)
    def _on_print_signals_printed(self, subject: BadgeSubject) -> None:
        self.print_status.setText(_("Badge {code} printed on {printer}.").format(
            code=subject.code, printer=self.printing().printer))

    @Slot(object, object)
    def _on_print_signals_already(self, subject: BadgeSubject, before: Any) -> None:
        self.print_status.setText("")
        self._question_subject = subject
        # Translators: {time} is HH:MM (a date before it when not today), {desk} the desk's name.
        self.print_question_label.setText(_("Badge of {name} already printed at {time} at desk {desk}. "
                                            "Print again?").format(
            name=subject.name, time=self._when(before.at), desk=before.desk))
        self.print_again_button.setText(_("Print again  {key}").format(key=key_text(REPRINT_KEY)))
        self.no_print_button.setText(_("No  {key}").format(key=p_("key", "Enter")))
        self.print_question.setVisible(True)

    @Slot(object, str)
    def _on_print_signals_failed(self, subject: BadgeSubject, sentence: str) -> None:
        self._tell_print_problem(_("Badge {code} was not printed: {reason}").format(code=subject.code,
                                                                                  reason=sentence))

    @Slot(object, str)
    def _on_print_signals_unrecorded(self, subject: BadgeSubject, sentence: str) -> None:
        self._tell_print_problem(_("Badge {code} was printed, but the print could not be recorded, so other "
                                   "desks will not know of it: {reason}").format(code=subject.code, reason=sentence))

    def _tell_print_problem(self, message: str) -> None:
        self.print_status.setText(message)
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar):
            bar().showMessage(message, 15000)

    def _on_print_again_button_clicked(self) -> None:
        subject = self._question_subject
        if subject is not None:
            self.print_to_desk(subject, again=True)
        self.refocus()

    def _on_no_print_button_clicked(self) -> None:
        subject = self._question_subject
        self._dismiss_question()
        if subject is not None:
            self.print_status.setText(_("Badge {code} not printed again.").format(code=subject.code))
        self.refocus()

    def _when(self, at: dt.datetime) -> str:
        """HH:MM in the event's zone; with the date when it was not today."""
        local = at.astimezone(self._zone)
        if local.date() == dt.datetime.now(self._zone).date():
            return local_time(at, self._zone)
        return f"{formats.date(local.date())} {local_time(at, self._zone)}"

    # -- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: MATCH_LIMIT,
                     Qt.Key.Key_PageUp: -MATCH_LIMIT}
            if key in steps and self.matches_model.rowCount():
                if self._search_timer.isActive():
                    self._search_now(self.search.text())
                self._move_choice(steps[key])
                return True
        if watched is self.search and event.type() == QEvent.Type.FocusOut:
            # Desk mode keeps the focus in the field, unless a dialog or another window took it.
            QTimer.singleShot(0, self._take_focus_back)
        return super().eventFilter(watched, event)

    def _take_focus_back(self) -> None:
        focus = QApplication.focusWidget()
        if self.isVisible() and QApplication.activeModalWidget() is None and (
                focus is None or focus is self or self.isAncestorOf(focus)):
            self.refocus()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._detail is not None:
            self._refresh_timer.start()
        QTimer.singleShot(0, self.refocus)

    def hideEvent(self, event: Any) -> None:
        self._refresh_timer.stop()
        super().hideEvent(event)

    def _on_app_about_to_quit(self) -> None:
        """The application quits: the check-ins, undo and walk-ins still queued on the desk's
        worker are done first (a daemon thread would otherwise end with the process and
        drop them), for at most ``QUIT_WAIT_S``; then the desk's link to its server ends
        (what waits in its local copy is sent at the next start)."""
        self._worker.finish(QUIT_WAIT_S)
        self._reads.close(READS_WAIT_S)
        self._drop_live(wait=3.0)

    def finish_queued(self) -> None:
        """Do the check-ins, undo and walk-ins still queued before the window closes the
        database they were scanned on (another database is opened), for at most
        ``QUIT_WAIT_S``; the worker then takes the next database's work. The desk's link to
        the old server ends (the next ``show_event`` makes one for the next database). The
        reads of the figures under way are waited for (``READS_WAIT_S``), and no other starts
        before the next ``show_event``."""
        self._worker.finish(QUIT_WAIT_S)
        self._reads.close(READS_WAIT_S)
        self._drop_live(wait=0.1)

    # -- slots ------------------------------------------------------------------------------

    def _on_search_text_edited(self, _text: str) -> None:
        self._dismiss_question()  # the next person: the question was about the one before
        self._search_timer.start()
        self._fade_result()

    def _on_search_timer_timeout(self) -> None:
        self._search_now(self.search.text())
        self._update_buttons()

    def _on_search_return_pressed(self) -> None:
        if not self.search.text().strip() and self.print_question.isVisible():
            self._on_no_print_button_clicked()  # Enter on the empty field: no second copy
            return
        self.check_in_typed(self.search.text())

    def _on_escape_activated(self) -> None:
        if not self.search.text() and self.offline_banner.held:
            self.offline_banner.dismiss()  # Esc on the empty field: the back-online word was read
        self._dismiss_question()
        self.search.clear()
        self._search_now("")
        self._fade_result()
        self._update_buttons()

    def _fade_result(self) -> None:
        """The verdict (or notice) on screen was about what was in the field before: back to
        neutral. "CHECKING…" stays: it is about the check-ins under way, not the field."""
        if self.state_panel.state == "checking":
            return
        if self.state_panel.state != "idle" or self.state_panel.headline.text() != _(READY):
            self.state_panel.show_ready(self._last_result)

    def _on_matches_view_clicked(self, index: QModelIndex) -> None:
        self.matches_view.setCurrentIndex(index)
        self.refocus()

    def _on_matches_view_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and self._database is not None and self._detail is not None:
            row = self.matches_model.row_at(index.row())
            self._clear_field()
            self._check_in(row.name, row.name, _target_of(row), True)
        self.refocus()

    def _on_refresh_timer_timeout(self) -> None:
        if self.isVisible() and not self._refresh_pending and \
                QApplication.activeModalWidget() is None:
            self.refresh()

    def _on_undo_button_clicked(self) -> None:
        """Undo this desk's last check-in, behind the check-ins asked for before (the
        desk's worker): the last one scanned is the one undone."""
        if self._database is None or self._detail is None:
            return
        self._submit_on(_UndoJob(self.desk_name(), self._lang), self._on_undone, self._on_undo_failed)

    def _on_undone(self, done: _Done) -> None:
        last, undone = done.value
        if last is None:
            self._last_of_desk = None
            self.state_panel.show_idle(_("Nothing to undo"), _("No check-in made at this desk is left to undo."))
            self._update_buttons()
            self.refocus()
            return
        self._last_result = None
        self.state_panel.show_undone(undone.name, undone.checked_in)
        self._generation += 1  # a read under way still has the check-in
        self._last_of_desk = None  # until the read behind says which is the last now
        self._update_buttons()
        self.refresh()
        self.refocus()

    def _on_undo_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (DeskError, *DATABASE_ERRORS)):
            raise exc
        self._tell(QMessageBox.Icon.Warning, _("Cannot undo the check-in"), error_sentence(exc))
        self.refresh()

    def _on_reprint_button_clicked(self) -> None:
        if self._checking:  # the person meant is the last one scanned: after their verdict
            self._submit(lambda: None, lambda _none: self._on_reprint_button_clicked(), lambda _exc: None)
            return
        subject = self._subject()
        if subject is None:
            self.state_panel.show_idle(_("Whose badge?"), _("Check someone in or choose them in the list first."))
            self.refocus()
            return
        if self.printing().active:
            question = self._question_subject
            again = question is not None and (question.code == subject[2] if subject[2]
                                              else question.registration_id == subject[0])
            self.print_to_desk(BadgeSubject(*subject), again=again)
            return
        self._print_badge(*subject)

    def _on_walk_in_button_clicked(self) -> None:
        """The form at once; the organisations it offers as soon as they are read."""
        if self._database is None or self._detail is None:
            return
        from desktop.ui.desk.walk_in import WalkInDialog

        lang = self._lang
        dialog = WalkInDialog(None, self)
        typed = self.search.text().strip()
        if typed and not desk_code(typed).isdigit():
            dialog.set_typed_name(typed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_walk_in_dialog_accepted(dialog))
        dialog.rejected.connect(self.refocus)
        self.walk_in_dialog = dialog
        dialog.open()

        def offer(organisations: Any) -> None:
            if shiboken6.isValid(dialog):
                dialog.set_organisations(organisations)

        self._submit_on(lambda database, _event_id: _organisations_job(database, lang),
                        lambda done: offer(done.value), lambda _exc: None)

    def _on_walk_in_dialog_accepted(self, dialog: Any) -> None:
        assert self._database is not None and self._detail is not None
        # One uuid for what the walk-in makes, wherever it runs: made on the server that did not
        # answer in time and then on the local copy, it is one person and one check-in.
        values = {**dialog.values(), "uid": uuid_mod.uuid4()}
        print_badge = dialog.print_badge.isChecked()
        typed = self.search.text()
        desk, lang = self.desk_name(), self._lang
        live = self._live
        on_server = None if live is None else (lambda answer: live.record(answer[0].check_in))
        self._submit_on(lambda database, event_id: _walk_in_job(database, event_id, desk, lang, values),
                        functools.partial(self._on_walked_in, typed, print_badge), self._on_walk_in_failed, on_server)

    def _on_walked_in(self, typed: str, print_badge: bool, done: _Done) -> None:
        made, rows = done.value
        if typed and self.search.text() == typed:
            self._clear_field()  # the name the form was filled from
        self._show_result(made.check_in, rows, new_registration=not made.already_registered, auto_print=False)
        if done.offline:
            self.state_panel.add_offline_note(self._when(done.refreshed_at) if done.refreshed_at else None)
        if print_badge:
            if self.printing().active:
                self.print_to_desk(BadgeSubject(made.registration_id, made.check_in.name, made.code))
            else:
                self._print_badge(made.registration_id, made.check_in.name, made.code)

    def _on_walk_in_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (DeskError, *DATABASE_ERRORS)):
            raise exc
        self._tell(QMessageBox.Icon.Warning, _("Cannot register the walk-in"), error_sentence(exc))

    def _on_rename_button_clicked(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Name this desk"))
        dialog.setLabelText(_("The name recorded with every check-in made at this desk:"))
        dialog.setTextValue(self.desk_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(self._on_rename_dialog_text_value_selected)
        dialog.finished.connect(lambda _r: self.refocus())
        self.rename_dialog = dialog
        dialog.open()

    def _on_rename_dialog_text_value_selected(self, name: str) -> None:
        try:
            self.set_desk_name(name)
        except DeskError as exc:
            QMessageBox.warning(self, _("Cannot use this name"), str(exc))

    def _on_keep_name_button_clicked(self) -> None:
        self.set_desk_name(self.desk_name())

    def _on_full_screen_button_clicked(self) -> None:
        self.toggle_full_screen()

    def _on_full_screen_shortcut_activated(self) -> None:
        self.toggle_full_screen()

    def toggle_full_screen(self) -> None:
        """F11: the window full screen, or back."""
        window = self.window()
        if window.isFullScreen():
            window.showNormal()
        else:
            window.showFullScreen()
        self.full_screen_button.setChecked(window.isFullScreen())
        self.refocus()


