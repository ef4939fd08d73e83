"""A desk-file merge can be stopped until its write transaction begins, never after
(``merge_desk_file(progress=…)``, the window's Cancel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import Database
from desktop.core.checkin import checked_in_count
from desktop.core.desk_file import MERGE_STEPS, DeskFileCancelled, export_desk_file, merge_desk_file
from tests.core.test_desk_merge_lock import _desk_checks_in, _event_with_people


@pytest.mark.parametrize("stop_at", range(MERGE_STEPS))
def test_a_cancel_before_the_write_stops_the_merge_with_nothing_written(
        database: Database, tmp_path: Path, stop_at: int) -> None:
    event_id, codes = _event_with_people(database, 30)
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    _desk_checks_in(path, codes[:20])
    asked: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        asked.append((done, total))
        return done != stop_at

    with pytest.raises(DeskFileCancelled):
        merge_desk_file(database, path, progress=progress)
    assert asked == [(n, MERGE_STEPS) for n in range(stop_at + 1)]
    with database.read() as session:
        assert checked_in_count(session, event_id) == 0
    report = merge_desk_file(database, path)  # a later merge brings everything
    assert report.new_check_ins == 20


def test_the_progress_is_not_asked_once_the_write_began(database: Database, tmp_path: Path) -> None:
    event_id, codes = _event_with_people(database, 10)
    path = tmp_path / "lobby.deskdb"
    export_desk_file(database, path, event_id)
    _desk_checks_in(path, codes[:5])
    asked: list[int] = []

    def progress(done: int, total: int) -> bool:
        asked.append(done)
        return True

    report = merge_desk_file(database, path, progress=progress)
    assert asked == list(range(MERGE_STEPS)) and report.new_check_ins == 5
