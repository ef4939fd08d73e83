"""The conflict check (issue 3): 100 and 1000 agenda items with 300 people; the time at 1000
must stay within 12× the time at 100 (no quadratic growth).

A synthetic event of 3 days and 8 rooms: each room-day a row of sessions (moderated, a few
unmoderated) of 3–5 items of 10–25 minutes one after another from 08:00 (so the bigger
agenda has longer days, not more rooms: as many things run at once in both), 1–3 people
per item and one moderator per session drawn at random from 300, every 50th item nudged
5–20 minutes so that it overlaps a neighbour, every 97th person declined. The number of
conflicts then grows with the agenda, as it would in life. Times, in the same run:

  (a) ``check(facts)``: all six rules, sentences included (median of several runs);
  (b) for comparison, a naive all-pairs check of the two overlap rules alone (people and
      rooms) — what the sweep replaces.

Prints the medians, the number of conflicts found, and the ratio t(1000)/t(100) against
the 12× target. Not part of the test suite's pass/fail:

    python tests/bench/conflicts.py [-n 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout

from db.models import RoleKind, Status  # noqa: E402
from desktop.core.conflicts import (  # noqa: E402
    AgendaFacts,
    ItemFacts,
    PersonFacts,
    SessionFacts,
    check,
)

TARGET = 12.0
PEOPLE = 300
DAYS = 3
FIRST_DAY = dt.date(2025, 2, 26)
ROOMS = 8


def synthetic_agenda(n_items: int, seed: int = 7) -> AgendaFacts:
    rng = random.Random(seed)
    rooms = ROOMS
    people = {
        pid: PersonFacts(pid, f"Person {pid}",
                         Status.DECLINED if pid % 97 == 0 else Status.CONFIRMED)
        for pid in range(1, PEOPLE + 1)
    }
    sessions: list[SessionFacts] = []
    items: list[ItemFacts] = []
    slots = [(d, r) for d in range(DAYS) for r in range(1, rooms + 1)]
    per_slot = [n_items // len(slots) + (1 if i < n_items % len(slots) else 0) for i in range(len(slots))]
    for (day, room), count in zip(slots, per_slot, strict=True):
        clock = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(8))
        left = count
        while left > 0:
            size = min(left, rng.randint(3, 5))
            sid = len(sessions) + 1
            start = clock
            parts = []
            for _ in range(size):
                length = dt.timedelta(minutes=rng.choice((10, 15, 20, 25)))
                iid = len(items) + 1
                begin = clock
                if iid % 50 == 0:
                    begin += dt.timedelta(minutes=rng.choice((-20, -15, -10, -5)))
                speakers = tuple((RoleKind.SPEAKER, rng.randint(1, PEOPLE)) for _ in range(rng.randint(1, 3)))
                parts.append(ItemFacts(iid, f"Item {iid} on a subject of some length", begin,
                                       begin + length, None, sid, speakers))
                items.append(parts[-1])
                clock += length
            moderators = () if sid % 23 == 0 else ((RoleKind.MODERATOR, rng.randint(1, PEOPLE)),)
            sessions.append(SessionFacts(sid, f"Session {sid}", start, clock, room, moderators))
            clock += dt.timedelta(minutes=10)
            left -= size
    return AgendaFacts(FIRST_DAY, FIRST_DAY + dt.timedelta(days=DAYS - 1), tuple(sessions),
                       tuple(items), people, {r: f"Room {r}" for r in range(1, rooms + 1)})


def naive_overlaps(agenda: AgendaFacts) -> int:
    """All pairs of items and sessions: shared people or the same room while overlapping."""
    sessions = {s.id: s for s in agenda.sessions}
    things = [(s.starts_at, s.ends_at, s.room_id, {p for _, p in s.people}, None, s.id)
              for s in agenda.sessions]
    for it in agenda.items:
        room = it.room_id if it.room_id is not None else sessions[it.session_id].room_id if it.session_id else None
        things.append((it.starts_at, it.ends_at, room, {p for _, p in it.people}, it.session_id, None))
    found = 0
    for i, a in enumerate(things):
        for b in things[i + 1:]:
            if a[0] < b[1] and b[0] < a[1]:
                if a[5] is not None and b[4] == a[5] or b[5] is not None and a[4] == b[5]:
                    continue  # an item inside its own session
                if a[3] & b[3]:
                    found += 1
                if a[2] is not None and a[2] == b[2]:
                    found += 1
    return found


def interleaved_medians(fns: dict[str, Callable[[], object]], runs: int, budget: float = 0.02) -> dict[str, float]:
    """The median time per call of each function, measured in turns (so that a busy moment
    on the machine falls on all of them alike), each turn long enough to time reliably, with
    the garbage collector out of the way. The time is the process's CPU time: on a shared
    machine the wall clock also counts the moments other programs had the processor."""
    loops = {}
    for label, fn in fns.items():  # calls per turn: enough for about ``budget`` seconds
        start = time.process_time()
        fn()
        once = max(time.process_time() - start, 1e-6)
        loops[label] = max(1, round(budget / once))
    samples: dict[str, list[float]] = {label: [] for label in fns}
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            for label, fn in fns.items():
                start = time.process_time()
                for _ in range(loops[label]):
                    fn()
                samples[label].append((time.process_time() - start) / loops[label])
    finally:
        gc.enable()
    return {label: statistics.median(times) for label, times in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=15, help="turns per measurement (median)")
    args = parser.parse_args()

    agendas = {"100": synthetic_agenda(100), "1000": synthetic_agenda(1000)}
    found = {label: check(agenda) for label, agenda in agendas.items()}  # also warms up
    ours = interleaved_medians({label: (lambda a=a: check(a)) for label, a in agendas.items()}, args.n)
    naive = interleaved_medians({label: (lambda a=a: naive_overlaps(a)) for label, a in agendas.items()},
                                max(3, args.n // 3))
    for label, agenda in agendas.items():
        print(f"{label:>5} items, {len(agenda.sessions)} sessions, {len(agenda.rooms)} rooms, {PEOPLE} people: "
              f"check() {ours[label] * 1000:7.2f} ms ({len(found[label])} conflicts);  "
              f"naive all-pairs, overlaps only: {naive[label] * 1000:7.2f} ms")
    ratio = ours["1000"] / ours["100"]
    naive_ratio = naive["1000"] / naive["100"]
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"t(1000)/t(100) = {ratio:.1f}×  ({verdict} the {TARGET:.0f}× target; linear would be 10×); "
          f"naive all-pairs: {naive_ratio:.0f}×; at 1000 check() takes {ours['1000'] / naive['1000']:.2f}× "
          f"the naive time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
