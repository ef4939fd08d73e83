"""The desk's own badge printer: a badge printed on check-in or walk-in, with no dialog.

Per desk (the settings of the desk's name, ``DeskPrinting``): on or off, the printer (a
label or badge printer is a system printer like any other; QPrinterInfo lists them), and
the badge's page — one badge a page, A6 or ID-1 card — which is also the page size the
printer is given, so the printer's driver is not asked to fit an A4 sheet on a card.

A ``BadgePrintJob`` runs on Qt's thread pool, never on the GUI thread: it looks up whether
the badge was printed already (``desktop.core.badge_prints``), and if so says so
(``already``) and prints nothing unless told to print again; otherwise it makes the badge
with ``desktop.exports.badges.export_badges`` (the same call as File → Print and the
command line), rasterises it with pypdfium2 and draws it on the printer
(``desktop.ui.printing.pdf_preview.draw_page``, the preview's own printing), and only once
the printer took it records the print, so that every desk sees it. Whatever fails — no
printer, no paper, the database — comes back as one sentence (``failed``), never an
exception on the desk.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QMarginsF, QObject, QRunnable, QSettings, QSizeF, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter

from db.engine import Database
from desktop.core.errors import error_sentence
from desktop.core.language import N_, _
from desktop.ui.desk.worker import tell

# The badge's page: one badge a page, on card stock (the layouts of desktop.exports.badges).
# Their words are the print dialog's (desktop.ui.printing.dialogs), translated where shown.
PAGE_LAYOUTS: dict[str, str] = {
    "a6": N_("A6 card, one per page (105 × 148 mm)"),
    "id1": N_("ID-1 card, one per page (85.6 × 54 mm)"),
}
DEFAULT_LAYOUT = "a6"


def _group(desk: str) -> str:
    """The settings group of ``desk`` (its name percent-encoded: a "/" is no sub-group)."""
    return f"desk_printing/{quote(desk, safe='')}"


@dataclass(frozen=True)
class DeskPrinting:
    """A desk's badge printing: ``enabled`` (print on check-in and walk-in), ``printer`` (a
    system printer's name, "" for none chosen) and ``layout`` (a key of ``PAGE_LAYOUTS``)."""

    enabled: bool = False
    printer: str = ""
    layout: str = DEFAULT_LAYOUT

    @property
    def active(self) -> bool:
        """Whether badges go to the printer (on, and a printer chosen)."""
        return self.enabled and bool(self.printer)

    @classmethod
    def load(cls, settings: QSettings, desk: str) -> DeskPrinting:
        group = _group(desk)
        enabled = str(settings.value(f"{group}/enabled", "false")).lower() in ("true", "1")
        printer = str(settings.value(f"{group}/printer", "") or "")
        layout = str(settings.value(f"{group}/layout", DEFAULT_LAYOUT) or DEFAULT_LAYOUT)
        return cls(enabled, printer, layout if layout in PAGE_LAYOUTS else DEFAULT_LAYOUT)

    def save(self, settings: QSettings, desk: str) -> None:
        group = _group(desk)
        settings.setValue(f"{group}/enabled", self.enabled)
        settings.setValue(f"{group}/printer", self.printer)
        settings.setValue(f"{group}/layout", self.layout)
        settings.sync()


def available_printers() -> list[str]:
    """The names of the system's printers (empty when there are none)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return sorted(QPrinterInfo.availablePrinterNames(), key=str.casefold)


def page_size(layout: str) -> QPageSize:
    """The page of ``layout``'s badge (a card: the badge is the page)."""
    from desktop.exports.badges import layout_class

    width, height = layout_class(layout).page_mm
    return QPageSize(QSizeF(width, height), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch)


def system_printer(name: str, layout: str) -> Any:
    """A QPrinter of the system printer ``name``, its page the badge's, no margins."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrinterMissing(_("The printer “{printer}” is not available on this computer.").format(printer=name))
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    prepare(printer, layout)
    return printer


def prepare(printer: Any, layout: str) -> None:
    """Give ``printer`` the badge's page, portrait or landscape as the card is, full page."""
    size = page_size(layout)
    mm = size.size(QPageSize.Unit.Millimeter)
    orientation = QPageLayout.Orientation.Landscape if mm.width() > mm.height() else QPageLayout.Orientation.Portrait
    # A landscape card is given as a portrait page turned: printers' drivers know those.
    portrait = QPageSize(QSizeF(min(mm.width(), mm.height()), max(mm.width(), mm.height())),
                         QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(portrait, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)


class PrinterMissing(Exception):
    """The chosen printer is not there (unplugged, renamed); the message is one sentence."""


PrinterFactory = Callable[[DeskPrinting], Any]
"""Makes the QPrinter of a job, on the job's thread (tests give one that writes a PDF)."""


def default_factory(printing: DeskPrinting) -> Any:
    return system_printer(printing.printer, printing.layout)


class BadgePrintSignals(QObject):
    """What a job says, with its ``(registration id, name, code)``:

    Signals:
        printed(object): the badge went to the printer and was recorded.
        already(object, object): printed before (a ``BadgePrinted``); nothing was printed.
        failed(object, str): nothing was printed; why, in one sentence.
        unrecorded(object, str): the badge was printed, but the print could not be recorded
            (other desks will not know of it); why, in one sentence.
    """

    printed = Signal(object)
    already = Signal(object, object)
    failed = Signal(object, str)
    unrecorded = Signal(object, str)


@dataclass(frozen=True)
class BadgeSubject:
    """Whose badge: the registration's id, name (for the desk's sentences) and code."""

    registration_id: int
    name: str
    code: str


class BadgePrintJob(QRunnable):
    """One badge to the desk's printer, off the GUI thread (see the module docstring)."""

    def __init__(self, database: Database, event_id: int, subject: BadgeSubject, desk: str, lang: str,
                 printing: DeskPrinting, signals: BadgePrintSignals, *, again: bool = False,
                 factory: PrinterFactory = default_factory) -> None:
        super().__init__()
        self._database, self._event_id, self._subject = database, event_id, subject
        self._desk, self._lang, self._printing = desk, lang, printing
        self._signals, self._again, self._factory = signals, again, factory

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # noqa: BLE001 - a pool thread has no one else to tell
            tell(self._signals.failed, self._subject, error_sentence(exc))

    def _run(self) -> None:
        from desktop.core.badge_prints import last_badge_print, record_badge_print
        from desktop.exports.badges import export_badges
        from desktop.ui.printing.pdf_preview import PDFIUM_LOCK, draw_page, print_resolution, render_page

        subject = self._subject
        if not self._again:
            with self._database.read() as session:
                before = last_badge_print(session, subject.registration_id)
            if before is not None:
                tell(self._signals.already, subject, before)
                return
        folder = Path(tempfile.mkdtemp(prefix="conference-desk-badge-"))
        try:
            path = folder / "badge.pdf"
            export_badges(self._database, path, self._event_id, registration_ids=[subject.registration_id],
                          layout=self._printing.layout, lang=self._lang)
            printer = self._factory(self._printing)
            printer.setDocName(_("Badge {code}").format(code=subject.code or subject.registration_id))
            import pypdfium2

            with PDFIUM_LOCK:
                document = pypdfium2.PdfDocument(str(path))
                try:
                    dpi = print_resolution(printer)
                    pages = [(render_page(document, i, dpi / 72.0), document.get_page_size(i))
                             for i in range(len(document))]
                finally:
                    document.close()
            painter = QPainter()
            if not painter.begin(printer):
                raise PrinterMissing(_("The printer “{printer}” could not be opened.")
                                     .format(printer=self._printing.printer or "PDF"))
            try:
                for n, (image, size) in enumerate(pages):
                    if n:
                        printer.newPage()
                    draw_page(painter, printer, image, size)
            finally:
                finished = painter.end()
            if not finished:
                raise PrinterMissing(_("The printer “{printer}” did not take the badge.")
                                     .format(printer=self._printing.printer or "PDF"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        try:
            record_badge_print(self._database, subject.registration_id, self._desk)
        except Exception as exc:  # noqa: BLE001 - printed already: say so, not "not printed"
            tell(self._signals.unrecorded, subject, error_sentence(exc))
            return
        tell(self._signals.printed, subject)


__all__ = ["BadgePrintJob", "BadgePrintSignals", "BadgeSubject", "DeskPrinting", "PAGE_LAYOUTS", "PrinterMissing",
           "available_printers", "default_factory", "page_size", "prepare", "system_printer"]
