"""desktop.ui.shell.jobs.BackgroundJob: one signal at the end, cancel reaches the job, messages."""

from __future__ import annotations

import sqlite3
import threading
import time

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from desktop.ui.shell.jobs import BackgroundJob


class Stop(Exception):
    pass


class Told(Exception):
    pass


def _job(parent: QWidget, job, **kw) -> BackgroundJob:
    return BackgroundJob(job, parent, title="T", label="Working…", maximum=3,
                         cancelled_by=(Stop,), errors=(Told,), **kw)


def _until_cancelled(progress, started: threading.Event):
    started.set()
    while progress(0, 3):
        time.sleep(0.01)
    raise Stop


def test_result_arrives_after_the_dialog_is_gone(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    job = _job(parent, lambda progress: [progress(i, 3) for i in range(4)] and 42)
    assert job.progress_dialog is not None
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as got:
        job.start()
    assert got.args == [42]
    assert job.progress_dialog is None and not job.is_running()


def test_cancel_reaches_the_job(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    job = _job(parent, lambda progress: _until_cancelled(progress, started))
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.start()
        assert started.wait(5)
        job.progress_dialog.canceled.emit()  # what the dialog's Cancel button sends
        assert job.progress_dialog.labelText() == "Cancelling…"
    assert not job.is_running()


def test_failures_become_sentences(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    cases = [(Told("the folder is gone."), "The folder is gone."),
             (PermissionError(13, "Permission denied"), "The PDF could not be written: permission denied."),
             (KeyError("x"), "Unexpected KeyError: 'x'"),
             (OperationalError("SELECT * FROM person", {}, sqlite3.OperationalError("database is locked")),
              "The database is busy with another desk's work; try again in a moment.")]
    for exc, words in cases:
        def work(progress, exc=exc):
            raise exc

        job = _job(parent, work, not_written="The PDF could not be written: {reason}.")
        with qtbot.waitSignal(job.failed, timeout=10_000) as got:
            job.start()
        assert got.args == [words]


def test_quitting_stops_the_job_and_says_cancelled(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    job = _job(parent, lambda progress: _until_cancelled(progress, started))
    seen: list[str] = []
    job.cancelled.connect(lambda: seen.append("cancelled"))
    job.succeeded.connect(lambda _r: seen.append("succeeded"))
    job.start()
    assert started.wait(5)
    QApplication.instance().aboutToQuit.emit()  # what QApplication.quit() sends first
    assert seen == ["cancelled"] and not job.is_running() and job.progress_dialog is None
    qtbot.wait(50)  # the worker's own late answer is not passed on
    assert seen == ["cancelled"]
