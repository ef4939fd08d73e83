"""An open editor's notice that another workstation changed its row (issue 15, part 3).

An editor (person, organisation, event, session, item, registration details) puts a
``RowNotice`` at its top and calls ``watch`` with the mark of the row it read
(``desktop.core.row_news.mark_row``, read with the form's values). The window it was
opened from says when another workstation committed (``MainWindow.rows_changed_elsewhere``,
on the window's thread, with the tables named — PostgreSQL — or None — SQLite, where our own
commits are heard too); the notice then reads the row's version (one query by key; on a
server off the window's thread) and, only when it rose since the editor read the row and
the last change is not one of this window's edits (``Edits.own_edits``), reads who changed
it, when and which fields, and shows one yellow sentence: "Workstation 2 changed this at
10:42 while it was open: what you change is saved on top, and where you both changed a
field you will be asked." The editor's fields are never changed under the user: the save
merges by field (``desktop.core.changes``).

Outside a window (a dialog made alone, in a test) there is nothing to hear, and the notice
stays hidden; ``check`` looks at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid as uuid_mod
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop.core import formats
from desktop.core.language import _
from desktop.ui.shell import style

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.core.row_news import RowMark, RowNews

MAX_FIELDS = 3
"""Fields named in the notice at most (more: the sentence names none)."""


def notice_style(name: str) -> str:
    """The yellow notice's style sheet (the demo tag's colours in a rounded frame, as the desk's notices)."""
    return (f"QFrame#{name} {{ background: {style.DEMO_BG}; border: 1px solid #ecd58a; border-radius: 8px; }}"
            f"QFrame#{name} QLabel {{ color: {style.DEMO_INK}; }}")


def moment_text(when: dt.datetime | None, lang: str | None = None, now: dt.datetime | None = None) -> str:
    """"10:42" in this computer's time, with the date when it was not today ("" for none)."""
    if when is None:
        return ""
    from desktop.core.history import when_text

    local = (when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)).astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    return formats.time(local, lang) if local.date() == today else when_text(local, lang)


def news_text(news: RowNews, table: str, lang: str | None = None, now: dt.datetime | None = None) -> str:
    """The notice's sentence about ``news`` of a row of ``table``."""
    from desktop.core.history import field_label

    who = news.who.strip()
    moment = moment_text(news.when, lang, now) or "—"
    if news.deleted:
        if who:
            # Translators: an editor's notice; {who} is another organiser, {time} "10:42" (or a date and a time).
            return _("{who} deleted this at {time} while it was open: it can no longer be saved.").format(
                who=who, time=moment)
        # Translators: an editor's notice; {time} is "10:42" (or a date and a time).
        return _("Someone else deleted this at {time} while it was open: it can no longer be saved.").format(
            time=moment)
    labels = list(dict.fromkeys(field_label(table, field, lang) for field in news.fields))
    if 0 < len(labels) <= MAX_FIELDS:
        fields = formats.listing(labels, lang)
        if who:
            # Translators: an editor's notice; {who} is another organiser, {time} "10:42", {fields} the
            # fields' names listed ("Phone and Position").
            return _("{who} changed this at {time} while it was open ({fields}): what you change is saved on "
                     "top, and where you both changed a field you will be asked.").format(
                who=who, time=moment, fields=fields)
        # Translators: an editor's notice; {time} is "10:42", {fields} the fields' names listed.
        return _("Someone else changed this at {time} while it was open ({fields}): what you change is saved "
                 "on top, and where you both changed a field you will be asked.").format(time=moment, fields=fields)
    if who:
        # Translators: an editor's notice; {who} is another organiser, {time} "10:42" (or a date and a time).
        return _("{who} changed this at {time} while it was open: what you change is saved on top, and where "
                 "you both changed a field you will be asked.").format(who=who, time=moment)
    # Translators: an editor's notice; {time} is "10:42" (or a date and a time).
    return _("Someone else changed this at {time} while it was open: what you change is saved on top, and "
             "where you both changed a field you will be asked.").format(time=moment)


def _window_of(widget: QWidget | None) -> QWidget | None:
    """The main window ``widget`` (an editor's parent) belongs to: one that says when others
    change rows; None outside one."""
    while widget is not None:
        window = widget.window()
        if hasattr(window, "rows_changed_elsewhere"):
            return window
        widget = window.parentWidget()
    return None


class RowNotice(QFrame):
    """The yellow notice at an editor's top: hidden until another workstation changes the
    row the editor shows (see the module's docstring).

    Signals: ``shown`` after the notice appeared or its sentence changed.
    """

    shown = Signal()
    _found = Signal(object, int)  # from a reading thread: the news (or None), the version read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rowNotice")
        self.setStyleSheet(notice_style("rowNotice"))
        self.label = QLabel()
        self.label.setObjectName("rowNoticeText")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 7, 12, 7)
        layout.addWidget(self.label, 1)
        self.setVisible(False)
        self._database: Database | None = None
        self._mark: RowMark | None = None
        self._seen = 0  # the version last looked at
        self._edits: Any = None  # the window's Edits: its own edits are not news
        self._reading = False
        self._again = False
        self._news: RowNews | None = None
        self._found.connect(self._on_found)

    @property
    def news(self) -> RowNews | None:
        """What the notice says (None while hidden)."""
        return self._news

    def watch(self, database: Database, mark: RowMark | None, opener: QWidget | None) -> None:
        """Watch the row of ``mark`` (None: a new row, nothing to watch) in ``database`` for
        the editor opened from ``opener`` (a section or the window)."""
        self._database, self._mark = database, mark
        if mark is None:
            return
        self._seen = mark.version
        window = _window_of(opener)
        if window is None:
            return
        self._edits = getattr(window, "edits", None)
        window.rows_changed_elsewhere.connect(self._on_rows_changed_elsewhere)  # type: ignore[attr-defined]

    def check(self) -> None:
        """Look whether the row changed (a query by key; on a server, off this thread)."""
        if self._database is None or self._mark is None:
            return
        if self._reading:
            self._again = True
            return
        own = frozenset(getattr(self._edits, "own_edits", ()) or ())
        database, mark, seen = self._database, self._mark, self._seen
        if database.dialect == "sqlite":  # a read by key of a local file: well under a millisecond
            self._read(database, mark, seen, own, emit=False)
            return
        self._reading = True
        threading.Thread(target=self._read, args=(database, mark, seen, own), name="row-notice",
                         daemon=True).start()

    def _read(self, database: Database, mark: RowMark, seen: int, own: frozenset[uuid_mod.UUID],
              emit: bool = True) -> None:
        from desktop.core.row_news import news_since, row_version

        news: RowNews | None = None
        version = seen
        try:
            with database.read() as session:
                now = row_version(session, mark)
                if now is None or now > seen:
                    version = seen + 1 if now is None else now
                    news = news_since(session, mark, own)
        except Exception:  # noqa: BLE001 - a notice that cannot be read is not shown; the save still merges
            version = seen
        if not emit:
            self._on_found(news, version)
            return
        try:
            self._found.emit(news, version)
        except RuntimeError:
            pass  # the editor was closed meanwhile

    @Slot(object, int)  # from the reading thread: a real slot (desk/page.py says why)
    def _on_found(self, news: RowNews | None, version: int) -> None:
        self._reading = False
        self._seen = max(self._seen, version)
        if news is not None and self._mark is not None:
            self._news = news
            self.label.setText(news_text(news, self._mark.table))
            self.setVisible(True)
            self.shown.emit()
        if self._again:
            self._again = False
            self.check()

    def _on_rows_changed_elsewhere(self, tables: frozenset[str] | None) -> None:
        if self._mark is None or (tables is not None and self._mark.table not in tables):
            return
        if not self.window().isVisible():
            return
        self.check()


__all__ = ["MAX_FIELDS", "RowNotice", "moment_text", "news_text", "notice_style"]
