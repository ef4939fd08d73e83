"""What a person reads on a widget, and which of it is an English message of the catalogs.

``visible_texts(widget)`` gathers the texts of a widget and its children: labels, buttons,
tabs, group boxes, placeholders, tooltips and status tips, window titles, the items of combo
boxes, the actions of menus, and the headers and cells (text and tooltip) of item views.

``english_left(texts, lang)`` gives the texts that are an English message of the catalog
(the ``msgid`` of ``lang``'s .po) — the message itself, without its accelerator, or the
message with its placeholders filled in ("3 days" for "{n} days") — unless the translation
is the same as the English (a message every language writes alike, such as "PNG").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from babel.messages.pofile import read_po
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from resources.translations import catalogs

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[A-Za-z]{3,}")


def _plain(text: str) -> str:
    """``text`` without Qt's accelerator marks ("&Save" → "Save", "&&" → "&")."""
    return re.sub(r"&(.)", r"\1", text).strip()


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """A model's headers and every cell's text and tooltip (and of its children)."""
    parent = parent or QModelIndex()
    out: list[str] = []
    # A list model's columnCount is not Python's to call (PySide keeps it private): one column.
    flat = isinstance(model, QAbstractListModel)
    rows, columns = model.rowCount(parent), 1 if flat else model.columnCount(parent)
    if not parent.isValid():
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                out.append(str(model.headerData(column, Qt.Orientation.Horizontal, role) or ""))
    for row in range(rows):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    out.append(value)
            if column == 0 and not flat and model.rowCount(index) > 0:
                out.extend(model_texts(model, index))
    return [t for t in out if t]


def action_texts(actions: Iterable[QAction]) -> list[str]:
    out: list[str] = []
    for action in actions:
        out += [action.text(), action.toolTip(), action.statusTip()]
        menu = action.menu()
        if isinstance(menu, QMenu):
            out.append(menu.title())
            out += action_texts(menu.actions())
    return [t for t in out if t]


def living_children(root: QWidget) -> list[QWidget]:
    """``root`` and its children, without the dialogs closed and waiting to be deleted
    (``WA_DeleteOnClose``) and their insides: deleted objects are first let go (Qt deletes
    them when the event loop comes round), and a closed child dialog is not on screen."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    closed = [d for d in root.findChildren(QDialog) if d is not root and not d.isVisible()]
    return [w for w in (root, *root.findChildren(QWidget))
            if not any(w is d or d.isAncestorOf(w) for d in closed)]


def visible_texts(widget: QWidget, *, skip: Iterable[QWidget] = ()) -> list[str]:
    """The texts of ``widget`` and its children (``skip``: subtrees left out)."""
    skipped = list(skip)
    out: list[str] = []
    for w in living_children(widget):
        if any(w is s or s.isAncestorOf(w) for s in skipped):
            continue
        out += [w.toolTip(), w.statusTip()]
        if w.isWindow():
            out.append(w.windowTitle())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out += [w.placeholderText()]
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())] + [w.tabToolTip(i) for i in range(w.count())]
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())] + [w.placeholderText()]
        if isinstance(w, QDialogButtonBox):
            out += [b.text() for b in w.buttons()]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += model_texts(w.model())
        if isinstance(w, QMenu):
            out.append(w.title())
        out += action_texts(w.actions())
    return [t for t in out if t and t.strip()]


@cache
def _english(lang: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The English messages of ``lang``'s catalog whose translation differs: as plain
    texts, and (those with placeholders) as patterns that match them filled in."""
    with catalogs.po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in po:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue  # written alike in both languages
            literal = _PLACEHOLDER.sub(" ", source)
            if not _WORD.search(literal):
                continue  # no English word of its own ("{missing}: {shown}", "“{name}”")
            if _PLACEHOLDER.search(source):
                parts = _PLACEHOLDER.split(_plain(source))
                patterns.append(re.compile("^" + "(?:.+?)".join(re.escape(p) for p in parts) + "$", re.S))
            else:
                plain.add(_plain(source))
    return frozenset(plain), tuple(patterns)


def english_left(texts: Iterable[str], lang: str) -> list[str]:
    """The texts that are English messages of the catalog (see the module's docstring)."""
    plain, patterns = _english(lang)
    found = []
    for text in dict.fromkeys(texts):
        bare = _plain(text)
        if bare in plain or any(p.match(bare) for p in patterns):
            found.append(text)
    return found


__all__ = ["action_texts", "english_left", "model_texts", "visible_texts"]
