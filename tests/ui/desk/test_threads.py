"""What the window's threads hand to the GUI thread, and what they leave behind.

- The methods that receive a signal emitted on another thread are real slots (``@Slot``):
  PySide6 6.8 and later can crash delivering such a signal to a plain method.
- The desk page's reads of the figures never start on a database being closed, and closing
  waits for those under way.
- The slow server of the tests (``tests.delay_proxy``) ends its threads when closed.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QMetaMethod, QObject

from desktop.ui.desk.page import DeskPage, _FiguresRead, _FiguresSignals, _Reads
from desktop.ui.people.roster_model import PeopleModel
from desktop.ui.registrations.import_wizard import ImportWizard
from desktop.ui.registrations.page import RegistrationsModel, RegistrationsPage
from desktop.ui.shell.jobs import BackgroundJob
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.row_notice import RowNotice
from tests.delay_proxy import DelayProxy

CROSS_THREAD_RECEIVERS: list[tuple[type[QObject], tuple[str, ...]]] = [
    (DeskPage, ("_on_worker_done", "_on_worker_failed", "_on_searcher_answered", "_on_searcher_failed",
                "_on_figures_ready", "_on_figures_failed", "_on_link_changed", "_on_print_signals_printed",
                "_on_print_signals_already", "_on_print_signals_failed", "_on_print_signals_unrecorded")),
    (RegistrationsModel, ("_on_search_read", "_on_ids_read")),
    (RegistrationsPage, ("_on_figures_read",)),
    (PeopleModel, ("_on_searcher_read",)),
    (RowNotice, ("_on_found",)),
    (MainWindow, ("_on_opened", "_on_open_failed", "_on_changed_elsewhere")),
    (BackgroundJob, ("_on_worker_progressed", "_on_worker_succeeded", "_on_worker_failed", "_on_worker_cancelled")),
    (ImportWizard, ("_on_worker_progressed", "_on_worker_succeeded", "_on_worker_failed", "_on_worker_cancelled")),
]


def _slots(cls: type[QObject]) -> set[str]:
    meta = cls.staticMetaObject
    return {bytes(meta.method(i).name().data()).decode() for i in range(meta.methodOffset(), meta.methodCount())
            if meta.method(i).methodType() == QMetaMethod.MethodType.Slot}


@pytest.mark.parametrize(("cls", "names"), CROSS_THREAD_RECEIVERS, ids=[c.__name__ for c, _ in CROSS_THREAD_RECEIVERS])
def test_what_threads_emit_is_received_by_real_slots(cls: type[QObject], names: tuple[str, ...]) -> None:
    assert set(names) - _slots(cls) == set()


def test_a_read_of_the_figures_does_not_start_once_closed_and_closing_waits_for_one_under_way() -> None:
    reads, signals = _Reads(), _FiguresSignals()
    started, release, ran = threading.Event(), threading.Event(), []

    def slow() -> object:
        started.set()
        release.wait(5)
        ran.append("slow")
        return None

    worker = threading.Thread(target=_FiguresRead(slow, (None, 0), signals, reads).run)
    worker.start()
    assert started.wait(5)
    assert not reads.close(0.05)  # one under way: not done within the wait
    _FiguresRead(lambda: ran.append("late"), (None, 0), signals, reads).run()
    assert ran == []  # closed: the late one did not read
    release.set()
    assert reads.close(5) and ran == ["slow"]
    worker.join(5)


def _wait(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _proxy_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("delay-proxy")]


def test_the_slow_server_ends_its_threads_when_closed() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    before = set(_proxy_threads())
    try:
        proxy = DelayProxy("127.0.0.1", server.getsockname()[1], reply_delay=0.1)
        client = socket.create_connection(("127.0.0.1", proxy.port))
        accepted, _address = server.accept()
        client.sendall(b"x")
        assert accepted.recv(1) == b"x"
        _wait(lambda: len(set(_proxy_threads()) - before) == 5)  # accept, and a reader and a writer each way
        proxy.close()
        _wait(lambda: not set(_proxy_threads()) - before)
        assert set(_proxy_threads()) - before == set()
        client.close()
        accepted.close()
    finally:
        server.close()
