"""The desk's database work, off the GUI thread.

``DeskWorker``: one background thread with a FIFO queue. Check-ins, undo and walk-ins go
through it, so they run strictly in the order they were asked for, one at a time, and
their answers come back in that order by a signal (``done`` or ``failed``, with the
ticket ``submit`` gave). The scan field never waits for the database: a slow server only
makes the queue longer.

``LatestOnly``: one background thread that runs only the latest of what it was asked
(the desk's name search): a question asked while another runs replaces any still waiting,
and the page shows an answer only when it is about the text it asked last.

Both emit from their own thread; the receivers live on the GUI thread, so Qt delivers the
signals there, queued, in the order emitted. Their signal objects are not children of the
page: a job still running when the page goes keeps them alive, and its signals then reach
no one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

Job = Callable[[], object]


class DeskWorker(QObject):
    """One thread, one queue (see the module docstring).

    Signals:
        done(int, object): the job of this ticket returned this value.
        failed(int, object): the job of this ticket raised this exception.
    """

    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, name: str = "desk-worker") -> None:
        super().__init__()
        self._name = name
        self._queue: queue.SimpleQueue[tuple[int, Job] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._tickets = 0
        self._lock = threading.Lock()

    def submit(self, job: Job) -> int:
        """Queue ``job`` behind the others; its ticket (its answer carries it)."""
        with self._lock:
            self._tickets += 1
            ticket = self._tickets
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        self._queue.put((ticket, job))
        return ticket

    def stop(self) -> None:
        """Let the thread end once the jobs queued before this are done."""
        self.finish(0)

    def finish(self, timeout: float | None = None) -> bool:
        """Let the thread end once the jobs queued before this are done, and wait for that
        up to ``timeout`` seconds (None: as long as it takes): a process that quits must not
        drop check-ins that were scanned and queued but not written yet. True when every job
        asked for has run."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
        if thread is None:
            return True
        if timeout != 0:
            thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            ticket, job = item
            try:
                value = job()
            except Exception as exc:  # noqa: BLE001 - the page says what failed
                tell(self.failed, ticket, exc)
            else:
                tell(self.done, ticket, value)


class LatestOnly(QObject):
    """Runs the latest question asked, on a thread of its own (see the module docstring).

    Signals:
        answered(object, object): the question's key and the job's value.
        failed(object, object): the question's key and the exception its job raised.
    """

    answered = Signal(object, object)
    failed = Signal(object, object)

    def __init__(self, name: str = "desk-search") -> None:
        super().__init__()
        self._name = name
        self._wanted: tuple[object, Job] | None = None
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def ask(self, key: object, job: Job) -> None:
        """Run ``job`` next, instead of whatever was waiting; its answer carries ``key``."""
        with self._ready:
            self._wanted = (key, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while self._wanted is None:
                    self._ready.wait()
                key, job = self._wanted
                self._wanted = None
            try:
                value = job()
            except Exception as exc:  # noqa: BLE001 - the page says what failed
                tell(self.failed, key, exc)
            else:
                tell(self.answered, key, value)


def tell(signal: Any, *what: object) -> None:
    """Emit ``signal`` from a worker's thread; nothing when the application has gone."""
    try:
        signal.emit(*what)
    except RuntimeError:  # the application is closing: its objects are gone already
        pass


__all__ = ["DeskWorker", "Job", "LatestOnly", "tell"]
