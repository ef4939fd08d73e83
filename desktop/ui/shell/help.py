"""Help → Keyboard Shortcuts: every shortcut of the window, read from its actions.

The list is made when the window opens it, from the menus' actions and from the actions
and shortcuts of each section, so it says what the keys do now and cannot drift from them.
Loaded when first used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.language import N_, NP_, _, p_
from desktop.ui.shell.shortcuts import TEXT_FIELD_KEYS, ShortcutClaim

# Messages, translated where shown.
TITLE = N_("Keyboard Shortcuts")
# Translators: below the list of shortcuts; {keys} lists keys ("Ctrl+A, Ctrl+C, Ctrl+V").
TEXT_FIELD_NOTE = N_("In a text field these keys edit the text, not the window: {keys}.")
CLAIM_FALLBACK = NP_("shortcut", "Add")


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the list: what the keys do and the keys, as the platform writes them."""

    what: str
    keys: str


@dataclass(frozen=True)
class ShortcutGroup:
    """A menu or a section, and its shortcuts in the order they are met."""

    title: str
    rows: tuple[ShortcutRow, ...]


def plain_text(text: str) -> str:
    """An action's text without its mnemonic "&" and trailing "…" ("&Export attendees…" →
    "Export attendees")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


def keys_text(sequences: Iterable[QKeySequence]) -> str:
    seen: list[str] = []
    for sequence in sequences:
        shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if shown and shown not in seen:
            seen.append(shown)
    return ", ".join(seen)


class _Rows:
    """Rows keyed by what they do: the same action bound in two places lists its keys once."""

    def __init__(self) -> None:
        self._keys: dict[str, list[QKeySequence]] = {}

    def add(self, what: str, sequences: Sequence[QKeySequence]) -> None:
        if what and sequences:
            self._keys.setdefault(what, []).extend(sequences)

    def rows(self) -> tuple[ShortcutRow, ...]:
        return tuple(ShortcutRow(what, keys_text(keys)) for what, keys in self._keys.items() if keys_text(keys))


def menu_group(menu: QMenu) -> ShortcutGroup:
    """The shortcuts of ``menu`` and its submenus ("Print › Badges")."""
    rows = _Rows()

    def walk(current: QMenu, prefix: str) -> None:
        for action in current.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{prefix}{plain_text(submenu.title())} › ")
            elif not action.isSeparator():
                rows.add(prefix + plain_text(action.text()), action.shortcuts())

    walk(menu, "")
    return ShortcutGroup(plain_text(menu.title()), rows.rows())


def section_group(title: str, page: QWidget) -> ShortcutGroup:
    """The shortcuts a section binds itself: its actions with keys, its ``QShortcut``s (named
    by their "What's This" text), and the keys it claims from the window (named by the
    actions whose tooltips give those keys)."""
    rows = _Rows()
    actions = page.findChildren(QAction)
    for action in actions:
        rows.add(plain_text(action.text()), action.shortcuts())
    for shortcut in page.findChildren(QShortcut):
        rows.add(plain_text(shortcut.whatsThis()), shortcut.keys())
    for claim in page.findChildren(ShortcutClaim):
        key = claim.sequence.toString(QKeySequence.SequenceFormat.PortableText)
        named = [plain_text(a.text()) for a in actions if f"({key})" in a.toolTip() and not a.shortcuts()]
        rows.add(" / ".join(dict.fromkeys(named)) or p_("shortcut", CLAIM_FALLBACK), [claim.sequence])
    return ShortcutGroup(title, rows.rows())


def text_field_note() -> str:
    letters = [k for k in TEXT_FIELD_KEYS if Qt.Key.Key_A.value <= k[0].key().value <= Qt.Key.Key_Z.value]  # type: ignore[index]
    return _(TEXT_FIELD_NOTE).format(keys=keys_text(letters))


class ShortcutsDialog(QDialog):
    """The list of ``groups``: one branch per menu or section, what the keys do and the keys."""

    def __init__(self, groups: Sequence[ShortcutGroup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(TITLE))
        self.setObjectName("shortcutsDialog")
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutsList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([p_("shortcuts column", "Does"), p_("shortcuts column", "Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setStyleSheet("QTreeWidget#shortcutsList::item { padding: 3px 4px; }")
        bold = self.tree.font()
        bold.setBold(True)
        for group in groups:
            if not group.rows:
                continue
            branch = QTreeWidgetItem([group.title, ""])
            branch.setFont(0, bold)
            self.tree.addTopLevelItem(branch)
            for row in group.rows:
                QTreeWidgetItem(branch, [row.what, row.keys])
            branch.setExpanded(True)
        note = QLabel(text_field_note())
        note.setObjectName("hint")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, what, keys) as listed, top to bottom."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            branch = self.tree.topLevelItem(i)
            assert branch is not None
            for j in range(branch.childCount()):
                child = branch.child(j)
                assert child is not None
                out.append((branch.text(0), child.text(0), child.text(1)))
        return out


__all__ = ["ShortcutGroup", "ShortcutRow", "ShortcutsDialog", "menu_group", "plain_text", "section_group"]
