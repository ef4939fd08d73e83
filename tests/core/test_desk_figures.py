"""The desk's figures kept up to date (desktop/core/desk_figures.py): after any mix of
check-ins, check-outs, undos, late-recorded rows, status edits and walk-ins they are what
counting everything afresh gives (``desk_counts``, ``recent_check_ins``,
``last_check_in_of_desk``) — without counting everything again for check-ins."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert, select, update

from db.engine import Database
from db.models import Category, CheckIn, CheckInAction, Registration, Status
from desktop.core import checkin as core_checkin
from desktop.core import desk_figures
from desktop.core.checkin import check_ins_of
from desktop.core.desk import CheckInState, check_in, desk_counts, last_check_in_of_desk, undo_check_in, walk_in
from desktop.core.desk_figures import DeskFigures, DeskView
from desktop.core.registrations import recent_check_ins

DESK = "Entrance A"


def _fresh(database: Database, event_id: int) -> DeskView:
    """The figures counted from nothing, the slow way."""
    with database.read() as s:
        return DeskView(desk_counts(s, event_id), tuple(recent_check_ins(s, event_id, 50)),
                        last_check_in_of_desk(s, event_id, DESK))


def _read(database: Database, figures: DeskFigures) -> DeskView:
    with database.read() as s:
        return figures.read(s, DESK)


def _same(view: DeskView, fresh: DeskView) -> None:
    assert view.counts == fresh.counts
    assert [r.id for r in view.recent] == [r.id for r in fresh.recent]
    assert [(r.checked_in_at, r.desk) for r in view.recent] == [(r.checked_in_at, r.desk) for r in fresh.recent]
    assert (view.last.uuid if view.last else None) == (fresh.last.uuid if fresh.last else None)


def _not_in(database: Database, event_id: int, status: Status) -> list[tuple[int, str]]:
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code).where(
            Registration.event_id == event_id, Registration.status == status).order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    return [(rid, code) for rid, code in rows if rid not in arrived]


def _no_full_count(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("every check-in of the event was read again")

    monkeypatch.setattr(desk_figures, "event_arrivals", refuse)


def test_first_read_is_the_full_count(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    view = _read(database, DeskFigures(event_id))
    _same(view, _fresh(database, event_id))
    assert view.counts.checked_in > 0 and len(view.recent) == min(50, view.counts.checked_in)


def test_check_ins_undos_and_outs_move_the_counts_without_counting_again(
        demo: tuple[Database, int], monkeypatch: pytest.MonkeyPatch) -> None:
    database, event_id = demo
    figures = DeskFigures(event_id)
    _read(database, figures)
    _no_full_count(monkeypatch)
    invited = _not_in(database, event_id, Status.INVITED)
    confirmed = _not_in(database, event_id, Status.CONFIRMED)
    assert invited and len(confirmed) >= 3
    made = [check_in(database, event_id, code, DESK) for _rid, code in (invited[0], *confirmed[:3])]
    assert all(r.state is CheckInState.CHECKED_IN for r in made)
    _same(_read(database, figures), _fresh(database, event_id))  # an invited person is expected once in
    undo_check_in(database, made[-1].check_in_uuid, DESK)  # type: ignore[arg-type]
    late = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # recorded now, happened long ago: not the latest
    with database.write() as s:
        s.execute(insert(CheckIn), [
            {"uuid": uuid.uuid4(), "registration_id": confirmed[1][0], "desk": "Side door",
             "action": CheckInAction.OUT, "happened_at": dt.datetime.now(dt.UTC), "recorded_at": late},
            {"uuid": uuid.uuid4(), "registration_id": confirmed[0][0], "desk": "Side door",
             "action": CheckInAction.OUT, "happened_at": late, "recorded_at": late},
        ])
    view = _read(database, figures)
    _same(view, _fresh(database, event_id))
    assert view.last is not None and view.last.uuid == made[-2].check_in_uuid  # the undone one is not the last


def test_a_status_edit_or_a_walk_in_counts_afresh(demo: tuple[Database, int]) -> None:
    database, event_id = demo
    figures = DeskFigures(event_id)
    _read(database, figures)
    rid, _code = _not_in(database, event_id, Status.CONFIRMED)[0]
    with database.write() as s:
        s.execute(update(Registration).where(Registration.id == rid).values(status=Status.CANCELLED))
    _same(_read(database, figures), _fresh(database, event_id))
    walk_in(database, event_id, "Aliya", "Sarsenbayeva", "Nobody's Org", Category.PARTICIPANT, DESK)
    view = _read(database, figures)
    _same(view, _fresh(database, event_id))


def test_the_counts_of_a_check_in_made_here(demo: tuple[Database, int]) -> None:
    """What the desk shows at once after its own check-in is what counting gives."""
    database, event_id = demo
    for status in (Status.INVITED, Status.CONFIRMED):
        before = _fresh(database, event_id).counts
        result = check_in(database, event_id, _not_in(database, event_id, status)[0][1], DESK)
        assert before.with_check_in(result) == _fresh(database, event_id).counts
        again = check_in(database, event_id, result.code or "", DESK)
        assert again.state is CheckInState.ALREADY_CHECKED_IN and before.with_check_in(again) is before
    before = _fresh(database, event_id).counts
    made = walk_in(database, event_id, "Aliya", "Sarsenbayeva", None, Category.PARTICIPANT, DESK)
    assert before.with_check_in(made.check_in, new_registration=True) == _fresh(database, event_id).counts


def test_a_check_in_committed_after_a_later_one_is_not_missed(demo: tuple[Database, int]) -> None:
    """PostgreSQL gives ids before commit: a row committed late below the mark is found.
    (SQLite writes one transaction at a time: there the later row always has the higher id.)"""
    database, event_id = demo
    if database.dialect != "postgresql":
        pytest.skip("two writers at once: PostgreSQL only")
    figures = DeskFigures(event_id)
    _read(database, figures)
    (first, _c1), (second, _c2) = _not_in(database, event_id, Status.CONFIRMED)[:2]
    with database.write() as slow:
        slow.execute(insert(CheckIn).values(uuid=uuid.uuid4(), registration_id=first, desk="Slow",
                                            action=CheckInAction.IN))  # its id is taken; not committed yet
        with database.write() as fast:
            fast.execute(insert(CheckIn).values(uuid=uuid.uuid4(), registration_id=second, desk="Fast",
                                                action=CheckInAction.IN))
        _same(_read(database, figures), _fresh(database, event_id))  # the fast one only
    view = _read(database, figures)
    _same(view, _fresh(database, event_id))
    assert first in {r.id for r in view.recent}


def test_the_rule_is_the_one_of_checkin() -> None:
    """The figures use the state rule of desktop.core.checkin, not a copy of it."""
    assert desk_figures.arrivals_of is core_checkin.arrivals_of
    assert desk_figures.event_arrivals is core_checkin.event_arrivals
