"""The desk's worker (desktop.ui.desk.worker): order of the answers, and quitting drops no job."""

from __future__ import annotations

import threading
import time

from pytestqt.qtbot import QtBot

from desktop.ui.desk.worker import DeskWorker


def test_jobs_run_and_answer_in_the_order_asked(qtbot: QtBot) -> None:
    worker = DeskWorker()
    answers: list[tuple[int, object]] = []
    worker.done.connect(lambda ticket, value: answers.append((ticket, value)))
    worker.failed.connect(lambda ticket, exc: answers.append((ticket, type(exc).__name__)))
    tickets = [worker.submit(lambda n=n: (time.sleep(0.01 * (3 - n)), n)[1]) for n in range(3)]
    tickets.append(worker.submit(lambda: 1 / 0))
    qtbot.waitUntil(lambda: len(answers) == 4, timeout=5000)
    assert answers == [(tickets[0], 0), (tickets[1], 1), (tickets[2], 2), (tickets[3], "ZeroDivisionError")]
    assert worker.finish(5)


def test_finish_waits_for_the_jobs_queued_before_it() -> None:
    worker = DeskWorker()
    done: list[int] = []
    gate = threading.Event()
    worker.submit(gate.wait)
    for n in range(5):
        worker.submit(lambda n=n: (time.sleep(0.02), done.append(n)))
    assert not worker.finish(0.05)  # the first job holds the queue: not finished yet
    gate.set()
    # finish(0.05) took the thread: a second finish has nothing to wait for, so wait here
    deadline = time.monotonic() + 5
    while len(done) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done == [0, 1, 2, 3, 4]


def test_finish_returns_once_every_queued_job_has_run() -> None:
    worker = DeskWorker()
    done: list[int] = []
    for n in range(5):
        worker.submit(lambda n=n: (time.sleep(0.02), done.append(n)))
    assert worker.finish(5)
    assert done == [0, 1, 2, 3, 4]
    assert worker.finish(5)  # nothing left: at once
