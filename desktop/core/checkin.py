"""Check-in state, derived from the append-only ``check_in`` rows.

A check-in row is *effective* unless an UNDO row names it. A registration is checked in
when its latest effective row (by the time it happened) is an IN.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select

from db.models import CheckIn, CheckInAction, Registration


def latest_check_ins(event_id: int) -> Select[tuple[int, object, str, str]]:
    """A subquery-ready select: per registration of the event, its latest effective
    check-in row: ``registration_id, happened_at, desk, action``."""
    undone = select(CheckIn.undoes).where(
        CheckIn.action == CheckInAction.UNDO, CheckIn.undoes.is_not(None)
    )
    ranked = (
        select(
            CheckIn.registration_id,
            CheckIn.happened_at,
            CheckIn.desk,
            CheckIn.action,
            func.row_number()
            .over(
                partition_by=CheckIn.registration_id,
                order_by=(CheckIn.happened_at.desc(), CheckIn.id.desc()),
            )
            .label("rank"),
        )
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(
            Registration.event_id == event_id,
            CheckIn.action.in_((CheckInAction.IN, CheckInAction.OUT)),
            CheckIn.uuid.not_in(undone),
        )
        .subquery()
    )
    return select(ranked.c.registration_id, ranked.c.happened_at, ranked.c.desk, ranked.c.action).where(
        ranked.c.rank == 1
    )


def checked_in_subquery(event_id: int):  # type: ignore[no-untyped-def]
    """Registrations of the event that are checked in now: ``registration_id, happened_at, desk``."""
    latest = latest_check_ins(event_id).subquery()
    return (
        select(latest.c.registration_id, latest.c.happened_at, latest.c.desk)
        .where(latest.c.action == CheckInAction.IN)
        .subquery("checked_in")
    )


__all__ = ["latest_check_ins", "checked_in_subquery"]
