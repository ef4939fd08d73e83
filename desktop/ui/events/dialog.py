"""The event dialog: General (titles, dates, time zone, languages), Rooms, Partners and
Certificates (who signs them: two signatories, a name and a title in each language).

The dialog edits values only; ``event_edit()`` is its result (``desktop.core.event_edit``),
which the window turns into one undo command, so Ctrl+Z takes the whole dialog's changes
back. Errors frame the field in red and are listed under the tabs, and OK stays disabled
until there are none; a missing translation is flagged in amber but does not stop saving.

Logos are stored as PNG or JPEG; an SVG chosen here is rasterised with QtSvg first
(``svg_to_png``), about ``SVG_LONG_SIDE`` pixels on its long side, on a transparent ground.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_mod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import NameForm, PartnerRole
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.checks import ImageError, Report, image_info
from desktop.core.event_edit import (
    ROOM_NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    EventData,
    EventEdit,
    EventSettings,
    LogoSpec,
    NewOrganisation,
    PartnerSpec,
    RoomSpec,
    agenda_outside,
    known_timezones,
    load_settings,
    logo_mime,
    organisation_info,
    organisation_uuid_of,
    room_rows,
    usage_text,
    validate_settings,
)
from desktop.core.event_lifecycle import next_year
from desktop.core.events import PARTNER_ORDER
from desktop.core.i18n import text
from desktop.core.language import N_, _, n_
from desktop.core.organisations import OrganisationData, organisation_choices
from desktop.core.row_news import RowMark, mark_row
from desktop.ui.shell import style
from desktop.ui.shell.fields import FIELD_STYLE, LocalTextGrid, language_heading, mark_invalid, set_flag
from desktop.ui.shell.names import name_form_combo
from desktop.ui.shell.row_notice import RowNotice
from desktop.ui.shell.saving import SaveInside

SVG_LONG_SIDE = 800
THUMB = QSize(72, 32)
MISSING_BG = "#fffaf0"
GEOMETRY = "eventDialog/geometry"
TEXT_ROWS: tuple[tuple[str, str, int], ...] = (
    ("title", N_("&Title:"), TITLE_MAX), ("subtitle", N_("Subtitle:"), TITLE_MAX),
    ("venue", N_("Venue:"), TEXT_MAX), ("city", N_("City:"), TEXT_MAX),
)
"""The General tab's texts: key, label (translated where shown), longest length."""
SIGNATORY_ROWS: tuple[tuple[str, str], ...] = (
    ("signatory1_name", N_("First signatory — name:")), ("signatory1_title", N_("First signatory — title:")),
    ("signatory2_name", N_("Second signatory — name:")), ("signatory2_title", N_("Second signatory — title:")),
)
"""The Certificates tab's texts: key (``desktop.core.event_edit.SIGNATORY_FIELDS``), label."""
TAB_NAMES = (N_("&General"), N_("&Rooms"), N_("&Partners"), N_("Certi&ficates"))


# -- logos ---------------------------------------------------------------------------------


def svg_to_png(data: bytes, long_side: int = SVG_LONG_SIDE) -> bytes:
    """An SVG drawn as a PNG about ``long_side`` pixels on its long side, transparent
    around the drawing; ``ImageError`` when the SVG cannot be read."""
    from PySide6.QtSvg import QSvgRenderer  # only when an SVG is chosen

    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise ImageError(_("The SVG file cannot be read: it is damaged or not an SVG drawing."))
    size = renderer.defaultSize()
    if size.isEmpty():
        size = renderer.viewBoxF().size().toSize()
    if size.isEmpty():
        size = QSize(long_side, long_side)
    size = size.scaled(long_side, long_side, Qt.AspectRatioMode.KeepAspectRatio)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def is_svg(data: bytes, name: str = "") -> bool:
    head = data[:1024].lstrip().lower()
    return (name.lower().endswith((".svg", ".svgz"))
            or (head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()))


def read_logo(path: str | Path) -> tuple[bytes, str]:
    """A logo file as (PNG or JPEG bytes, type); an SVG is rasterised. ``ImageError`` (one
    sentence) for what cannot be a logo."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ImageError(_("{file} is not there any more.").format(file=file.name)) from None
    except PermissionError:
        raise ImageError(_("{file} cannot be read: there is no permission to read it.").format(
            file=file.name)) from None
    except OSError:
        raise ImageError(_("{file} cannot be read.").format(file=file.name)) from None
    if is_svg(data, file.name):
        if file.suffix.lower() == ".svgz":
            import gzip

            try:
                data = gzip.decompress(data)
            except OSError:
                raise ImageError(_("{file} is not a compressed SVG drawing.").format(file=file.name)) from None
        data = svg_to_png(data)
    return data, logo_mime(data)


def logo_pixmap(data: bytes | None, size: QSize = THUMB) -> QPixmap:
    pixmap = QPixmap()
    if data is None or not pixmap.loadFromData(data):
        return QPixmap()
    return pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def logo_caption(data: bytes | None) -> str:
    if data is None:
        return _("No logo")
    try:
        info = image_info(data, what="logo")
    except ImageError:
        return _("Unreadable logo")
    kind = "PNG" if info.mime == "image/png" else "JPEG"
    return f"{kind} · {info.width} × {info.height}"


# -- rooms ------------------------------------------------------------------------------------


@dataclass
class RoomState:
    spec: RoomSpec
    sessions: int = 0
    items: int = 0

    @property
    def used(self) -> int:
        return self.sessions + self.items


class RoomsModel(QAbstractTableModel):
    """The event's rooms as the dialog edits them: a name per language, the capacity, and
    how many sessions and items take place there (read-only)."""

    COLUMNS = (N_("English name"), N_("Russian name"), N_("Kazakh name"), N_("Capacity"), N_("Used by"))
    CAPACITY, USED = 3, 4

    def __init__(self, rooms: Sequence[RoomState] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rooms = list(rooms)

    def rooms(self) -> list[RoomState]:
        return list(self._rooms)

    def specs(self) -> tuple[RoomSpec, ...]:
        return tuple(r.spec for r in self._rooms)

    def room(self, row: int) -> RoomState:
        return self._rooms[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rooms)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
                return _(self.COLUMNS[section])
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != self.USED:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rooms):
            return None
        room = self._rooms[index.row()]
        column = index.column()
        names = room.spec.name
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column < 3:
                return names.get(LANGUAGES[column], "")
            if column == self.CAPACITY:
                return "" if room.spec.capacity is None else str(room.spec.capacity)
            if column == self.USED and role == Qt.ItemDataRole.DisplayRole:
                return usage_text(room.sessions, room.items)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.CAPACITY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column < 3 and self._missing(room, column):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(MISSING_BG)
            if role == Qt.ItemDataRole.ToolTipRole:
                shown = text(names, LANGUAGES[column])
                return _(NO_NAME_YET[LANGUAGES[column]]).format(name=shown)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(style.FAINT)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.USED and room.used:
            return _("Removing the room leaves these without a room (their times stay).")
        return None

    @staticmethod
    def _missing(room: RoomState, column: int) -> bool:
        names = room.spec.name
        return bool(names) and not names.get(LANGUAGES[column])

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == self.USED:
            return False
        room = self._rooms[index.row()]
        raw = " ".join(str(value or "").split())
        if index.column() < 3:
            names = dict(room.spec.name)
            lang = LANGUAGES[index.column()]
            if raw:
                names[lang] = raw[:ROOM_NAME_MAX]
            else:
                names.pop(lang, None)
            room.spec = replace(room.spec, name=names)
            first, last = self.index(index.row(), 0), self.index(index.row(), 2)
            self.dataChanged.emit(first, last)
            return True
        if not raw:
            capacity = None
        else:
            digits = raw.replace(" ", "").replace(",", "").replace("\u00a0", "")
            if not digits.isdigit():
                return False
            capacity = int(digits)
        room.spec = replace(room.spec, capacity=capacity)
        self.dataChanged.emit(index, index)
        return True

    def add(self, name: dict[str, str] | None = None) -> int:
        row = len(self._rooms)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rooms.append(RoomState(RoomSpec(name or {})))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> RoomState:
        self.beginRemoveRows(QModelIndex(), row, row)
        room = self._rooms.pop(row)
        self.endRemoveRows()
        return room

    def move(self, row: int, delta: int) -> int:
        target = row + delta
        if not (0 <= row < len(self._rooms) and 0 <= target < len(self._rooms)):
            return row
        # beginMoveRows wants the row *before* which to insert, in the old numbering.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if delta > 0 else target)
        self._rooms.insert(target, self._rooms.pop(row))
        self.endMoveRows()
        return target


# Translators: {name} is the room's name in another language, shown in the missing one's place.
NO_NAME_YET = {
    "en": N_("No English name yet: “{name}” is shown in its place"),
    "ru": N_("No Russian name yet: “{name}” is shown in its place"),
    "kk": N_("No Kazakh name yet: “{name}” is shown in its place"),
}


# -- partners ----------------------------------------------------------------------------------


@dataclass
class PartnerState:
    spec: PartnerSpec
    label: str
    logo: bytes | None


class PartnersModel(QAbstractTableModel):
    """The event's partners, organisers first then co-organisers, funders and partners, each
    with its logo (the organisation's, shared by every event it partners): a thumbnail and a
    caption in the Logo column, "No logo" when there is none."""

    COLUMNS = (N_("Organisation"), N_("Role"), N_("Logo"))
    ORGANISATION, ROLE, LOGO = range(3)

    def __init__(self, partners: Sequence[PartnerState] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = sorted(partners, key=lambda p: PARTNER_ORDER.index(p.spec.role))
        self._thumbs: dict[int, QIcon] = {}  # by the hash of the logo bytes

    def partners(self) -> list[PartnerState]:
        return list(self._rows)

    def partner(self, row: int) -> PartnerState:
        return self._rows[row]

    def specs(self) -> tuple[PartnerSpec, ...]:
        return tuple(p.spec for p in self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ROLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        partner = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.ORGANISATION:
                return partner.label
            if column == self.ROLE:
                return vocabulary.partner_role(partner.spec.role)
            if column == self.LOGO:
                return logo_caption(partner.logo)
        if role == Qt.ItemDataRole.EditRole and column == self.ROLE:
            return partner.spec.role.value
        if role == Qt.ItemDataRole.DecorationRole and column == self.LOGO and partner.logo is not None:
            return self._thumb(partner.logo)  # beside its caption; no blank space before a name
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ROLE:
                return _("Double-click to change the role")
            if column == self.LOGO:
                return _("The logo belongs to the organisation: it shows on every event the organisation partners.")
            return partner.label
        if role == Qt.ItemDataRole.ForegroundRole and column == self.LOGO and partner.logo is None:
            return QColor(style.FAINT)
        return None

    def _thumb(self, data: bytes | None) -> QIcon:
        key = hash(data)
        if key not in self._thumbs:
            pixmap = logo_pixmap(data) if data is not None else QPixmap()
            if pixmap.isNull():
                pixmap = QPixmap(THUMB)
                pixmap.fill(Qt.GlobalColor.transparent)
            self._thumbs[key] = QIcon(pixmap)
        return self._thumbs[key]

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.ROLE:
            return False
        try:
            new_role = PartnerRole(value)
        except ValueError:
            return False
        partner = self._rows[index.row()]
        if new_role == partner.spec.role:
            return True
        partner.spec = replace(partner.spec, role=new_role)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.LOGO))
        self._regroup()
        return True

    def _regroup(self) -> None:
        order = sorted(range(len(self._rows)), key=lambda i: PARTNER_ORDER.index(self._rows[i].spec.role))
        if order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        new_row = {old_row: new for new, old_row in enumerate(order)}
        self._rows = [self._rows[i] for i in order]
        self.changePersistentIndexList(old, [self.index(new_row[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def add(self, state: PartnerState) -> int:
        group = PARTNER_ORDER.index(state.spec.role)
        row = sum(1 for p in self._rows if PARTNER_ORDER.index(p.spec.role) <= group)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, state)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> PartnerState:
        self.beginRemoveRows(QModelIndex(), row, row)
        partner = self._rows.pop(row)
        self.endRemoveRows()
        return partner

    def can_move(self, row: int, delta: int) -> bool:
        target = row + delta
        return 0 <= row < len(self._rows) and 0 <= target < len(self._rows) and \
            self._rows[target].spec.role == self._rows[row].spec.role

    def move(self, row: int, delta: int) -> int:
        """Move a partner up or down within its role."""
        if not self.can_move(row, delta):
            return row
        target = row + delta
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if delta > 0 else target)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target

    def set_logo(self, organisation: uuid_mod.UUID, data: bytes | None) -> None:
        """Show ``data`` as the logo of every row of that organisation."""
        for row, partner in enumerate(self._rows):
            if partner.spec.organisation == organisation:
                partner.logo = data
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.LOGO))


class RoleDelegate(QStyledItemDelegate):
    """A choice of partner role for the Role column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for role in PARTNER_ORDER:
            combo.addItem(vocabulary.partner_role(role), role.value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class AddPartnerDialog(QDialog):
    """Pick an organisation (or type a new one) and its role."""

    def __init__(self, database: Database, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.ui.people.person_dialog import OrganisationPicker  # the roster's picker, shared

        self.setWindowTitle(_("Add a partner"))
        self.setStyleSheet(FIELD_STYLE)
        with database.read() as session:
            choices = organisation_choices(session, lang)
        self.picker = OrganisationPicker(choices, lang)
        self.picker.combo.setObjectName("partnerOrganisation")
        self.role = QComboBox()
        self.role.setObjectName("partnerRole")
        for role in PARTNER_ORDER:
            self.role.addItem(vocabulary.partner_role(role), role.value)
        hint = QLabel(_("Pick an organisation from the list, or type the name of a new one."))
        hint.setObjectName("hint")
        form = QFormLayout()
        form.addRow(_("&Organisation:"), self.picker)
        form.addRow(_("&Role:"), self.role)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 180)
        self.picker.combo.editTextChanged.connect(self._on_picker_edit_text_changed)
        self._update()

    def role_chosen(self) -> PartnerRole:
        return PartnerRole(self.role.currentData())

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.picker.typed()))

    def _on_picker_edit_text_changed(self, _text: str) -> None:
        self._update()

    def _on_buttons_accepted(self) -> None:
        if self.picker.typed():
            self.accept()


# -- the dialog -----------------------------------------------------------------------------------


class EventDialog(QDialog):
    """Create (``event_id`` None) or edit an event. ``event_edit()`` is the result;
    ``save.make`` (set by the Event menu) makes the edit before the dialog closes
    (``desktop.ui.shell.saving``): after a Cancel at "which value to keep?" or a refused
    save it stays open with the user's input."""

    def __init__(self, database: Database, lang: str = "en", event_id: int | None = None,
                 parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._lang = lang
        self._event_id = event_id
        self._settings = settings
        self._new_organisations: dict[uuid_mod.UUID, NewOrganisation] = {}
        self._logos: dict[uuid_mod.UUID, LogoSpec] = {}
        self._outside = 0
        self.setObjectName("eventDialog")
        self.setStyleSheet(FIELD_STYLE)

        rooms: list[RoomState] = []
        partners: list[PartnerState] = []
        mark: RowMark | None = None
        if event_id is not None:
            with database.read() as session:
                stored = load_settings(session, event_id)
                mark = mark_row(session, "event", event_id)
                rooms = [RoomState(r.spec, r.sessions, r.items) for r in room_rows(session, event_id)]
                infos = organisation_info(session, [p.organisation for p in stored.partners])
            partners = [PartnerState(p, infos[p.organisation].label(lang), infos[p.organisation].logo)
                        for p in stored.partners if p.organisation in infos]
        else:
            today = dt.date.today()
            stored = EventSettings(EventData(starts_on=today, ends_on=today, timezone=_local_timezone()))
        self._stored = stored
        self.save = SaveInside()  # the Event menu's edit, made on Save before the dialog closes

        heading = QLabel(_("Edit event") if event_id is not None else _("New event"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))

        self.tabs = QTabWidget()
        self.tabs.setObjectName("eventTabs")
        self.tabs.addTab(self._general_tab(), _(TAB_NAMES[0]))
        self.tabs.addTab(self._rooms_tab(rooms), _(TAB_NAMES[1]))
        self.tabs.addTab(self._partners_tab(partners), _(TAB_NAMES[2]))
        self.tabs.addTab(self._certificates_tab(), _(TAB_NAMES[3]))

        self.problems = QLabel()
        self.problems.setObjectName("problemText")
        self.problems.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("warningText")
        self.warnings.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setText(_("Create event") if event_id is None else _("Save"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        self.row_notice = RowNotice()  # another workstation's change to the event, while open
        self.row_notice.watch(database, mark, parent)
        layout.addWidget(self.row_notice)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)

        self._fill(stored.data)
        self.texts.changed.connect(self._on_texts_changed)
        self.signatories.changed.connect(self._on_texts_changed)
        self.starts_on.dateChanged.connect(self._on_starts_on_date_changed)
        self.ends_on.dateChanged.connect(self._on_ends_on_date_changed)
        self.timezone.editTextChanged.connect(self._on_timezone_edit_text_changed)
        for box in self.language_boxes.values():
            box.toggled.connect(self._on_language_box_toggled)
        self.rooms_model.dataChanged.connect(self._on_rooms_model_changed)
        self.rooms_model.rowsInserted.connect(self._on_rooms_model_changed)
        self.rooms_model.rowsRemoved.connect(self._on_rooms_model_changed)
        self.partners_model.dataChanged.connect(self._on_partners_model_changed)
        self.partners_model.rowsRemoved.connect(self._on_partners_model_changed)
        self.partners_model.rowsInserted.connect(self._on_partners_model_changed)

        title = text(stored.data.title, lang)
        self.setWindowTitle(_("Edit event — {title}").format(title=title) if event_id is not None else _("New event"))
        self.resize(900, 640)
        if settings is not None:
            geometry = settings.value(GEOMETRY)
            if isinstance(geometry, QByteArray):
                self.restoreGeometry(geometry)
        self._check_dates()
        self._validate()
        self.texts.edit("title", "en").setFocus()

    # -- tabs -----------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget()
        self.texts = LocalTextGrid()
        for key, label, limit in TEXT_ROWS:
            self.texts.add_row(key, _(label), max_length=limit)
        self.starts_on = _date_edit("startsOn")
        self.ends_on = _date_edit("endsOn")
        self.days_label = QLabel()
        self.days_label.setObjectName("hint")
        dates = QHBoxLayout()
        dates.addWidget(self.starts_on)
        dates.addSpacing(4)
        # Translators: between the first and the last day of the event ("28 February 2025 to 1 March 2025").
        dates.addWidget(QLabel(_("to")))
        dates.addSpacing(4)
        dates.addWidget(self.ends_on)
        dates.addSpacing(6)
        dates.addWidget(self.days_label)
        dates.addStretch(1)
        self.timezone = QComboBox()
        self.timezone.setObjectName("timezone")
        self.timezone.setEditable(True)
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone.addItems(sorted(known_timezones()))
        self.timezone.setMinimumContentsLength(24)
        completer = QCompleter(self.timezone.model(), self.timezone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.timezone.setCompleter(completer)
        line = self.timezone.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Type a city, e.g. Almaty"))
        self.timezone.setToolTip(_("The time zone of the venue: agenda times are its local times."))
        self.language_boxes: dict[str, QCheckBox] = {}
        languages = QHBoxLayout()
        for code in LANGUAGES:
            box = QCheckBox(language_heading(code))
            box.setObjectName(f"language_{code}")
            self.language_boxes[code] = box
            languages.addWidget(box)
        for code in self._stored.data.languages:
            if code not in self.language_boxes:
                box = QCheckBox(code)
                box.setObjectName(f"language_{code}")
                self.language_boxes[code] = box
                languages.addWidget(box)
        languages.addStretch(1)
        self.badge_name = name_form_combo()
        self.badge_name.setObjectName("badgeName")
        names = QHBoxLayout()
        names.addWidget(self.badge_name)
        names.addStretch(1)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(8)
        for caption_text, buddy, field in ((_("&Dates:"), self.starts_on, dates),
                                           (_("Time &zone:"), self.timezone, self.timezone),
                                           (_("&Languages:"), self.language_boxes["en"], languages),
                                           (_("&Names on badges:"), self.badge_name, names)):
            label = QLabel(caption_text)
            label.setBuddy(buddy)
            form.addRow(label, field)
        caption = QLabel(_("In each language — a language left empty shows another in its place (flagged in amber)"))
        caption.setObjectName("sectionCaption")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 14, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(caption)
        layout.addWidget(self.texts)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _rooms_tab(self, rooms: list[RoomState]) -> QWidget:
        page = QWidget()
        self.rooms_model = RoomsModel(rooms, self)
        self.rooms_view = QTableView()
        self.rooms_view.setObjectName("roomsView")
        self.rooms_view.setModel(self.rooms_model)
        self.rooms_view.setAlternatingRowColors(True)
        self.rooms_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rooms_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rooms_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                        | QAbstractItemView.EditTrigger.EditKeyPressed
                                        | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.rooms_view.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RoomsModel.CAPACITY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RoomsModel.USED, QHeaderView.ResizeMode.ResizeToContents)
        self.rooms_view.verticalHeader().setDefaultSectionSize(30)
        self.add_room_button = QPushButton(_("&Add room"))
        self.remove_room_button = QPushButton(_("Re&move"))
        self.room_up_button = QPushButton(_("Move &up"))
        self.room_down_button = QPushButton(_("Move do&wn"))
        self.add_room_button.clicked.connect(self._on_add_room_button_clicked)
        self.remove_room_button.clicked.connect(self._on_remove_room_button_clicked)
        self.room_up_button.clicked.connect(self._on_room_up_button_clicked)
        self.room_down_button.clicked.connect(self._on_room_down_button_clicked)
        self.rooms_view.selectionModel().selectionChanged.connect(self._on_rooms_selection_changed)
        hint = QLabel(_("Double-click a cell to edit it. The order here is the order of the timetable's columns."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        return _table_page(page, self.rooms_view, hint, (self.add_room_button, self.remove_room_button, None,
                                                         self.room_up_button, self.room_down_button))

    def _partners_tab(self, partners: list[PartnerState]) -> QWidget:
        page = QWidget()
        self.partners_model = PartnersModel(partners, self)
        self.partners_view = QTableView()
        self.partners_view.setObjectName("partnersView")
        self.partners_view.setModel(self.partners_model)
        self.partners_view.setAlternatingRowColors(True)
        self.partners_view.setIconSize(THUMB)
        self.partners_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.partners_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.partners_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                           | QAbstractItemView.EditTrigger.EditKeyPressed)
        self._role_delegate = RoleDelegate(self.partners_view)
        self.partners_view.setItemDelegateForColumn(PartnersModel.ROLE, self._role_delegate)
        self.partners_view.verticalHeader().setDefaultSectionSize(THUMB.height() + 12)
        self.partners_view.verticalHeader().hide()
        header = self.partners_view.horizontalHeader()
        header.setSectionResizeMode(PartnersModel.ORGANISATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PartnersModel.ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PartnersModel.LOGO, QHeaderView.ResizeMode.ResizeToContents)
        self.add_partner_button = QPushButton(_("&Add…"))
        self.remove_partner_button = QPushButton(_("Re&move"))
        self.partner_up_button = QPushButton(_("Move &up"))
        self.partner_down_button = QPushButton(_("Move do&wn"))
        self.set_logo_button = QPushButton(_("Set &logo…"))
        self.clear_logo_button = QPushButton(_("&Clear logo"))
        self.add_partner_button.clicked.connect(self._on_add_partner_button_clicked)
        self.remove_partner_button.clicked.connect(self._on_remove_partner_button_clicked)
        self.partner_up_button.clicked.connect(self._on_partner_up_button_clicked)
        self.partner_down_button.clicked.connect(self._on_partner_down_button_clicked)
        self.set_logo_button.clicked.connect(self._on_set_logo_button_clicked)
        self.clear_logo_button.clicked.connect(self._on_clear_logo_button_clicked)
        self.partners_view.selectionModel().selectionChanged.connect(self._on_partners_selection_changed)
        hint = QLabel(_("Organisers first, then co-organisers, funders and partners; the programme prints them "
                        "in this order. Logos: PNG, JPEG or SVG (an SVG is stored as a PNG)."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        return _table_page(page, self.partners_view, hint, (
            self.add_partner_button, self.remove_partner_button, None, self.partner_up_button,
            self.partner_down_button, None, self.set_logo_button, self.clear_logo_button))

    def _certificates_tab(self) -> QWidget:
        page = QWidget()
        self.signatories = LocalTextGrid()
        self.signatories.setObjectName("signatories")
        for key, label in SIGNATORY_ROWS:
            self.signatories.add_row(key, _(label), max_length=TEXT_MAX)
        caption = QLabel(_("Who signs the certificates, in each language"))
        caption.setObjectName("sectionCaption")
        hint = QLabel(_("Each certificate prints, in its own language, a line to sign on for each signatory "
                        "with the name and the title under it. With no signatory it prints one blank line "
                        "marked “Signature”."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 14, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(caption)
        layout.addWidget(self.signatories)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    # -- result ---------------------------------------------------------------------------

    @property
    def event_id(self) -> int | None:
        return self._event_id

    @property
    def base(self) -> EventData | None:
        """The event's fields as the dialog read them (None for a new event): the edit's ``base``."""
        return self._stored.data if self._event_id is not None else None

    @property
    def settings_base(self) -> EventSettings | None:
        """The event's fields, rooms and partners as the dialog read them (None for a new
        event): the edit's ``base``, so that what others changed of them meanwhile is kept."""
        return self._stored if self._event_id is not None else None

    def event_data(self) -> EventData:
        return EventData(
            title=self.texts.value("title"), subtitle=self.texts.value("subtitle"),
            starts_on=_py_date(self.starts_on.date()), ends_on=_py_date(self.ends_on.date()),
            timezone=self.timezone.currentText().strip(), venue=self.texts.value("venue"),
            city=self.texts.value("city"),
            languages=tuple(code for code, box in self.language_boxes.items() if box.isChecked()),
            badge_name=NameForm(self.badge_name.currentData()),
            signatory1_name=self.signatories.value("signatory1_name"),
            signatory1_title=self.signatories.value("signatory1_title"),
            signatory2_name=self.signatories.value("signatory2_name"),
            signatory2_title=self.signatories.value("signatory2_title"),
        )

    def settings_value(self) -> EventSettings:
        return EventSettings(self.event_data(), self.rooms_model.specs(), self.partners_model.specs())

    def event_edit(self) -> EventEdit:
        """The dialog's result: settings, the organisations to make, and the logos to change."""
        used = {p.organisation for p in self.partners_model.specs()}
        return EventEdit(
            self.settings_value(),
            tuple(n for u, n in self._new_organisations.items() if u in used),
            tuple(spec for u, spec in self._logos.items() if u in used),
        )

    def report(self) -> Report:
        names = {p.spec.organisation: p.label for p in self.partners_model.partners()}
        return validate_settings(self.settings_value(), names)

    # -- helpers --------------------------------------------------------------------------

    def _fill(self, data: EventData) -> None:
        for key, _label, _limit in TEXT_ROWS:
            self.texts.set_value(key, getattr(data, key))
        for edit, day in ((self.starts_on, data.starts_on), (self.ends_on, data.ends_on)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day) if day else QDate.currentDate())
            edit.blockSignals(False)
        index = self.timezone.findText(data.timezone)
        if index >= 0:
            self.timezone.setCurrentIndex(index)
        else:
            self.timezone.setEditText(data.timezone)
        for code, box in self.language_boxes.items():
            box.setChecked(code in data.languages)
        self.badge_name.setCurrentIndex(max(0, self.badge_name.findData(NameForm(data.badge_name).value)))
        for key, _label in SIGNATORY_ROWS:
            self.signatories.set_value(key, getattr(data, key))
        self._shown_start = self.starts_on.date()
        self._update_days()

    def _update_days(self) -> None:
        start, end = _py_date(self.starts_on.date()), _py_date(self.ends_on.date())
        days = (end - start).days + 1
        self.days_label.setText(n_("{n} day", "{n} days", days).format(n=formats.number(days)) if days > 0 else "")

    def _check_dates(self) -> None:
        self._outside = 0
        if self._event_id is not None:
            start, end = _py_date(self.starts_on.date()), _py_date(self.ends_on.date())
            if end >= start:
                with self._database.read() as session:
                    self._outside = agenda_outside(session, self._event_id, start, end)

    def _validate(self) -> None:
        report = self.report()
        errors: dict[str, str] = {}
        for p in report.errors:
            errors.setdefault(p.field, p.message)
        for key, _label, _limit in TEXT_ROWS:
            for lang in LANGUAGES:
                edit = self.texts.edit(key, lang)
                message = errors.get(f"{key}.{lang}") or (errors.get(key) if lang == "en" else None)
                if message or edit.property("invalid"):
                    mark_invalid(edit, message)
        for key, _label in SIGNATORY_ROWS:
            for lang in LANGUAGES:
                edit = self.signatories.edit(key, lang)
                message = errors.get(f"{key}.{lang}") or errors.get(key)
                if message or edit.property("invalid"):
                    mark_invalid(edit, message)
        mark_invalid(self.starts_on, errors.get("starts_on"))
        mark_invalid(self.ends_on, errors.get("ends_on"))
        mark_invalid(self.timezone, errors.get("timezone"))
        for box in self.language_boxes.values():
            set_flag(box, "invalid", "languages" in errors)
        self._mark_tab(1, any(f.startswith("rooms.") for f in errors))
        self._mark_tab(2, any(f.startswith("partners") for f in errors))
        self._mark_tab(3, any(f.startswith("signatory") for f in errors))
        messages = [p.message for p in report.errors]
        self.problems.setText("\n".join(dict.fromkeys(messages)))
        self.problems.setVisible(bool(messages))
        notes = []
        if report.warnings or any(self.rooms_model._missing(r, c) for r in self.rooms_model.rooms() for c in range(3)):
            notes.append(_("Some texts are missing a translation (amber): another language is printed instead."))
        if self._outside:
            n = self._outside
            notes.append(n_("{n} session or item of the agenda falls outside these dates: move it in the Agenda.",
                            "{n} sessions or items of the agenda fall outside these dates: move them in the Agenda.",
                            n).format(n=formats.number(n)))
        self.warnings.setText("\n".join(notes))
        self.warnings.setVisible(bool(notes))
        self.ok_button.setEnabled(report.is_valid)

    def _mark_tab(self, index: int, bad: bool) -> None:
        name = _(TAB_NAMES[index])
        self.tabs.setTabText(index, f"{name}  ⚠" if bad else name)

    def _selected(self, view: QTableView) -> int:
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _select(self, view: QTableView, row: int) -> None:
        if 0 <= row < view.model().rowCount():
            view.selectRow(row)
            view.setCurrentIndex(view.model().index(row, 0))

    def _update_buttons(self) -> None:
        row = self._selected(self.rooms_view)
        count = self.rooms_model.rowCount()
        self.remove_room_button.setEnabled(row >= 0)
        self.room_up_button.setEnabled(row > 0)
        self.room_down_button.setEnabled(0 <= row < count - 1)
        prow = self._selected(self.partners_view)
        self.remove_partner_button.setEnabled(prow >= 0)
        self.partner_up_button.setEnabled(self.partners_model.can_move(prow, -1))
        self.partner_down_button.setEnabled(self.partners_model.can_move(prow, 1))
        self.set_logo_button.setEnabled(prow >= 0)
        self.clear_logo_button.setEnabled(prow >= 0 and self.partners_model.partner(prow).logo is not None)

    def set_logo_for_row(self, row: int, data: bytes | None, mime: str | None) -> None:
        partner = self.partners_model.partner(row)
        self._logos[partner.spec.organisation] = LogoSpec(partner.spec.organisation, data, mime)
        self.partners_model.set_logo(partner.spec.organisation, data)
        self._update_buttons()

    def add_partner(self, organisation: uuid_mod.UUID, label: str, role: PartnerRole,
                    logo: bytes | None = None) -> int:
        row = self.partners_model.add(PartnerState(PartnerSpec(organisation, role), label, logo))
        self._select(self.partners_view, row)
        return row

    def closeEvent(self, event: Any) -> None:
        self._save_geometry()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._save_geometry()
        super().done(result)

    def _save_geometry(self) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY, self.saveGeometry())

    # -- slots ----------------------------------------------------------------------------

    def _on_texts_changed(self) -> None:
        self._validate()

    def _on_starts_on_date_changed(self, date: QDate) -> None:
        # Moving the start keeps the event's length, as calendars do (an end that was before
        # the start moves to the start).
        length = self._shown_start.daysTo(self.ends_on.date())
        self._shown_start = date
        self.ends_on.blockSignals(True)
        self.ends_on.setDate(date.addDays(max(length, 0)))
        self.ends_on.blockSignals(False)
        self._update_days()
        self._check_dates()
        self._validate()

    def _on_ends_on_date_changed(self, _date: QDate) -> None:
        self._update_days()
        self._check_dates()
        self._validate()

    def _on_timezone_edit_text_changed(self, _text: str) -> None:
        self._validate()

    def _on_language_box_toggled(self, _checked: bool) -> None:
        self._validate()

    def _on_rooms_model_changed(self, *_args: object) -> None:
        self._validate()
        self._update_buttons()

    def _on_partners_model_changed(self, *_args: object) -> None:
        self._validate()
        self._update_buttons()

    def _on_rooms_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_partners_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_add_room_button_clicked(self) -> None:
        row = self.rooms_model.add()
        self._select(self.rooms_view, row)
        self.rooms_view.edit(self.rooms_model.index(row, 0))

    def _on_remove_room_button_clicked(self) -> None:
        row = self._selected(self.rooms_view)
        if row < 0:
            return
        room = self.rooms_model.room(row)
        if room.used:
            name = text(room.spec.name, self._lang) or _("Room {n}").format(n=row + 1)
            answer = QMessageBox.question(
                self, _("Remove room"),
                # Translators: {usage} says how many sessions and items ("3 sessions, 11 items").
                n_("{usage} takes place in “{room}”. Without it they will have no room (their times stay). "
                   "Remove it?",
                   "{usage} take place in “{room}”. Without it they will have no room (their times stay). "
                   "Remove it?", room.used).format(usage=usage_text(room.sessions, room.items), room=name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.rooms_model.remove(row)
        self._select(self.rooms_view, min(row, self.rooms_model.rowCount() - 1))

    def _on_room_up_button_clicked(self) -> None:
        self._select(self.rooms_view, self.rooms_model.move(self._selected(self.rooms_view), -1))

    def _on_room_down_button_clicked(self) -> None:
        self._select(self.rooms_view, self.rooms_model.move(self._selected(self.rooms_view), 1))

    def _on_add_partner_button_clicked(self) -> None:
        dialog = AddPartnerDialog(self._database, self._lang, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        role = dialog.role_chosen()
        organisation_id = dialog.picker.organisation_id()
        if organisation_id is not None:
            with self._database.read() as session:
                org_uuid = organisation_uuid_of(session, organisation_id)
                info = organisation_info(session, [org_uuid])[org_uuid]
            logo = self._logos[org_uuid].data if org_uuid in self._logos else info.logo
            self.add_partner(org_uuid, info.label(self._lang), role, logo)
            return
        data = dialog.picker.new_organisation()
        if data is None:
            return
        typed = dialog.picker.typed()
        existing = next((u for u, n in self._new_organisations.items() if n.data.display() == typed), None)
        if existing is None:
            existing = uuid_mod.uuid4()
            self._new_organisations[existing] = NewOrganisation(existing, data)
        logo = self._logos[existing].data if existing in self._logos else None
        self.add_partner(existing, typed, role, logo)

    def add_new_organisation(self, data: OrganisationData, role: PartnerRole) -> int:
        """Add a partner that is a new organisation (made when the dialog is saved)."""
        new = uuid_mod.uuid4()
        self._new_organisations[new] = NewOrganisation(new, data)
        return self.add_partner(new, data.display(self._lang), role)

    def _on_remove_partner_button_clicked(self) -> None:
        row = self._selected(self.partners_view)
        if row >= 0:
            self.partners_model.remove(row)
            self._select(self.partners_view, min(row, self.partners_model.rowCount() - 1))

    def _on_partner_up_button_clicked(self) -> None:
        self._select(self.partners_view, self.partners_model.move(self._selected(self.partners_view), -1))

    def _on_partner_down_button_clicked(self) -> None:
        self._select(self.partners_view, self.partners_model.move(self._selected(self.partners_view), 1))

    def _on_set_logo_button_clicked(self) -> None:
        row = self._selected(self.partners_view)
        if row < 0:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a logo"), str(Path.home()),
            # Translators: keep the patterns in brackets and the ";;" between the two choices.
            _("Logos (*.png *.jpg *.jpeg *.svg *.svgz);;All files (*)"))
        if not path:
            return
        try:
            data, mime = read_logo(path)
        except ImageError as exc:
            QMessageBox.warning(self, _("Cannot use this logo"), str(exc))
            return
        self.set_logo_for_row(row, data, mime)

    def _on_clear_logo_button_clicked(self) -> None:
        row = self._selected(self.partners_view)
        if row >= 0:
            self.set_logo_for_row(row, None, None)

    def accept(self) -> None:
        """Make the edit (``save``) and close once it landed; else stay open as it is."""
        if self.save.run():
            super().accept()

    def _on_buttons_accepted(self) -> None:
        self._validate()
        if self.report().is_valid:
            self.accept()


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    # Translators: Qt's format of the dialog's dates: d day, MMMM month's name, yyyy year; words in
    # single quotes are kept as they are (Russian "d MMMM yyyy 'г.'", Kazakh "yyyy 'ж.' d MMMM").
    edit.setDisplayFormat(_("d MMMM yyyy"))
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    # Qt sizes the field for its first and last dates: make room for the longest month's name
    # in the interface language ("28 сентября 2026 г." is longer than "31 декабря 2100 г.").
    fm, locale, pattern = edit.fontMetrics(), edit.locale(), edit.displayFormat()
    widest = max(fm.horizontalAdvance(locale.toString(QDate(2088, month, 28), pattern)) for month in range(1, 13))
    extra = widest - fm.horizontalAdvance(locale.toString(edit.maximumDate(), pattern))
    if extra > 0:
        edit.setMinimumWidth(edit.sizeHint().width() + extra)
    return edit


def _py_date(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _local_timezone() -> str:
    """The computer's IANA time zone when Qt knows it, else UTC."""
    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return name if name in known_timezones() else "UTC"


def _table_page(page: QWidget, view: QTableView, hint: QLabel,
                buttons: Sequence[QPushButton | None]) -> QWidget:
    column = QVBoxLayout()
    column.setSpacing(6)
    for button in buttons:
        if button is None:
            column.addSpacing(10)
        else:
            column.addWidget(button)
    column.addStretch(1)
    row = QHBoxLayout()
    row.addWidget(view, 1)
    row.addLayout(column)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 14, 12, 12)
    layout.addLayout(row, 1)
    layout.addWidget(hint)
    return page


# -- duplicate and delete -----------------------------------------------------------------------


class DuplicateEventDialog(QDialog):
    """Ask for the start date of the copy (a year later by default)."""

    def __init__(self, title: str, starts_on: dt.date, ends_on: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Duplicate event"))
        self._length = ends_on - starts_on
        self._starts_on = starts_on
        intro = QLabel(_("Make a copy of “{title}” as a template: its rooms, partners, sessions, items and "
                         "speakers come along, moved to the new dates; registrations and check-ins do not.").format(
            title=title))
        intro.setWordWrap(True)
        self.start = _date_edit("duplicateStart")
        first = next_year(starts_on)
        self.start.setDate(QDate(first.year, first.month, first.day))
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        form = QFormLayout()
        start_label = QLabel(_("New &start date:"))
        start_label.setBuddy(self.start)
        form.addRow(start_label, self.start)
        form.addRow("", self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Duplicate"))
        ok.setObjectName("primaryButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.start.dateChanged.connect(self._on_start_date_changed)
        self._update()
        self.resize(480, 180)

    def starts_on(self) -> dt.date:
        return _py_date(self.start.date())

    def _update(self) -> None:
        start = self.starts_on()
        shift = (start - self._starts_on).days
        dates = formats.date_range(start, start + self._length)
        days = abs(shift)
        if shift >= 0:
            line = n_("{dates} · every time moves {n} day later", "{dates} · every time moves {n} days later", days)
        else:
            line = n_("{dates} · every time moves {n} day earlier", "{dates} · every time moves {n} days earlier",
                      days)
        self.summary.setText(line.format(dates=dates, n=formats.number(days)))

    def _on_start_date_changed(self, _date: QDate) -> None:
        self._update()


__all__ = ["EventDialog", "DuplicateEventDialog", "RoomsModel", "PartnersModel", "svg_to_png", "read_logo"]
