"""The desk tests close no database under a read of the page's figures.

The desk page reads its figures and prints badges on ``QThreadPool.globalInstance()``; a
test (or its fixture) that closes its database while such work still runs leaves it reading a
closed database past the test's end, next to the following tests (one full run crashed so).
Here every ``Database.close`` made on the GUI thread first waits for the pool's work (the
window does so through ``DeskPage.finish_queued``, which the tests do not always call).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool

from db.engine import Database

POOL_WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def pool_work_ends_before_its_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    close = Database.close

    def close_after_the_pool(self: Database) -> None:
        # Only on the GUI thread: a desk link closing its local copy on a thread of its own
        # may be what a pool read waits for.
        if threading.current_thread() is threading.main_thread():
            QThreadPool.globalInstance().waitForDone(POOL_WAIT_MS)
        close(self)

    monkeypatch.setattr(Database, "close", close_after_the_pool)
    yield
    QThreadPool.globalInstance().waitForDone(POOL_WAIT_MS)  # nothing of this test runs into the next
