"""The look of the window: one palette, one style sheet, and the bundled SVG icons.

Every colour the widgets use is named here, so the sections share one palette with the
icons in ``resources/icons`` (drawn in ``ACCENT``).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

import resources

INK = "#1d2733"          # body text
MUTED = "#6b7687"        # secondary text, breaks in the agenda
FAINT = "#9aa3b2"        # hints, text of disabled controls
ACCENT = "#2f5d9b"       # icons, selection, figures
ACCENT_SOFT = "#e3ecf8"  # selected navigation row, bars' track
SURFACE = "#ffffff"      # content
CANVAS = "#f4f6f9"       # side bar, header band
ROW_ALT = "#f7f9fc"      # alternating rows
LINE = "#dde2ea"         # borders and grid
BREAK_BG = "#f4f5f7"     # agenda breaks
SUCCESS = "#2e7d4f"      # checked in
DEMO_BG = "#fff1c2"      # the "illustrative data" tag
DEMO_INK = "#7a5600"

ICON_NAMES = (
    "app", "agenda", "people", "registrations", "desk",
    "database-new", "database-open", "refresh",
)


@cache
def icon(name: str) -> QIcon:
    """The bundled icon ``resources/icons/<name>.svg`` (loaded once)."""
    return QIcon(str(resources.path("icons", f"{name}.svg")))


def colour(value: str) -> QColor:
    return QColor(value)


STYLE_SHEET = f"""
QMainWindow, QStackedWidget > QWidget {{ background: {SURFACE}; }}
QWidget#topBar {{ background: {CANVAS}; border-bottom: 1px solid {LINE}; }}
QLabel#topBarCaption {{ color: {MUTED}; }}
QComboBox#eventChooser {{ padding: 4px 10px; min-height: 24px; }}
QLabel#demoTag {{
    background: {DEMO_BG}; color: {DEMO_INK}; border: 1px solid #ecd58a;
    border-radius: 10px; padding: 2px 10px; font-weight: 600;
}}
QToolButton#langButton {{
    border: 1px solid {LINE}; background: {SURFACE}; color: {INK};
    padding: 3px 10px; min-width: 26px;
}}
QToolButton#langButton:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QToolButton#langButton:hover:!checked {{ background: {ACCENT_SOFT}; }}
QListWidget#navigation {{
    background: {CANVAS}; border: none; border-right: 1px solid {LINE};
    outline: 0; padding-top: 10px;
}}
QListWidget#navigation::item {{
    color: {INK}; padding: 9px 10px; margin: 2px 8px; border-radius: 6px;
}}
QListWidget#navigation::item:selected {{ background: {ACCENT_SOFT}; color: {ACCENT}; }}
QListWidget#navigation::item:disabled {{ color: {FAINT}; background: transparent; }}
QPushButton#primaryButton {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT}; border-radius: 6px;
    padding: 7px 18px; font-weight: 600;
}}
QPushButton#primaryButton:hover {{ background: #284f85; }}
QListWidget#navigation::item:hover:!selected {{ background: #e9edf3; }}
QLabel#pageTitle {{ color: {INK}; }}
QLabel#pageSubtitle, QLabel#countLabel {{ color: {MUTED}; }}
QLabel#partnerLine {{ color: {INK}; }}
QLabel#sectionCaption {{ color: {MUTED}; font-weight: 600; }}
QLabel#bigFigure {{ color: {ACCENT}; }}
QLabel#bigFigureCaption {{ color: {MUTED}; }}
QFrame#figureCard {{ background: {CANVAS}; border: 1px solid {LINE}; border-radius: 8px; }}
QTableView, QTreeView {{
    border: 1px solid {LINE}; gridline-color: {LINE};
    alternate-background-color: {ROW_ALT}; background: {SURFACE};
    selection-background-color: {ACCENT_SOFT}; selection-color: {INK};
}}
QTreeView#agendaTree::item {{ padding: 6px 4px; }}
QHeaderView::section {{
    background: {CANVAS}; color: {MUTED}; font-weight: 600;
    border: none; border-bottom: 1px solid {LINE}; border-right: 1px solid {LINE};
    padding: 5px 8px;
}}
QStatusBar {{ background: {CANVAS}; border-top: 1px solid {LINE}; color: {MUTED}; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 6px; }}
"""


def apply(app: QApplication) -> None:
    """Give ``app`` the Fusion style, the palette and the style sheet above."""
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(ROW_ALT))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(FAINT))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(INK))
    # A control that cannot be used now must look so: the Disabled group greys its text
    # (the base palette gives it the same ink as the Active one).
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(disabled, role, QColor(FAINT))
    palette.setColor(disabled, QPalette.ColorRole.Highlight, QColor(LINE))  # a disabled view's selection
    palette.setColor(disabled, QPalette.ColorRole.HighlightedText, QColor(MUTED))
    palette.setColor(disabled, QPalette.ColorRole.PlaceholderText, QColor(LINE))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """``base`` at ``factor`` times its size (point or pixel sized fonts alike)."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font
