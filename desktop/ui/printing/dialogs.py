"""File → Print: badges, name cards, the sign-in sheet and certificates, with a preview.

One dialog serves the four kinds (a selector at its top): the options of the kind chosen
(layout, language, grouping by sector, everyone or only those checked in or only the
registrations selected in the Registrations section), then Preview… builds the PDF with
the same ``desktop.exports`` call as the command line, in a worker thread with a progress
dialog that can cancel, into a temporary folder, and opens it in ``PdfPreviewDialog``
(Save… and Print… are there). The temporary folder goes when the preview closes.

``print_badge_for`` reprints one person's badge (the desk's "Reprint badge").
``PrintMenu`` (``desktop.ui.printing.menu``, a light module) is the File → Print submenu of the
main window; it loads this module when one of its actions is first triggered.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from db.models import Event
from desktop.core import formats
from desktop.core.errors import error_sentence
from desktop.core.i18n import text
from desktop.core.language import LANGUAGES, N_, NP_, _, n_, np_, p_, words
from desktop.exports.print_common import PrintCancelled, PrintError, PrintResult, Progress, count_text
from desktop.ui.printing.kinds import BADGES, CERTIFICATES, NAME_CARDS, SIGN_IN
from desktop.ui.shell import style
from desktop.ui.shell.fields import language_heading
from desktop.ui.shell.jobs import BackgroundJob
from desktop.ui.shell.names import name_form_combo

# Settings keys.
LAYOUT_KEY = "print/badge_layout"
BLEED_KEY = "print/bleed"
BY_SECTOR_KEY = "print/by_sector"
POSITION_KEY = "print/position"

EVERYONE, CHECKED_IN, SELECTED = "everyone", "checked_in", "selected"
MIN_WIDTH = 520


@dataclass(frozen=True)
class Kind:
    """One kind of print. Its words are marks for the catalogs (translated where shown:
    ``_(kind.title)``); counted words are ``count_text``'s."""

    key: str
    title: str          # the selector's word (N_)
    window_title: str   # the dialog's title (N_)
    file_word: str      # in the suggested file name, in the printed language (NP_ "file name")


KINDS: dict[str, Kind] = {
    BADGES: Kind(BADGES, N_("Badges"), N_("Print badges"), NP_("file name", "badges")),
    NAME_CARDS: Kind(NAME_CARDS, N_("Name cards"), N_("Print name cards"), NP_("file name", "name cards")),
    SIGN_IN: Kind(SIGN_IN, N_("Sign-in sheet"), N_("Print sign-in sheet"), NP_("file name", "sign-in sheet")),
    CERTIFICATES: Kind(CERTIFICATES, N_("Certificates"), N_("Print certificates"),
                       NP_("file name", "certificates")),
}
LAYOUT_CHOICES: tuple[tuple[str, str], ...] = (
    ("a4-8", N_("A4 sheet of 8 (95 × 68 mm), with crop marks")),
    ("a4-10", N_("A4 sheet of 10 (90 × 54 mm), with crop marks")),
    ("a6", N_("A6 card, one per page (105 × 148 mm)")),
    ("id1", N_("ID-1 card, one per page (85.6 × 54 mm)")),
)
SHEETS = ("a4-8", "a4-10")  # the layouts cut from a sheet: the ones a bleed is for


def making_text(kind: str, n: int) -> str:
    """The progress dialog's words while the PDF of ``n`` is made."""
    number = formats.number(n)
    # Translators (the four "Making …" messages): the progress dialog while a PDF is made;
    # {n} is a number. A neutral form that keeps the count's noun in the nominative is best
    # ("PDF: 118 бейджей…").
    if kind == NAME_CARDS:
        return n_("Making {n} name card…", "Making {n} name cards…", n).format(n=number)
    if kind == SIGN_IN:
        return n_("Making the sign-in sheet of {n} person…", "Making the sign-in sheet of {n} people…",
                  n).format(n=number)
    if kind == CERTIFICATES:
        return n_("Making {n} certificate…", "Making {n} certificates…", n).format(n=number)
    return n_("Making {n} badge…", "Making {n} badges…", n).format(n=number)


def preview_title(kind: str, event: str) -> str:
    """The preview's title: what was printed, of which event."""
    # Translators (the four "… — {event}" titles): {event} is the event's title.
    if kind == NAME_CARDS:
        return _("Name cards — {event}").format(event=event)
    if kind == SIGN_IN:
        return _("Sign-in sheet — {event}").format(event=event)
    if kind == CERTIFICATES:
        return _("Certificates — {event}").format(event=event)
    return _("Badges — {event}").format(event=event)


def ready_message(result: PrintResult) -> str:
    """The status bar's words once a PDF is made ("Made 118 badges on 15 pages: …")."""
    # Translators: {items} is "118 badges" (or name cards, people, certificates); {pages} is
    # "15 pages", the message "{n} page" of the context "on pages" (Russian: "на 15 страницах").
    return _("Made {items} on {pages}: save or print them from the preview.").format(
        items=count_text(result.kind, result.items),
        pages=np_("on pages", "{n} page", "{n} pages", result.pages).format(n=formats.number(result.pages)))


def safe_file_name(name: str) -> str:
    import re

    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name)
    return " ".join(name.split()).strip(" .") or "print"


def build_pdf(database: Database, path: Path, event_id: int, kind: str, *, lang: str = "en",
              registration_ids: Sequence[int] | None = None, layout: str = "a4-8", by_sector: bool = False,
              with_position: bool = True, only_checked_in: bool = True, name_form: str | None = None,
              bleed: bool = False, progress: Progress | None = None) -> PrintResult:
    """Write the PDF of ``kind`` — the same calls as the command line."""
    ids = list(registration_ids) if registration_ids is not None else None
    if kind == BADGES:
        from desktop.exports.badges import export_badges

        return export_badges(database, path, event_id, registration_ids=ids, layout=layout, lang=lang,
                             name_form=name_form, bleed=bleed and layout in SHEETS, progress=progress)
    if kind == NAME_CARDS:
        from desktop.exports.name_cards import export_name_cards

        return export_name_cards(database, path, event_id, registration_ids=ids, lang=lang, name_form=name_form,
                                 progress=progress)
    if kind == SIGN_IN:
        from desktop.exports.sign_in import export_sign_in_sheet

        return export_sign_in_sheet(database, path, event_id, registration_ids=ids, group_by_sector=by_sector,
                                    with_position=with_position, only_checked_in=only_checked_in and ids is None,
                                    lang=lang, progress=progress)
    if kind == CERTIFICATES:
        from desktop.exports.certificates import export_certificates

        return export_certificates(database, path, event_id, registration_ids=ids,
                                   only_checked_in=only_checked_in and ids is None, lang=lang, progress=progress)
    raise ValueError(f"unknown kind of print: {kind}")


def show_preview(parent: QWidget | None, pdf: Path, *, title: str, suggested_name: str,
                 settings: QSettings | None = None, cleanup: Path | None = None) -> Any:
    """Open ``pdf`` in the preview (modal); ``cleanup`` (a temporary folder) is removed when
    it closes. Returns the dialog, closed."""
    from desktop.ui.printing.pdf_preview import PdfError, PdfPreviewDialog

    try:
        preview = PdfPreviewDialog(pdf, title=title, suggested_name=suggested_name, parent=parent,
                                   **({"settings": settings} if settings is not None else {}))
    except PdfError as exc:
        QMessageBox.warning(parent, _("Cannot show the PDF"), error_sentence(exc))
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        return None
    try:
        preview.exec()
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
    return preview


class PdfDialog(QDialog):
    """What a dialog that makes a PDF of one event in the background shares: the job with
    its progress and Cancel, the temporary folder, the preview when it is made, a message
    when it fails, and the file name offered.

    Signals:
        built(str, int, int): a PDF was made; carries its path, people and pages.
    """

    built = Signal(str, int, int)

    def __init__(self, database: Database, event_id: int, parent: QWidget | None,
                 settings: QSettings | None) -> None:
        super().__init__(parent)
        self._database = database
        self._event_id = event_id
        self._settings = settings
        self._job: BackgroundJob | None = None
        self._tmp: Path | None = None
        self.last_result: PrintResult | None = None
        self.last_error: str | None = None
        self.preview: Any = None
        from desktop.core.events import resolve_event

        with database.read() as session:
            self._event = resolve_event(session, event_id)

    def language(self) -> str:
        raise NotImplementedError

    def is_building(self) -> bool:
        return self._job is not None

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._job.progress_dialog if self._job is not None else None

    def _file_name(self, word: str) -> str:
        """"<event title> — <word> <date>.pdf" in the page's language (``word`` a file-name
        message, translated here)."""
        lang = self.language()
        page_words = words(lang)
        title = text(self._event.title, lang) or page_words.p_("file name", "Event")
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0].rstrip(",:;–—-")
        word = page_words.p_("file name", word)
        return safe_file_name(f"{title} — {word} {self._event.starts_on:%Y-%m-%d}") + ".pdf"

    def _start(self, job: Callable[[Progress, Path], PrintResult], *, prefix: str, label: str, maximum: int,
               **options: Any) -> None:
        """Make the PDF (``job(progress, target)``) in a temporary folder in the background."""
        self.last_result, self.last_error = None, None
        self._tmp = Path(tempfile.mkdtemp(prefix=prefix))
        target = self._tmp / self.suggested_name()
        self._job = BackgroundJob(functools.partial(_run_to, job, target), self, title=p_("window", "Print"),
                                  label=label, maximum=maximum, cancelled_by=(PrintCancelled,),
                                  errors=(PrintError, ValueError),
                                  not_written=_("The PDF could not be written: {reason}."),
                                  on_succeeded=self._on_job_succeeded, on_failed=self._on_job_failed,
                                  on_cancelled=self._on_job_cancelled, **options)
        self.preview_button.setEnabled(False)
        self._job.start()

    def suggested_name(self) -> str:
        raise NotImplementedError

    def _preview_title(self) -> str:
        raise NotImplementedError

    def cancel_build(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _finish(self) -> None:
        self._job = None  # it deletes itself

    def _drop_tmp(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _on_job_succeeded(self, result: PrintResult) -> None:
        self._finish()
        self.last_result = result
        tmp, self._tmp = self._tmp, None
        self.built.emit(str(result.path), result.items, result.pages)
        title = self._preview_title()
        parent = self.parentWidget()
        self.accept()
        self.preview = show_preview(parent, result.path, title=title, suggested_name=result.path.name,
                                    settings=self._settings, cleanup=tmp)

    def _on_job_failed(self, message: str) -> None:
        self._finish()
        self._drop_tmp()
        self.last_error = message
        QMessageBox.warning(self, _("Nothing was printed"), message)

    def _on_job_cancelled(self) -> None:
        self._finish()
        self._drop_tmp()

    def done(self, result: int) -> None:
        """Closing while a PDF is being made cancels it and waits for it to stop."""
        if self._job is not None:
            self._job.stop_and_wait()  # says cancelled: the temporary folder goes
        super().done(result)


def _run_to(job: Callable[[Progress, Path], PrintResult], target: Path, progress: Progress) -> PrintResult:
    return job(progress, target)


class PrintDialog(PdfDialog):
    """Print badges, name cards, the sign-in sheet or certificates of one event.

    ``selected_ids`` are the registrations selected in the Registrations section (offered
    as a choice when there are any).

    Signals:
        built(str, int, int): a PDF was made; carries its path, people and pages.
    """

    def __init__(self, database: Database, event_id: int, kind: str = BADGES, *, lang: str = "en",
                 selected_ids: Sequence[int] = (), parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(database, event_id, parent, settings)
        self._selected = list(selected_ids)
        with database.read() as session:
            badge_name = session.scalar(select(Event.badge_name).where(Event.id == event_id))

        self.setWindowTitle(p_("window", "Print"))
        self.setWindowIcon(style.icon("app"))
        self.setMinimumWidth(MIN_WIDTH)
        heading = QLabel(p_("window", "Print"))
        heading.setObjectName("pageTitle")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        self.event_label = QLabel(text(self._event.title, lang) or _("Untitled event"))
        self.event_label.setObjectName("pageSubtitle")
        self.event_label.setWordWrap(True)

        self.kind_combo = QComboBox()
        for k in KINDS.values():
            self.kind_combo.addItem(_(k.title), k.key)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(language_heading(code), code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(lang)))
        self.language_combo.setToolTip(_("Language of the printed words; names and organisations in it "
                                         "where they have a translation"))
        self.layout_combo = QComboBox()
        for key, caption in LAYOUT_CHOICES:
            self.layout_combo.addItem(_(caption), key)
        remembered = self._setting(LAYOUT_KEY)
        if remembered:
            self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(str(remembered))))
        self.who_combo = QComboBox()
        # The choices change with the kind, and their words are longer in Russian and Kazakh:
        # the combo boxes are as wide as their longest item, and the dialog grows with them.
        for combo in (self.kind_combo, self.who_combo, self.language_combo, self.layout_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.name_combo = name_form_combo()  # badges and name cards: the event's choice first
        self.name_combo.setCurrentIndex(max(0, self.name_combo.findData(getattr(badge_name, "value", None))))
        self.by_sector_check = QCheckBox(_("Group by sector, with a heading for each"))
        self.by_sector_check.setChecked(self._setting(BY_SECTOR_KEY) in (True, "true"))
        self.bleed_check = QCheckBox(_("3 mm bleed: the coloured bands run past the cut"))
        self.bleed_check.setToolTip(_("For a print shop's guillotine: the bands of the A4 sheets run 3 mm past "
                                      "the cut lines, and the crop marks stay outside them"))
        self.bleed_check.setChecked(self._setting(BLEED_KEY) in (True, "true"))
        self.position_check = QCheckBox(_("Position column"))
        self.position_check.setChecked(self._setting(POSITION_KEY) not in (False, "false"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(p_("print what", "&Print"), self.kind_combo)
        form.addRow(_("&Who"), self.who_combo)
        form.addRow(_("&Language"), self.language_combo)
        form.addRow(_("La&yout"), self.layout_combo)
        form.addRow(_("&Names"), self.name_combo)
        form.addRow("", self.bleed_check)
        form.addRow("", self.by_sector_check)
        form.addRow("", self.position_check)
        self._form = form

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.preview_button = QPushButton(_("Preview…"))
        self.preview_button.setDefault(True)
        self.preview_button.setToolTip(_("Make the PDF and show it; save or print it from the preview"))
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.event_label)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.who_combo.currentIndexChanged.connect(self._on_who_combo_current_index_changed)
        self.layout_combo.currentIndexChanged.connect(self._on_layout_combo_current_index_changed)
        self._update_kind()

    # -- what the user chose ----------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def who(self) -> str:
        return str(self.who_combo.currentData())

    def set_who(self, who: str) -> None:
        index = self.who_combo.findData(who)
        if index >= 0:
            self.who_combo.setCurrentIndex(index)

    def layout_key(self) -> str:
        return str(self.layout_combo.currentData())

    def registration_ids(self) -> list[int] | None:
        return list(self._selected) if self.who() == SELECTED else None

    def count(self) -> int:
        """How many people the choice prints."""
        if self.who() == SELECTED:
            return len(self._selected)
        from desktop.exports.print_common import count_attendees

        try:
            with self._database.read() as session:  # counted in SQL: a list of 100,000 is not read
                return count_attendees(session, self._event_id, only_checked_in=self.who() == CHECKED_IN)
        except SQLAlchemyError:
            return 0

    # -- building -------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        if self.kind() == SIGN_IN and self.who() == CHECKED_IN:  # after the event: the donor's list
            return self._file_name(NP_("file name", "list of participants"))
        return self._file_name(KINDS[self.kind()].file_word)

    def _preview_title(self) -> str:
        return preview_title(self.kind(), text(self._event.title, self.language()) or _("Untitled event"))

    def build(self) -> None:
        """Start making the PDF in the background; the preview (or a message) follows."""
        if self._job is not None:
            return
        kind, lang, ids, layout_key = self.kind(), self.language(), self.registration_ids(), self.layout_key()
        by_sector, with_position = self.by_sector_check.isChecked(), self.position_check.isChecked()
        bleed = self.bleed_check.isChecked()
        only_checked_in = self.who() == CHECKED_IN
        database, event_id, name_form = self._database, self._event_id, str(self.name_combo.currentData())

        def job(progress: Progress, target: Path) -> PrintResult:
            return build_pdf(database, target, event_id, kind, lang=lang, registration_ids=ids, layout=layout_key,
                             by_sector=by_sector, with_position=with_position, only_checked_in=only_checked_in,
                             name_form=name_form, bleed=bleed, progress=progress)

        self._remember()
        self._start(job, prefix="conference-desk-print-", label=making_text(kind, self._count), maximum=self._count,
                    saving_label=_("Saving the PDF…"))

    def _finish(self) -> None:
        super()._finish()
        self._update_summary()

    # -- slots ----------------------------------------------------------------------------------

    def _on_preview_button_clicked(self) -> None:
        if self._count == 0:
            QMessageBox.information(self, _("Nothing to print"), self._nobody())
            return
        self.build()

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self._update_kind()

    def _on_who_combo_current_index_changed(self, _index: int) -> None:
        self._update_summary()

    def _on_layout_combo_current_index_changed(self, _index: int) -> None:
        self._form.setRowVisible(self.bleed_check, self.kind() == BADGES and self.layout_key() in SHEETS)

    # -- helpers --------------------------------------------------------------------------------

    def _update_kind(self) -> None:
        kind = self.kind()
        previous = self.who_combo.currentData()
        self.who_combo.blockSignals(True)
        self.who_combo.clear()
        if kind == CERTIFICATES:
            self.who_combo.addItem(_("Everyone checked in"), CHECKED_IN)
        self.who_combo.addItem(_("Everyone registered (not cancelled or declined)"), EVERYONE)
        if kind == SIGN_IN:  # before the event, to sign; after it, the attendance for the donor
            self.who_combo.addItem(_("Everyone checked in"), CHECKED_IN)
        if self._selected:
            n = len(self._selected)
            self.who_combo.addItem(n_("The {n} registration selected in Registrations",
                                      "The {n} registrations selected in Registrations", n)
                                   .format(n=formats.number(n)), SELECTED)
        keep = self.who_combo.findData(previous)
        if previous == SELECTED and keep >= 0:
            self.who_combo.setCurrentIndex(keep)
        self.who_combo.blockSignals(False)
        for widget, visible in ((self.layout_combo, kind == BADGES), (self.by_sector_check, kind == SIGN_IN),
                                (self.position_check, kind == SIGN_IN),
                                (self.bleed_check, kind == BADGES and self.layout_key() in SHEETS),
                                (self.name_combo, kind in (BADGES, NAME_CARDS))):
            self._form.setRowVisible(widget, visible)
        self.setWindowTitle(_(KINDS[kind].window_title))
        self._update_summary()
        # Wide enough for the longest choice of this kind (the layout cannot say so itself: the
        # dialog has a minimum width of its own).
        self.layout().invalidate()
        self.setMinimumWidth(max(MIN_WIDTH, self.layout().totalMinimumSize().width()))

    def _update_summary(self) -> None:
        self._count = self.count()
        n = self._count
        self.count_label.setText(count_text(self.kind(), n) if n else self._nobody())
        self.preview_button.setEnabled(self._job is None and n > 0)

    def _nobody(self) -> str:
        if self.who() == CHECKED_IN:
            return _("Nobody is checked in yet.")
        return _("Nobody to print.")

    def _setting(self, key: str) -> object:
        return self._settings.value(key) if self._settings is not None else None

    def _remember(self) -> None:
        if self._settings is None:
            return
        if self.kind() == BADGES:
            self._settings.setValue(LAYOUT_KEY, self.layout_key())
            self._settings.setValue(BLEED_KEY, self.bleed_check.isChecked())
        if self.kind() == SIGN_IN:
            self._settings.setValue(BY_SECTOR_KEY, self.by_sector_check.isChecked())
            self._settings.setValue(POSITION_KEY, self.position_check.isChecked())

def print_badge_for(parent: QWidget | None, database: Database, event_id: int, registration_id: int, *,
                    lang: str = "en", layout: str | None = None, settings: QSettings | None = None) -> Any:
    """Reprint one person's badge: make it now (a fraction of a second) and open the preview,
    where Print… sends it to the printer. The layout is the one last used for badges (A6 when
    none was). Returns the preview dialog once closed, or None when nothing could be made
    (the user was told why)."""
    from desktop.exports.badges import export_badges

    if layout is None:
        remembered = settings.value(LAYOUT_KEY) if settings is not None else None
        layout = str(remembered) if remembered in dict(LAYOUT_CHOICES) else "a6"
    tmp = Path(tempfile.mkdtemp(prefix="conference-desk-badge-"))
    try:
        target = tmp / "badge.pdf"
        result = export_badges(database, target, event_id, registration_ids=[registration_id], layout=layout,
                               lang=lang)
        from desktop.exports.print_common import load_attendees

        with database.read() as session:
            people = load_attendees(session, event_id, lang, registration_ids=[registration_id])
    except (PrintError, ValueError, SQLAlchemyError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        QMessageBox.warning(parent, _("The badge was not printed"), error_sentence(exc))
        return None
    # Translators: the title of one person's badge in the preview, and its file's name.
    title = _("Badge — {name}").format(name=people[0].name) if people else _("Badge")
    named = tmp / (safe_file_name(title) + ".pdf")
    result.path.rename(named)
    return show_preview(parent, named, title=title, suggested_name=named.name,
                        settings=settings, cleanup=tmp)


__all__ = ["KINDS", "PrintDialog", "build_pdf", "count_text", "making_text", "preview_title", "print_badge_for",
           "ready_message", "show_preview"]
