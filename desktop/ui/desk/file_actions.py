"""File → Export Desk File… and Merge Desk File…: the two menu actions of the main window.

A light module: the window makes these actions at start-up, and the dialogs
(``desktop.ui.desk.file_dialogs``, with ``desktop.core.desk_file`` behind them) load when
one of the actions is first triggered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from desktop.core import formats
from desktop.core.language import _, n_
from desktop.ui.shell.window import Window

if TYPE_CHECKING:
    from desktop.ui.desk.file_dialogs import DeskExport, MergeDialog


class DeskFileActions(QObject):
    """File → Export Desk File… and Merge Desk File… for a main window (enabled while it
    shows an event). The window needs ``database``, ``detail``, ``settings``, ``event_bar``,
    ``refresh()``, ``statusBar()`` and the ``event_changed`` signal.

    Signals:
        merge_previewed(object): a desk file chosen to merge was read (a dry run, in a worker
            thread); carries the ``MergeDialog`` opened on it, or None when the file cannot be
            merged (the user was told why) or the reading was cancelled.
    """

    merge_previewed = Signal(object)

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self._window = window
        self.export_action = QAction(_("Export &Desk File…"), window)
        self.export_action.setStatusTip(_("Save the event's registrations to a file a desk without network can "
                                          "work on"))
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.merge_action = QAction(_("&Merge Desk File…"), window)
        self.merge_action.setStatusTip(_("Bring a desk file's check-ins and walk-ins back into this database"))
        self.merge_action.triggered.connect(self._on_merge_action_triggered)
        self.export: DeskExport | None = None
        self.merge_dialog: MergeDialog | None = None
        self._previewing: MergeDialog | None = None  # its dry run under way
        self._set_enabled(False)
        window.event_changed.connect(self._on_window_event_changed)

    def _set_enabled(self, enabled: bool) -> None:
        self.export_action.setEnabled(enabled)
        self.merge_action.setEnabled(enabled)

    def start_export(self) -> DeskExport | None:
        window = self._window
        detail = window.detail
        if detail is None or (self.export is not None and self.export.is_running()):
            return None
        from desktop.ui.desk.file_dialogs import DeskExport  # loaded when first used

        self.export = DeskExport(window.database, detail.summary.id, detail.summary.title, window,
                                 window.settings, window.event_bar.language)
        self.export.finished.connect(self._on_export_finished)
        self.export.start()
        return self.export

    def open_merge(self, path: Path) -> MergeDialog | None:
        """Start the merge dialog for ``path``: its dry run reads the file in a worker thread
        (a progress dialog over the window when it takes long), then the dialog opens, or
        the user is told in one sentence why the file cannot be merged. ``merge_previewed``
        says which. None while another desk file is being read."""
        from desktop.ui.desk.file_dialogs import MergeDialog  # loaded when first used

        if self._previewing is not None:
            return None
        window = self._window
        dialog = MergeDialog(window.database, path, None, window, window.settings, preview=False)
        self._previewing = dialog
        dialog.previewed.connect(self._on_merge_dialog_previewed)
        dialog.preview()
        return dialog

    def _on_merge_dialog_previewed(self, report: object) -> None:
        dialog, self._previewing = self._previewing, None
        if dialog is None:
            return
        if report is None:
            if dialog.error:
                QMessageBox.warning(self._window, _("This file cannot be merged"), dialog.error)
            dialog.deleteLater()
            self.merge_previewed.emit(None)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merged.connect(self._on_merge_dialog_merged)
        self.merge_dialog = dialog
        dialog.open()
        self.merge_previewed.emit(dialog)

    def _on_window_event_changed(self, event_id: int) -> None:
        self._set_enabled(bool(event_id))

    def _on_export_action_triggered(self) -> None:
        self.start_export()

    def _on_export_finished(self, report: object) -> None:
        from desktop.core.desk_file import DeskFileReport

        if isinstance(report, DeskFileReport):
            count = report.registrations
            self._window.show_file_written(
                n_("Desk file written to {path} ({n} registration).",
                   "Desk file written to {path} ({n} registrations).", count).format(
                    path=report.path, n=formats.number(count)),
                report.path)

    def _on_merge_action_triggered(self) -> None:
        from desktop.ui.desk.file_dialogs import choose_desk_file  # loaded when first used

        path = choose_desk_file(self._window, self._window.database, self._window.settings)
        if path is not None:
            self.open_merge(path)

    def _on_merge_dialog_merged(self, report: object) -> None:
        from desktop.core.desk_file import MergeReport

        window = self._window
        if isinstance(report, MergeReport):
            shown = window.detail
            if shown is not None and shown.summary.id != report.event_id and hasattr(window, "load_event"):
                window.load_event(report.event_id)
            else:
                window.refresh()
            window.statusBar().showMessage(report.summary(), 15000)


__all__ = ["DeskFileActions"]
