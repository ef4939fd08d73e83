"""The bar above the sections: which event, whether it is the demo, its partners' logos, and
in which language.

The event chooser (``EventChooser``) shows "Title  —  dates"; when the box is too narrow for
both, the title is shortened with "…" and the dates stay whole (they tell events apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QWidget,
)

from db.enums import LANGUAGES, PartnerRole
from desktop.core import vocabulary
from desktop.core.i18n import pick
from desktop.core.language import N_, _, p_

if TYPE_CHECKING:
    from desktop.core.events import EventSummary

LOGO_SIZE = QSize(96, 30)
MAX_LOGOS = 6


CAPTION_SEPARATOR = "  —  "
SHOW_IN: dict[str, str] = {
    "en": N_("Show the event's titles and names in English"),
    "ru": N_("Show the event's titles and names in Russian"),
    "kk": N_("Show the event's titles and names in Kazakh"),
}
"""The content language buttons' tooltips (translated where shown)."""
PARTS_ROLE = Qt.ItemDataRole.UserRole + 1  # an item's (title, dates)


def caption_parts(event: EventSummary, lang: str) -> tuple[str, str]:
    """The title in ``lang`` (or its nearest other language) and the dates."""
    return pick(event.title, lang).text or _("Untitled event"), event.dates()


def event_caption(event: EventSummary, lang: str) -> str:
    """"Title — 28 February 2025", the title in ``lang`` or its nearest other language."""
    return CAPTION_SEPARATOR.join(caption_parts(event, lang))


class EventChooser(QComboBox):
    """A combo box of events whose closed face shortens the title, never the dates; its
    list opens wide enough for the longest caption (as far as the screen allows)."""

    def displayed_text(self) -> str:
        """What the closed box shows of the current caption at its present width."""
        parts = self.currentData(PARTS_ROLE)
        if not isinstance(parts, tuple | list) or len(parts) != 2:
            return self.currentText()
        title, dates = parts
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width() - 2
        fm = self.fontMetrics()
        full = f"{title}{CAPTION_SEPARATOR}{dates}"
        if fm.horizontalAdvance(full) <= room:
            return full
        tail = f"{CAPTION_SEPARATOR}{dates}"
        short = fm.elidedText(title, Qt.TextElideMode.ElideRight, max(0, room - fm.horizontalAdvance(tail)))
        return f"{short or '…'}{tail}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.displayed_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        fm = self.view().fontMetrics()
        longest = max((fm.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        screen = self.screen().availableGeometry().width() if self.screen() is not None else longest + 48
        self.view().setMinimumWidth(min(longest + 48, screen - 32))
        super().showPopup()


class EventBar(QWidget):
    """The event chooser (title and dates), the demo tag and the content language switch.

    Signals:
        event_chosen(int): the user chose another event in the chooser; carries its id.
        language_changed(str): the user switched the content language ("en", "ru", "kk").
    """

    event_chosen = Signal(int)
    language_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._events: list[EventSummary] = []
        self._lang = "en"

        caption = QLabel(p_("event bar", "Event"))
        caption.setObjectName("topBarCaption")
        self.chooser = EventChooser()
        self.chooser.setObjectName("eventChooser")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(30)
        self.chooser.setPlaceholderText(_("No event in this database"))
        self.chooser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.chooser.currentIndexChanged.connect(self._on_chooser_current_index_changed)
        caption.setBuddy(self.chooser)

        self.demo_tag = QLabel(_("DEMO · illustrative data"))
        self.demo_tag.setObjectName("demoTag")
        self.demo_tag.setToolTip(_(
            "This is the sample event that comes with Conference Desk: it is modelled on a real "
            "round table, but its attendees, times and rooms are illustrative."
        ))
        self.demo_tag.hide()

        # The partners' logos, organisers first (set by the Event menu's owner).
        self.logos = QWidget()
        self.logos.setObjectName("partnerLogos")
        self._logo_row = QHBoxLayout(self.logos)
        self._logo_row.setContentsMargins(0, 0, 0, 0)
        self._logo_row.setSpacing(12)
        self.logos.hide()

        # Translators: the caption of the EN | RU | KK buttons that choose the language of the event's texts.
        language_caption = QLabel(p_("event bar", "Language"))
        language_caption.setToolTip(_("The language of the event's titles and names on screen (not of the "
                                      "menus)"))
        language_caption.setObjectName("topBarCaption")
        self.language_buttons = QButtonGroup(self)
        self.language_buttons.setExclusive(True)
        languages = QHBoxLayout()
        languages.setSpacing(0)
        for lang in LANGUAGES:
            button = QToolButton()
            button.setObjectName("langButton")
            button.setText(lang.upper())
            button.setCheckable(True)
            button.setToolTip(_(SHOW_IN[lang]) if lang in SHOW_IN else lang)
            button.setProperty("lang", lang)
            button.setChecked(lang == self._lang)
            self.language_buttons.addButton(button)
            languages.addWidget(button)
        self.language_buttons.buttonToggled.connect(self._on_language_buttons_button_toggled)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(10)
        layout.addWidget(caption)
        layout.addWidget(self.chooser, 1)
        layout.addWidget(self.demo_tag)
        layout.addSpacing(6)
        layout.addWidget(self.logos)
        layout.addSpacing(18)
        layout.addWidget(language_caption)
        layout.addLayout(languages)

    # -- state ------------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._lang

    def set_language(self, lang: str) -> None:
        """Check ``lang``'s button and show captions in it (no signal)."""
        if lang not in LANGUAGES:
            lang = "en"
        self._lang = lang
        self.language_buttons.blockSignals(True)
        for button in self.language_buttons.buttons():
            button.setChecked(button.property("lang") == lang)
        self.language_buttons.blockSignals(False)
        self._relabel()

    def set_events(self, events: Sequence[EventSummary], current: int | None) -> None:
        """List ``events`` and select the one with id ``current`` (no signal)."""
        self._events = list(events)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for ev in self._events:
            self.chooser.addItem(event_caption(ev, self._lang), ev.id)
            self.chooser.setItemData(self.chooser.count() - 1, caption_parts(ev, self._lang), PARTS_ROLE)
        ids = [ev.id for ev in self._events]
        self.chooser.setCurrentIndex(ids.index(current) if current in ids else (0 if ids else -1))
        self.chooser.blockSignals(False)
        self.chooser.setEnabled(bool(self._events))
        for button in self.language_buttons.buttons():
            button.setEnabled(bool(self._events))
        self._update_tag()

    def set_logos(self, logos: Sequence[tuple[bytes, str, PartnerRole]]) -> None:
        """Show the partners' logos (PNG or JPEG bytes, name, role), at most ``MAX_LOGOS``."""
        while self._logo_row.count():
            item = self._logo_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        shown = 0
        for data, name, role in logos:
            if shown == MAX_LOGOS:
                break
            pixmap = QPixmap()
            if not pixmap.loadFromData(data):
                continue
            ratio = self.devicePixelRatioF()
            scaled = pixmap.scaled(LOGO_SIZE * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            scaled.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setObjectName("partnerLogo")
            label.setPixmap(scaled)
            label.setToolTip(f"{vocabulary.partner_role(role)}: {name}")
            label.setAccessibleName(f"{vocabulary.partner_role(role)}: {name}")
            self._logo_row.addWidget(label)
            shown += 1
        self.logos.setVisible(shown > 0)

    def logo_names(self) -> list[str]:
        """The tooltips of the logos on show ("Organiser: …"), in order."""
        out = []
        for i in range(self._logo_row.count()):
            item = self._logo_row.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                out.append(widget.toolTip())
        return out

    def current_event(self) -> EventSummary | None:
        index = self.chooser.currentIndex()
        return self._events[index] if 0 <= index < len(self._events) else None

    def _relabel(self) -> None:
        for i, ev in enumerate(self._events):
            self.chooser.setItemText(i, event_caption(ev, self._lang))
            self.chooser.setItemData(i, caption_parts(ev, self._lang), PARTS_ROLE)
        self._update_tag()

    def _update_tag(self) -> None:
        ev = self.current_event()
        self.demo_tag.setVisible(ev is not None and ev.is_demo)
        self.chooser.setToolTip(event_caption(ev, self._lang) if ev is not None else "")

    # -- slots ------------------------------------------------------------------------

    def _on_chooser_current_index_changed(self, _index: int) -> None:
        self._update_tag()
        ev = self.current_event()
        if ev is not None:
            self.event_chosen.emit(ev.id)

    def _on_language_buttons_button_toggled(self, button: QToolButton, checked: bool) -> None:
        if not checked:
            return
        self._lang = str(button.property("lang"))
        self._relabel()
        self.language_changed.emit(self._lang)
