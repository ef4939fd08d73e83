"""The status bar's notice of a file just written: what was written where, and "Open Folder".

Every export ends here — attendees, desk file, a PDF saved or printed to a file, the
calendar — so the user sees where the file went and can open its folder. The notice is a
permanent widget of the status bar: the status tips of menus and buttons, which replace
the bar's temporary message as the mouse moves, do not wipe it. It stays until the next
notice, until × dismisses it, or until another database is opened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from desktop.core.language import N_, _
from desktop.ui.shell import style

# Messages, translated where shown.
OPEN_FOLDER = N_("Open Folder")
# Translators: the tooltip of "Open Folder"; {folder} is the folder of the file written.
OPEN_FOLDER_TIP = N_("Show {folder} in the file manager")
DISMISS_TIP = N_("Hide this notice")
MIN_TEXT_CHARS = 44   # the notice's text is cut in the middle beyond this many characters,
TEXT_SHARE = 0.30     # or beyond this share of the status bar, whichever is wider

NOTICE_STYLE = f"""
QLabel#fileNoticeText {{ color: {style.INK}; padding: 0 4px; }}
QToolButton#openFolderButton {{
    color: {style.ACCENT}; border: 1px solid {style.LINE}; border-radius: 4px; background: {style.SURFACE};
    padding: 1px 8px;
}}
QToolButton#openFolderButton:hover {{ background: {style.ACCENT_SOFT}; }}
QToolButton#dismissNoticeButton {{ color: {style.MUTED}; border: none; background: transparent; padding: 0 4px; }}
"""


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager; False when that could not be done."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class FileNotice(QWidget):
    """"Exported 120 attendees to /…/attendees.xlsx  [Open Folder]  ×" in the status bar.

    Signals: none; ``show_file`` fills it and shows it, ``dismiss`` hides it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fileNotice")
        self.setStyleSheet(NOTICE_STYLE)
        self._message = ""
        self._path: Path | None = None
        self.text_label = QLabel()
        self.text_label.setObjectName("fileNoticeText")
        self.text_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.open_button = QToolButton()
        self.open_button.setObjectName("openFolderButton")
        self.open_button.setText(_(OPEN_FOLDER))
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.dismiss_button = QToolButton()
        self.dismiss_button.setObjectName("dismissNoticeButton")
        self.dismiss_button.setText("×")
        self.dismiss_button.setToolTip(_(DISMISS_TIP))
        self.dismiss_button.setAccessibleName(_(DISMISS_TIP))
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text_label)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.setVisible(False)

    @property
    def message(self) -> str:
        """The sentence shown in full (the label may cut it in the middle)."""
        return self._message

    @property
    def path(self) -> Path | None:
        """The file the notice is about, or None when it is hidden."""
        return self._path

    def folder(self) -> Path | None:
        return self._path.parent if self._path is not None else None

    def show_file(self, message: str, path: Path) -> None:
        """Say ``message`` (one sentence naming the file) and offer to open ``path``'s folder."""
        self._message = message
        self._path = Path(path)
        self._fit()
        self.text_label.setToolTip(str(self._path))
        folder = self._path.parent
        tip = _(OPEN_FOLDER_TIP).format(folder=folder)
        self.open_button.setToolTip(tip)
        self.open_button.setAccessibleName(tip)
        self.setVisible(True)

    def _fit(self) -> None:
        """The message, cut in the middle when the bar has no room for it whole."""
        bar = self.parentWidget()
        width = max(self.fontMetrics().averageCharWidth() * MIN_TEXT_CHARS,
                    int(bar.width() * TEXT_SHARE) if bar is not None else 0)
        self.text_label.setText(self.fontMetrics().elidedText(self._message, Qt.TextElideMode.ElideMiddle, width))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget() and self._message:
            self._fit()
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        bar = self.parentWidget()
        if event.type() == QEvent.Type.ParentChange and bar is not None:
            bar.installEventFilter(self)  # the bar's width decides the cut
        return super().event(event)

    def dismiss(self) -> None:
        self._message = ""
        self._path = None
        self.setVisible(False)

    def open_folder(self) -> bool:
        folder = self.folder()
        return folder is not None and open_folder(folder)

    def _on_open_button_clicked(self) -> None:
        self.open_folder()


__all__ = ["OPEN_FOLDER", "FileNotice", "open_folder"]
