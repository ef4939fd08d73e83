"""File → Print: the main window's submenu (Badges…, Name Cards…, Sign-in Sheet…,
Certificates…, and the Participation Report…).

A light module: the window makes the menu at start-up, and the print dialog
(``desktop.ui.printing.dialogs``, with ``desktop.exports`` behind it) loads when one of its
actions is first triggered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.core.language import _, n_, p_
from desktop.ui.printing.kinds import BADGES, CERTIFICATES, NAME_CARDS, REPORT, SIGN_IN
from desktop.ui.shell import style
from desktop.ui.shell.window import REGISTRATIONS, Window

if TYPE_CHECKING:
    from desktop.ui.printing.dialogs import PrintDialog
    from desktop.ui.printing.report_dialog import ReportDialog


class PrintMenu(QMenu):
    """File → Print: Badges…, Name Cards…, Sign-in Sheet…, Certificates… for the event the
    window shows; disabled while there is none. With registrations selected in the
    Registrations section, the dialog offers to print just those."""

    def __init__(self, window: Window) -> None:
        super().__init__(p_("menu", "&Print"), window)
        self._window = window
        self.setIcon(style.icon("app"))
        self.badges_action = self._add(_("&Badges…"), BADGES, _("Print badges with QR codes on A4 sheets or cards"))
        self.name_cards_action = self._add(_("&Name Cards…"), NAME_CARDS, _("Print table tent cards, one per page"))
        self.sign_in_action = self._add(_("&Sign-in Sheet…"), SIGN_IN,
                                        _("Print the attendance list by surname with a signature column"))
        self.certificates_action = self._add(_("&Certificates…"), CERTIFICATES,
                                             _("Print certificates of attendance for the people checked in"))
        self.addSeparator()
        self.report_action = self._add(_("Participation &Report…"), REPORT,
                                       _("Print the participation figures for the donors: by stage, sector and "
                                         "gender, the podium, organisations, countries and days"))
        window.event_changed.connect(self._on_window_event_changed)
        self._on_window_event_changed(0)

    def _add(self, caption: str, kind: str, tip: str) -> QAction:
        action = self.addAction(caption)
        action.setStatusTip(tip)
        action.setData(kind)
        action.triggered.connect(self._on_any_action_triggered)
        return action

    def _on_window_event_changed(self, _event_id: int) -> None:
        has_event = self._window.detail is not None
        self.setEnabled(has_event)
        for action in self.actions():
            action.setEnabled(has_event)

    def _on_any_action_triggered(self) -> None:
        action = self.sender()
        kind = action.data() if isinstance(action, QAction) else BADGES
        if kind == REPORT:
            self.open_report_dialog()
            return
        self.open_dialog(str(kind))

    def open_report_dialog(self) -> ReportDialog | None:
        """File → Print → Participation Report…: its own dialog (the language), then the preview."""
        window = self._window
        detail = window.detail
        if detail is None:
            return None
        from desktop.ui.printing.report_dialog import ReportDialog  # loaded when first used

        dialog = ReportDialog(window.database, detail.summary.id, lang=window.event_bar.language, parent=window,
                              settings=window.settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.built.connect(self._on_report_built)
        dialog.open()
        return dialog

    def _on_report_built(self, _path: str, _items: int, pages: int) -> None:
        from desktop.core import formats

        # Translators: the status bar once the participation report is made; {pages} is "4 pages".
        self._window.statusBar().showMessage(
            _("Made the participation report ({pages}): save or print it from the preview.").format(
                pages=n_("{n} page", "{n} pages", pages).format(n=formats.number(pages))), 8000)

    def open_dialog(self, kind: str) -> PrintDialog | None:
        window = self._window
        detail = window.detail
        if detail is None:
            return None
        selected: list[int] = []
        from desktop.ui.printing.dialogs import PrintDialog  # loaded when first used

        if window.current_section() == REGISTRATIONS:
            selected = list(window.registrations_page.selected_ids())
        dialog = PrintDialog(window.database, detail.summary.id, kind, lang=window.event_bar.language,
                             selected_ids=selected, parent=window, settings=window.settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.built.connect(self._on_dialog_built)
        dialog.open()
        return dialog

    def _on_dialog_built(self, _path: str, _items: int, _pages: int) -> None:
        from desktop.ui.printing.dialogs import PrintDialog, ready_message  # loaded with the dialog

        dialog = self.sender()
        if isinstance(dialog, PrintDialog) and dialog.last_result is not None:
            self._window.statusBar().showMessage(ready_message(dialog.last_result), 8000)


__all__ = ["PrintMenu"]
