"""A preview of a PDF the application printed (programme, badges, sign-in sheets …),
with Save and Print.

Pages are rasterised with pypdfium2 (Qt's own PDF module is not part of our PySide6
wheels), only when they come into view and at the zoom shown; a few rendered pages are
cached. A document of a thousand pages opens as fast as one of three: only the page sizes
are read up front.

Printing renders each page of the chosen range at the printer's resolution (capped, so a
1200 dpi printer does not need half a gigabyte per page) and draws it with QPainter.
"""

from __future__ import annotations

import shutil
import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPaintEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import formats
from desktop.core.errors import reason
from desktop.core.language import _, n_, p_
from desktop.ui.shell.window import announce_file

# Settings keys.
GEOMETRY = "pdf_preview/geometry"
FOLDER = "pdf_preview/folder"

SCREEN_DPI = 96.0        # pixels per inch at 100 %
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
ZOOM_STEP = 1.25
PAGE_GAP = 18            # pixels between pages, and around them
SHADOW = 4               # pixels of the drop shadow
CACHE_PAGES = 12         # rendered pages kept in memory
PRINT_DPI_CAP = 300      # never rasterise for print above this

PDFIUM_LOCK = threading.RLock()
"""PDFium is not thread-safe: a page is opened and rendered under this lock, so the desk's
background badge printing (``desktop.ui.desk.badge_printer``) and a preview on the GUI
thread never use it at once (one badge page renders in some tens of milliseconds)."""


class PdfError(Exception):
    """The file cannot be read as a PDF; the message is one sentence."""


def _open_pdf(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2

    try:
        with PDFIUM_LOCK:
            return pypdfium2.PdfDocument(str(path))
    except (OSError, pypdfium2.PdfiumError):
        raise PdfError(_("{path} cannot be opened as a PDF.").format(path=path)) from None


def render_page(document, index: int, scale: float) -> QImage:  # type: ignore[no-untyped-def]
    """Page ``index`` of a pypdfium2 document as an image, ``scale`` pixels per point."""
    with PDFIUM_LOCK:
        return _render_page(document, index, scale)


def _render_page(document, index: int, scale: float) -> QImage:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_raw

    page = document[index]
    try:
        bitmap = page.render(
            scale=scale,
            force_bitmap_format=pdfium_raw.FPDFBitmap_BGRx,
            rev_byteorder=True,  # RGBx: the same bytes on every platform
            fill_color=(255, 255, 255, 255),
            optimize_mode="print" if scale > 3 else None,
        )
        try:
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            return image.copy()  # own the pixels before the bitmap goes
        finally:
            bitmap.close()
    finally:
        page.close()


class PageCanvas(QWidget):
    """Every page of the document, one below the other, painted as it comes into view.

    The widget is as tall as all pages at the current zoom; ``paintEvent`` draws only the
    pages that meet the exposed rectangle, from a small cache of rendered images.

    Signals:
        zoom_changed(float): the zoom (1.0 = 100 %) was changed.
    """

    zoom_changed = Signal(float)

    def __init__(self, document, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._document = document
        self._sizes: list[tuple[float, float]] = [document.get_page_size(i) for i in range(len(document))]
        self._zoom = 1.0
        self._tops: list[int] = []
        self._cache: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self.renders = 0  # how many pages were rasterised (for tests and curiosity)
        self.setAutoFillBackground(False)
        self._relayout()

    # -- geometry -------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    @property
    def zoom(self) -> float:
        return self._zoom

    def pixels_per_point(self) -> float:
        return self._zoom * SCREEN_DPI / 72.0

    def page_pixel_size(self, index: int) -> QSize:
        w, h = self._sizes[index]
        ppp = self.pixels_per_point()
        return QSize(max(1, round(w * ppp)), max(1, round(h * ppp)))

    def page_rect(self, index: int) -> QRect:
        size = self.page_pixel_size(index)
        return QRect(QPoint((self.width() - size.width()) // 2, self._tops[index]), size)

    def widest_page_points(self) -> float:
        return max((w for w, _h in self._sizes), default=595.0)

    def set_zoom(self, zoom: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if abs(zoom - self._zoom) < 1e-4:
            return
        self._zoom = zoom
        self._relayout()
        self.update()
        self.zoom_changed.emit(zoom)

    def _relayout(self) -> None:
        top = PAGE_GAP
        self._tops = []
        widest = 0
        for i in range(len(self._sizes)):
            self._tops.append(top)
            size = self.page_pixel_size(i)
            top += size.height() + PAGE_GAP
            widest = max(widest, size.width())
        self.setMinimumSize(widest + 2 * PAGE_GAP, max(top, PAGE_GAP * 2))
        self.resize(max(self.width(), self.minimumWidth()), self.minimumHeight())

    def page_at(self, y: int) -> int:
        """The index of the page shown at height ``y`` (the one above, in a gap)."""
        import bisect

        if not self._tops:
            return 0
        return max(0, min(len(self._tops) - 1, bisect.bisect_right(self._tops, y) - 1))

    # -- painting ---------------------------------------------------------------------------

    def image(self, index: int) -> QImage:
        """Page ``index`` rendered at the current zoom and screen density (cached)."""
        ratio = self.devicePixelRatioF()
        key = (index, round(self.pixels_per_point() * ratio * 1000))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        image = render_page(self._document, index, self.pixels_per_point() * ratio)
        image.setDevicePixelRatio(ratio)
        self.renders += 1
        self._cache[key] = image
        while len(self._cache) > CACHE_PAGES:
            self._cache.popitem(last=False)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        exposed = event.rect()
        painter.fillRect(exposed, QColor("#8a919c"))
        first = self.page_at(exposed.top())
        for index in range(first, self.page_count):
            rect = self.page_rect(index)
            if rect.top() > exposed.bottom():
                break
            if not rect.adjusted(0, 0, SHADOW, SHADOW).intersects(exposed):
                continue
            painter.fillRect(rect.translated(SHADOW, SHADOW), QColor(0, 0, 0, 70))
            painter.drawImage(rect, self.image(index))
        painter.end()


class PdfPreviewDialog(QDialog):
    """Shows a PDF's pages; Save… copies the file, Print… sends it to a printer.

    Keys: Ctrl++ / Ctrl+- zoom in and out, Ctrl+0 fits the page width, Ctrl+S saves,
    Ctrl+P prints, Esc closes. The dialog's size and the folder last saved to are kept in
    ``settings`` (the application's ``QSettings`` unless one is given).

    Signals:
        saved(str): the PDF was copied to a file; carries its path.
        printed(int): pages were sent to a printer; carries how many.
    """

    saved = Signal(str)
    printed = Signal(int)

    def __init__(self, pdf_path: str | Path, *, title: str, suggested_name: str,
                 parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._path = Path(pdf_path)
        self._suggested_name = suggested_name if suggested_name.lower().endswith(".pdf") else f"{suggested_name}.pdf"
        self._settings = settings if settings is not None else QSettings()
        self._document = _open_pdf(self._path)
        self._fit_width = True

        self.setWindowTitle(title)
        self.setMinimumSize(520, 420)

        self.canvas = PageCanvas(self._document)
        self.canvas.zoom_changed.connect(self._on_canvas_zoom_changed)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area.setStyleSheet("QScrollArea { background: #8a919c; border: none; }")
        self.scroll_area.viewport().setStyleSheet("background: #8a919c;")
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)

        self.zoom_out_button = QToolButton()
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(_("Zoom out (Ctrl+-)"))
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QToolButton()
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(_("Zoom in (Ctrl++)"))
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button = QToolButton()
        self.fit_button.setText(_("Fit width"))
        self.fit_button.setToolTip(_("Fit the page width to the window (Ctrl+0)"))
        self.fit_button.clicked.connect(self.fit_width)
        self.page_label = QLabel()
        self.page_label.setObjectName("countLabel")

        self.save_button = QPushButton(_("Save…"))
        self.save_button.setToolTip(_("Save a copy of this PDF (Ctrl+S)"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.print_button = QPushButton(p_("button", "Print…"))
        self.print_button.setToolTip(_("Print these pages (Ctrl+P)"))
        self.print_button.setObjectName("primaryButton")
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        for button in (self.save_button, self.print_button, self.close_button):
            button.setAutoDefault(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 8)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addSpacing(16)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bar)

        for keys, slot in (
            ((QKeySequence.StandardKey.ZoomIn, "Ctrl+=", "Ctrl++"), self.zoom_in),
            ((QKeySequence.StandardKey.ZoomOut, "Ctrl+-"), self.zoom_out),
            (("Ctrl+0",), self.fit_width),
            ((QKeySequence.StandardKey.Save,), self._on_save_button_clicked),
            ((QKeySequence.StandardKey.Print,), self._on_print_button_clicked),
        ):
            seen: set[str] = set()
            for key in keys:
                sequence = QKeySequence(key)
                if sequence.isEmpty() or sequence.toString() in seen:
                    continue
                seen.add(sequence.toString())
                QShortcut(sequence, self, activated=slot)

        geometry = self._settings.value(GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(self._default_size())
        self._update_labels()

    # -- what is shown -----------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._path

    @property
    def page_count(self) -> int:
        return self.canvas.page_count

    @property
    def current_page(self) -> int:
        """The page at the top of the view, counted from 1."""
        return self.canvas.page_at(self.scroll_area.verticalScrollBar().value() + PAGE_GAP) + 1

    def zoom_in(self) -> None:
        self._set_zoom(self.canvas.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.canvas.zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        self._fit_width = True
        self._apply_fit()

    def go_to_page(self, number: int) -> None:
        """Scroll so that page ``number`` (from 1) is at the top."""
        index = max(0, min(self.page_count - 1, number - 1))
        self.scroll_area.verticalScrollBar().setValue(self.canvas.page_rect(index).top() - PAGE_GAP // 2)

    def _set_zoom(self, zoom: float) -> None:
        self._fit_width = False
        self._zoom_keeping_place(zoom)

    def _zoom_keeping_place(self, zoom: float) -> None:
        bar = self.scroll_area.verticalScrollBar()
        old_height = max(1, self.canvas.height())
        fraction = bar.value() / old_height
        self.canvas.set_zoom(zoom)
        bar.setValue(round(fraction * self.canvas.height()))

    def _apply_fit(self) -> None:
        available = self.scroll_area.viewport().width() - 2 * PAGE_GAP - SHADOW
        if available <= 50:
            return
        zoom = available / (self.canvas.widest_page_points() * SCREEN_DPI / 72.0)
        self._zoom_keeping_place(zoom)
        self._center_canvas()

    def _center_canvas(self) -> None:
        width = max(self.canvas.minimumWidth(), self.scroll_area.viewport().width())
        self.canvas.resize(width, self.canvas.minimumHeight())

    def _default_size(self) -> QSize:
        screen = self.screen().availableGeometry() if self.screen() else QRect(0, 0, 1280, 900)
        return QSize(min(900, int(screen.width() * 0.8)), min(1000, int(screen.height() * 0.9)))

    def _update_labels(self) -> None:
        self.zoom_label.setText(formats.percent(self.canvas.zoom))
        # Translators: the preview's page counter; {n} is the page at the top, {m} all pages.
        self.page_label.setText(_("Page {n} of {m}").format(n=formats.number(self.current_page),
                                                            m=formats.number(self.page_count)))
        self.zoom_in_button.setEnabled(self.canvas.zoom < MAX_ZOOM - 1e-4)
        self.zoom_out_button.setEnabled(self.canvas.zoom > MIN_ZOOM + 1e-4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_width:
            self._apply_fit()
        else:
            self._center_canvas()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._fit_width:
            self._apply_fit()

    def done(self, result: int) -> None:
        self._settings.setValue(GEOMETRY, self.saveGeometry())
        super().done(result)
        self._document.close()

    # -- slots ------------------------------------------------------------------------------

    def _on_canvas_zoom_changed(self, _zoom: float) -> None:
        self._center_canvas()
        self._update_labels()

    def _on_scroll_value_changed(self, _value: int) -> None:
        self._update_labels()

    def _on_save_button_clicked(self) -> None:
        folder = self._settings.value(FOLDER)
        if not folder or not Path(str(folder)).is_dir():
            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            folder = documents or str(Path.home())
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save PDF"), str(Path(str(folder)) / self._suggested_name), _("PDF document (*.pdf)"))
        if not target:
            return
        target_path = Path(target)
        if target_path.suffix.lower() != ".pdf":
            target_path = target_path.with_name(target_path.name + ".pdf")
        try:
            if target_path.resolve() != self._path.resolve():
                shutil.copyfile(self._path, target_path)
        except OSError as exc:
            QMessageBox.critical(self, _("Cannot save the PDF"),
                                 _("{path} could not be written: {reason}.").format(path=target_path,
                                                                                  reason=reason(exc)))
            return
        self._settings.setValue(FOLDER, str(target_path.parent))
        announce_file(self, _("Saved the PDF to {path}").format(path=target_path), target_path)
        self.saved.emit(str(target_path))

    def _on_print_button_clicked(self) -> None:
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        # Translators: the print dialog's title; {title} is what is printed ("Badges — Round table").
        dialog.setWindowTitle(_("Print — {title}").format(title=self.windowTitle()))
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        done = self.print_to(printer)
        if done and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            # "Print to File": say where the file went, as Save does.
            path = Path(printer.outputFileName())
            announce_file(self, n_("Printed {n} page to {path}", "Printed {n} pages to {path}", done)
                          .format(n=formats.number(done), path=path), path)

    # -- printing ---------------------------------------------------------------------------

    def pages_to_print(self, printer) -> list[int]:  # type: ignore[no-untyped-def]
        """The page indexes (from 0) the printer's settings ask for."""
        from PySide6.QtPrintSupport import QPrinter

        count = self.page_count
        mode = printer.printRange()
        if mode == QPrinter.PrintRange.CurrentPage:
            return [self.current_page - 1]
        if mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(1, printer.fromPage())
            last = min(count, printer.toPage() or count)
            pages = list(range(first - 1, last))
        else:
            pages = list(range(count))
        if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
            pages.reverse()
        return pages

    def print_to(self, printer) -> int:  # type: ignore[no-untyped-def]
        """Print the chosen pages on ``printer``; returns how many were printed."""
        pages = self.pages_to_print(printer)
        if not pages:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.critical(self, _("Cannot print"), _("The printer could not be opened."))
            return 0
        progress = None
        if len(pages) > 3:
            progress = QProgressDialog(_("Sending pages to the printer…"), _("Cancel"), 0, len(pages), self)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(500)
        done = 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dpi = min(printer.resolution(), PRINT_DPI_CAP)
            for n, index in enumerate(pages):
                if progress is not None:
                    progress.setValue(n)
                    if progress.wasCanceled():
                        printer.abort()
                        break
                if n:
                    printer.newPage()
                draw_page(painter, printer, render_page(self._document, index, dpi / 72.0),
                          self.canvas._sizes[index])
                done += 1
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
            if progress is not None:
                progress.setValue(len(pages))
                progress.deleteLater()
        if done:
            self.printed.emit(done)
        return done


def print_resolution(printer) -> int:  # type: ignore[no-untyped-def]
    """The resolution at which a page is rasterised for ``printer`` (capped)."""
    return min(printer.resolution(), PRINT_DPI_CAP)


def draw_page(painter: QPainter, printer, image: QImage, size_pt: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    """Draw a page rendered as ``image`` (``size_pt``: its size in points) on ``printer``'s
    current page: at its true size, centred on the paper; shrunk if it does not fit (a
    Letter page on A4 paper). Safe off the GUI thread (a QPainter on a QPrinter is)."""
    from PySide6.QtGui import QPageLayout

    target = printer.pageLayout().paintRectPixels(printer.resolution())
    target.moveTo(0, 0)
    w_pt, h_pt = size_pt
    scale = printer.resolution() / 72.0
    width, height = w_pt * scale, h_pt * scale
    shrink = min(1.0, target.width() / width, target.height() / height)
    width, height = width * shrink, height * shrink
    if printer.pageLayout().mode() == QPageLayout.Mode.FullPageMode:
        x, y = (target.width() - width) / 2, (target.height() - height) / 2
    else:
        # The page's origin is the printable area's: centre on the paper instead.
        full = printer.pageLayout().fullRectPixels(printer.resolution())
        margins = printer.pageLayout().marginsPixels(printer.resolution())
        x = (full.width() - width) / 2 - margins.left()
        y = (full.height() - height) / 2 - margins.top()
        x = max(0.0, min(x, target.width() - width))
        y = max(0.0, min(y, target.height() - height))
    painter.drawImage(QRect(round(x), round(y), round(width), round(height)), image)
