"""Long work in a worker thread with a progress dialog that can cancel.

``BackgroundJob`` runs ``job(progress)`` — an export or a PDF build of ``desktop.exports`` or
``desktop.core`` — in a ``QThread``, shows a window-modal ``QProgressDialog`` (after
``PROGRESS_AFTER_MS``, so quick work shows none) whose Cancel asks the job to stop at its
next progress call, and ends with exactly one of its signals once the thread has stopped
and the dialog has gone:

* ``succeeded(object)``: the job's result;
* ``failed(str)``: one sentence for a person, in the interface language
  (``desktop.core.errors.error_sentence`` of the job's own errors and of a database error,
  a file that could not be written with the system's reason, or — a bug — the exception's
  name and text);
* ``cancelled()``: stopped at the user's request (the job left no file) — also when the
  owner calls ``stop_and_wait`` (closing its dialog) or the application quits meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy.exc import SQLAlchemyError

from desktop.core.errors import error_sentence, reason
from desktop.core.language import _

PROGRESS_AFTER_MS = 400

Job = Callable[[Callable[[int, int], bool]], Any]


class JobWorker(QObject):
    """Runs one job in a worker thread; its signals are those of ``BackgroundJob``, plus
    ``progressed(int, int)`` (done so far and in all)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Job, *, cancelled_by: tuple[type[BaseException], ...],
                 errors: tuple[type[BaseException], ...], not_written: str) -> None:
        super().__init__()
        self._job, self._cancelled_by, self._errors, self._not_written = job, cancelled_by, errors, not_written
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress call (callable from any thread)."""
        self._stop.set()

    def report(self, done: int, total: int) -> bool:
        """The progress callback: tell the window, and say whether to go on."""
        self.progressed.emit(done, total)
        return not self._stop.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.report)
        except self._cancelled_by:
            self.cancelled.emit()
        except self._errors as exc:
            self.failed.emit(error_sentence(exc))
        except SQLAlchemyError as exc:
            self.failed.emit(error_sentence(exc))
        except OSError as exc:
            self.failed.emit(self._not_written.format(reason=reason(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug: still a message, never a dead thread
            # Translators: a bug's report; {name} is the exception's class ("KeyError"), {detail} its text.
            self.failed.emit(_("Unexpected {name}: {detail}").format(name=type(exc).__name__, detail=exc))
        else:
            self.succeeded.emit(result)


class BackgroundJob(QObject):
    """One job in a thread, with its progress dialog (see the module docstring).

    ``title`` and ``label`` are the progress dialog's; ``maximum`` its first range (the
    job's progress calls set the real one); ``saving_label`` replaces the label once all
    is done but the file is still being saved. ``cancelled_by`` are the job's cancel
    exceptions, ``errors`` those whose message is shown as it is, ``not_written`` the
    sentence for an ``OSError``, with ``{reason}`` where the system's reason goes
    ("The PDF could not be written: {reason}."; by default the same of "the file").
    The texts are the caller's, in the interface language; Cancel and "Cancelling…" are
    ours. ``on_succeeded``, ``on_failed`` and ``on_cancelled`` are connected to the signals
    of those names. The job deletes itself
    (later) once it has said how it ended.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Job, parent: QWidget, *, title: str, label: str, maximum: int,
                 cancelled_by: tuple[type[BaseException], ...], errors: tuple[type[BaseException], ...],
                 not_written: str | None = None, saving_label: str | None = None,
                 on_succeeded: Callable[[Any], None] | None = None, on_failed: Callable[[str], None] | None = None,
                 on_cancelled: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        for signal, slot in ((self.succeeded, on_succeeded), (self.failed, on_failed),
                             (self.cancelled, on_cancelled)):
            if slot is not None:
                signal.connect(slot)
        self._saving_label = saving_label
        self._quit_hooked = False
        if not_written is None:
            # Translators: {reason} says why ("permission denied", "the disk is full").
            not_written = _("The file could not be written: {reason}.")
        self._worker: JobWorker | None = JobWorker(job, cancelled_by=cancelled_by, errors=errors,
                                                   not_written=not_written)
        self._thread: QThread | None = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.succeeded.connect(self._on_worker_succeeded)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.cancelled.connect(self._on_worker_cancelled)
        dialog = QProgressDialog(label, _("Cancel"), 0, max(maximum, 1), parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self._on_progress_dialog_canceled)
        self.progress_dialog: QProgressDialog | None = dialog

    def start(self) -> None:
        """Start the thread; quitting the application meanwhile stops the job first."""
        if self._thread is not None:
            app = QCoreApplication.instance()
            if app is not None and not self._quit_hooked:
                app.aboutToQuit.connect(self.stop_and_wait)
                self._quit_hooked = True
            self._thread.start()

    def is_running(self) -> bool:
        return self._thread is not None

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    @Slot()
    def stop_and_wait(self) -> None:
        """Cancel, wait for the thread, drop it and the dialog, then say ``cancelled``
        (closing the dialog or quitting while the job runs); a later answer of the worker
        is ignored."""
        if self._thread is not None:
            self.cancel()
            self._thread.quit()
            self._thread.wait()
            self._finish()
            self.cancelled.emit()
            self.deleteLater()

    def _finish(self) -> None:
        """Stop the thread and drop the progress dialog once the worker has answered."""
        app = QCoreApplication.instance()
        if self._quit_hooked and app is not None:
            app.aboutToQuit.disconnect(self.stop_and_wait)
            self._quit_hooked = False
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread, self._worker = None, None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self._on_progress_dialog_canceled)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    @Slot(int, int)  # the worker's signals come from its thread: real slots (desk/page.py says why)
    def _on_worker_progressed(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if done >= total and self._saving_label is not None:
            dialog.setLabelText(self._saving_label)

    @Slot(object)
    def _on_worker_succeeded(self, result: object) -> None:
        if self._thread is not None:
            self._finish()
            self.succeeded.emit(result)
            self.deleteLater()

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        if self._thread is not None:
            self._finish()
            self.failed.emit(message)
            self.deleteLater()

    @Slot()
    def _on_worker_cancelled(self) -> None:
        if self._thread is not None:
            self._finish()
            self.cancelled.emit()
            self.deleteLater()

    def _on_progress_dialog_canceled(self) -> None:
        self.cancel()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(_("Cancelling…"))


__all__ = ["PROGRESS_AFTER_MS", "BackgroundJob", "JobWorker"]
