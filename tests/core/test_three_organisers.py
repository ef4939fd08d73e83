"""Issue 15's drill: three organisers edit the agenda and the roster of the demo event at the
same time, on one SQLite file and on one PostgreSQL server — nothing anyone saved is lost,
each change reaches the others within a second or two, and each change can be traced.

Three worker processes (this file run as a program: ``python test_three_organisers.py worker
SPEC``), each with its own author ("Organiser N"), make ``EDITS`` edits each through core's
own edit functions — people (``update_person``), agenda items (``update_item``,
``set_item_times``, ``set_item_session``), sessions (``update_session``) and registrations
(``update_details``, ``set_status``) — with forms read at random earlier moments (stale
bases), on a few rows of each table so that they collide often. On an ``EditConflict`` a
worker thinks a moment and answers at random, and runs the edit again with
``session.info["resolve"]``, as the window's ``Edits`` does. Each worker writes a JSON log of
what it committed: the row, the fields it changed (as its form read them and as it wanted
them), the questions it was asked and its answers, the edit's uuid (``Change.edit``), and
the time just before and just after the commit. Meanwhile this process runs a
``desktop.core.watch.Watcher`` and notes when it hears each change. The choices are seeded
(``SEED``); the interleaving is the machine's.

Then, from the database's history (``change_log``, in id order) and the logs:

1. nothing lost — every field's history is one chain (each line's ``old`` is the previous
   line's ``new``, the first's is the value before the drill) that ends in the value the
   database holds, which is also what the last writer's log says it wrote; every commit a
   worker logged is in the history under its author with its values, and the history holds
   no edit no worker made;
2. never silently overwritten — a field an edit wrote whose value had moved since the form
   was read (``old`` ≠ the form's base) was asked about and answered "mine"; a field the
   person did not change is never written by their edit; a change the person made and did
   not give up ("theirs") is in the history;
3. every screen up to date — the watcher heard of each commit that changed something: the
   median delay (from the commit to the first notice after it) within ``HEARD_MEDIAN_S``
   (the issue's "a second or two"; SQLite's watcher looks every 0.3 s, PostgreSQL's hears
   within milliseconds), none later than ``HEARD_MAX_S`` — room for a busy 2-core machine
   running three writers, the watcher and the database server at once;
4. versions — ``_settle`` raises a row's version once per edit that changed one of its
   fields (and writes the history's lines in the same edit), so every row of the edited
   tables has version 1 + the number of distinct edits in its history (the demo starts
   with version 1 and no history).

Two faults of core the drill met are kept below as minimal tests of their own: an answer
"mine" given over one value of someone else's was applied over a third organiser's newer
one, never shown (an answer now holds over the value shown: ``EditConflict.answered``); and
a stale item form gave the item a place in the order of a session it was no longer in.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import traceback
import uuid as uuid_mod
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from db.models import AgendaItem, AgendaSession, Base, ChangeLog, Person, Registration, Room

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.engine import Database
    from desktop.core.changes import Change

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
EDITS = 60
"""Edits per worker: about 2–5 s of work each on SQLite and on PostgreSQL."""
SEED = 15_0003
POOL = {"person": 4, "agenda_item": 4, "session": 2, "registration": 4}
"""Rows of each table the organisers work on: few, so that they collide often."""
KINDS: tuple[tuple[str, str, float], ...] = (
    ("person", "person", 2.0), ("item", "agenda_item", 1.0), ("item_times", "agenda_item", 1.0),
    ("item_session", "agenda_item", 0.5), ("session", "session", 1.0), ("details", "registration", 1.5),
    ("status", "registration", 1.0),
)
"""(kind of edit, its table, weight)."""
FRESH = 0.3
"""How often a worker reads its form afresh before an edit (else it uses one read earlier)."""
HEARD_MEDIAN_S = 2.0
HEARD_MAX_S = 5.0
START_TIMEOUT_S = 60.0
RUN_TIMEOUT_S = 120.0
SPAN = ("ends_at", "starts_at")
MAX_QUESTIONS = 6
"""Questions a worker answers for one edit before it gives up (a person would go on)."""
"""Fields kept or replaced together (``desktop.core.changes.TOGETHER``): answered as one."""


def _norm(value: Any) -> Any:
    """A stored value as plain JSON data that compares like ``changes._same``: a text per
    language without its empty languages, an empty text as none, instants in ISO form."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in sorted(value.items()) if v not in (None, "")}
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid_mod.UUID):
        return str(value)
    if isinstance(value, str):
        return value or None
    return value


def _logged(text: str | None) -> Any:
    """A value of the history (JSON text) in ``_norm``'s form."""
    return None if text is None else _norm(json.loads(text))


# -- a worker: one organiser -----------------------------------------------------------------------


class _Organiser:
    """One organiser's edits, in a process of their own."""

    def __init__(self, spec: dict[str, Any]) -> None:
        from db.engine import open_database
        from desktop.core.changes import set_author

        self.n: int = spec["n"]
        self.author = f"Organiser {self.n}"
        set_author(self.author)
        self.rng = random.Random(spec["seed"])  # the edits: the same sequence whatever the interleaving
        self.answering = random.Random(-spec["seed"])  # the questions' answers (how many depends on the timing)
        self.pool: dict[str, list[int]] = spec["pool"]
        self.rooms: list[int] = spec["rooms"]
        self.database = open_database(spec["target"])
        self.held: dict[tuple[str, int], Any] = {}  # forms read earlier, by (table, row id)
        self.uuids: dict[tuple[str, int], str] = {}
        self.commits: list[dict[str, Any]] = []

    def read_form(self, table: str, row: int) -> Any:
        from desktop.core import agenda_edit, people
        from desktop.core.registration_edit import registration_details

        with self.database.read() as s:
            if table == "person":
                return people.load_person(s, row, with_photo=False)
            if table == "agenda_item":
                return agenda_edit.load_item_data(s, row)
            if table == "session":
                return agenda_edit.load_session_data(s, row)
            return registration_details(s, row).editable()

    def plan(self, kind: str, row: int, base: Any, seq: int
             ) -> tuple[dict[str, Any], dict[str, Any], Callable[[Session], Change]]:
        """What the organiser does with the form ``base``: (the fields changed as the form
        read them, as the organiser wants them — both ``_norm``ed —, the edit)."""
        from desktop.core import agenda_edit, people
        from desktop.core.registration_edit import set_status, update_details

        rng, tag = self.rng, f"{self.n}.{seq}"
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        if kind == "person":
            changes: dict[str, Any] = {}
            for field in rng.sample(["phone", "position", "honorific", "bio"], rng.choice([1, 1, 2])):
                if field == "phone":
                    changes[field] = f"+7 70{self.n} {seq:03d} {rng.randrange(100):02d}"
                elif field == "honorific":
                    changes[field] = f"Dr {tag}"
                else:
                    changes[field] = {**getattr(base, field), "en": f"{field.title()} {tag}"}
                old[field], new[field] = _norm(getattr(base, field)), _norm(changes[field])
            data = replace(base, **changes)
            return old, new, lambda s: people.update_person(s, row, data, base=base)
        if kind == "item":
            field = rng.choice(["title", "description", "room_id"])
            value: Any = (rng.choice([r for r in self.rooms if r != base.room_id]) if field == "room_id"
                          else {**getattr(base, field), "en": f"{field.title()} {tag}"})
            item = replace(base, **{field: value})
            old[field], new[field] = _norm(getattr(base, field)), _norm(value)
            return old, new, lambda s: agenda_edit.update_item(s, row, item, base=base)
        if kind == "item_times":
            delta = dt.timedelta(minutes=rng.choice([-15, -10, -5, 5, 10, 15]))
            starts, ends = base.starts_at + delta, base.ends_at + delta
            old.update(starts_at=_norm(base.starts_at), ends_at=_norm(base.ends_at))
            new.update(starts_at=_norm(starts), ends_at=_norm(ends))
            return old, new, lambda s: agenda_edit.set_item_times(s, row, starts, ends,
                                                                  base=(base.starts_at, base.ends_at))
        if kind == "item_session":
            into = rng.choice([x for x in [None, *self.pool["session"]] if x != base.session_id])
            old["session_id"], new["session_id"] = base.session_id, into
            return old, new, lambda s: agenda_edit.set_item_session(s, row, into, base=base.session_id)
        if kind == "session":
            field = rng.choice(["title", "colour", "room_id"])
            if field == "colour":
                value = f"#{rng.randrange(16 ** 6):06x}"
            elif field == "room_id":
                value = rng.choice([r for r in self.rooms if r != base.room_id])
            else:
                value = {**base.title, "en": f"Session {tag}"}
            data_s = replace(base, **{field: value})
            old[field], new[field] = _norm(getattr(base, field)), _norm(value)
            return old, new, lambda s: agenda_edit.update_session(s, row, data_s, base=base)
        if kind == "details":
            details = dict(base)
            for field in rng.sample(["dietary", "notes", "interpretation", "photo_consent", "category"],
                                    rng.choice([1, 1, 2])):
                if field == "interpretation":
                    value = rng.choice([x for x in ("en", "ru", "kk", "de") if x != base[field]])
                elif field == "photo_consent":
                    value = rng.choice([x for x in (True, False, None) if x is not base[field]])
                elif field == "category":
                    from db.enums import Category

                    value = rng.choice([c for c in Category if c != base[field]])
                else:
                    value = f"{field.title()} {tag}"
                details[field] = value
                old[field], new[field] = _norm(base[field]), _norm(value)
            return old, new, lambda s: update_details(s, row, details, base=base)
        from db.enums import Status

        status = rng.choice([x for x in Status if x != base["status"]])
        old["status"], new["status"] = _norm(base["status"]), _norm(status)
        return old, new, lambda s: set_status(s, [row], status, bases={row: {"status": base["status"]}})

    def edit(self, seq: int) -> None:
        from desktop.core.changes import EditConflict

        rng = self.rng
        kind, table = rng.choices([(k, t) for k, t, _w in KINDS], weights=[w for _k, _t, w in KINDS])[0]
        row = rng.choice(self.pool[table])
        if (table, row) not in self.held or rng.random() < FRESH:
            self.held[(table, row)] = self.read_form(table, row)
        base = self.held[(table, row)]
        old, new, make = self.plan(kind, row, base, seq)
        resolve: dict[str, str] = {}  # the last answer per field (logged)
        answers: dict[Any, Any] = {}  # as the window passes them: each over the value shown
        asked: list[list[dict[str, Any]]] = []
        gave_up = False
        while True:
            try:
                with self.database.write() as s:
                    if answers:
                        s.info["resolve"] = dict(answers)
                    change = make(s)
                    t_before = time.time()
                t_after = time.time()
                break
            except EditConflict as conflict:
                asked.append([{"field": f.field, "base": _norm(f.base), "theirs": _norm(f.theirs),
                               "mine": _norm(f.mine), "who": f.who} for f in conflict.fields])
                if len(asked) > MAX_QUESTIONS:  # the window would ask on; a worker stops somewhere
                    gave_up = True
                    change, t_before, t_after = None, time.time(), time.time()
                    break
                time.sleep(self.answering.uniform(0, 0.1))  # the organiser reads the question (others save)
                chosen: dict[str, str] = {}
                for key in sorted({f"{f.table}.{f.field}" for f in conflict.fields}):
                    if key in chosen:
                        continue
                    answer = self.answering.choice(["mine", "theirs"])
                    tbl, field = key.split(".", 1)
                    together = [f"{tbl}.{f}" for f in SPAN] if field in SPAN else [key]
                    for k in together:
                        chosen[k] = answer
                resolve.update(chosen)
                answers.update(conflict.answered(chosen))
        self.commits.append({
            "seq": seq, "kind": kind, "table": table, "row": row, "row_uuid": self.uuids[(table, row)],
            "old": old, "new": new,
            "asked": asked, "resolve": resolve, "gave_up": gave_up,
            "edit": str(change.edit) if change is not None and change.edit is not None else None,
            "t_before": t_before, "t_after": t_after,
        })
        if rng.random() < 0.5:  # the dialog is read again next time; else an older one is kept
            self.held.pop((table, row), None)


def _uuid_select(table: str, row: int) -> Any:
    tbl = Base.metadata.tables[table]
    return select(tbl.c.uuid).where(tbl.c.id == row)


def _worker(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    folder = Path(spec["folder"])
    organiser = _Organiser(spec)
    try:
        for table, rows in organiser.pool.items():  # forms read before anyone starts: stale soon
            for row in rows:
                organiser.held[(table, row)] = organiser.read_form(table, row)
                with organiser.database.read() as s:
                    organiser.uuids[(table, row)] = str(s.scalar(_uuid_select(table, row)))
        (folder / f"ready-{organiser.n}").write_text("")
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (folder / "go").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("no go")
            time.sleep(0.005)
        for seq in range(spec["edits"]):
            organiser.edit(seq)
            time.sleep(organiser.rng.uniform(0, 0.02))
    except BaseException:
        (folder / f"log-{organiser.n}.json").write_text(json.dumps(
            {"author": organiser.author, "commits": organiser.commits, "error": traceback.format_exc()}))
        raise
    finally:
        organiser.database.close()
    (folder / f"log-{organiser.n}.json").write_text(json.dumps({"author": organiser.author,
                                                                "commits": organiser.commits}))


# -- the drill ----------------------------------------------------------------------------------------


class Heard:
    """When the watcher called back, with what (safe to read from the test's thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: list[tuple[float, frozenset[str] | None]] = []

    def __call__(self, tables: frozenset[str] | None) -> None:
        with self._lock:
            self.calls.append((time.time(), tables))

    def snapshot(self) -> list[tuple[float, frozenset[str] | None]]:
        with self._lock:
            return list(self.calls)


def _target(database: Database) -> str:
    return str(database.target.path) if database.target.path is not None else database.target.url


def _pool(database: Database, event_id: int, rng: random.Random) -> dict[str, list[int]]:
    with database.read() as s:
        items = list(s.scalars(select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.id)))
        in_session = list(s.scalars(select(AgendaItem.id).where(AgendaItem.event_id == event_id,
                                                                AgendaItem.session_id.is_not(None))))
        sessions = list(s.scalars(select(AgendaSession.id).where(AgendaSession.event_id == event_id)
                                  .order_by(AgendaSession.id)))
        regs = list(s.scalars(select(Registration.id).where(Registration.event_id == event_id)
                              .order_by(Registration.id)))
        persons = list(s.scalars(select(Registration.person_id).where(Registration.event_id == event_id)
                                 .order_by(Registration.id)))
    top = [i for i in items if i not in in_session]
    return {
        "person": sorted(rng.sample(persons, POOL["person"])),
        "agenda_item": sorted(rng.sample(top, 2) + rng.sample(in_session, POOL["agenda_item"] - 2)),
        "session": sorted(rng.sample(sessions, POOL["session"])),
        "registration": sorted(rng.sample(regs, POOL["registration"])),
    }


def _rows(database: Database, table: str) -> dict[str, dict[str, Any]]:
    """Every row of ``table`` by uuid, ``_norm``ed."""
    tbl = Base.metadata.tables[table]
    with database.read() as s:
        return {str(r.uuid): {k: _norm(v) for k, v in r._mapping.items()} for r in s.execute(select(tbl))}


def _history(database: Database) -> list[dict[str, Any]]:
    with database.read() as s:
        rows = s.execute(select(ChangeLog.id, ChangeLog.edit, ChangeLog.author, ChangeLog.table_name,
                                ChangeLog.row_uuid, ChangeLog.action, ChangeLog.field, ChangeLog.old,
                                ChangeLog.new).order_by(ChangeLog.id)).all()
    return [{"id": r.id, "edit": str(r.edit), "author": r.author, "table": r.table_name, "row": str(r.row_uuid),
             "action": r.action, "field": r.field, "old": _logged(r.old), "new": _logged(r.new)} for r in rows]


@pytest.fixture
def watched(demo: tuple[Database, int]) -> Iterator[tuple[Database, int, Heard]]:
    from desktop.core.watch import Watcher

    database, event_id = demo
    heard = Heard()
    watcher = Watcher(database, heard)
    try:
        assert watcher.ready.wait(30), "the watcher did not start"
        yield database, event_id, heard
    finally:
        watcher.stop()


def _run_workers(database: Database, pool: dict[str, list[int]], rooms: list[int], folder: Path,
                 heard: Heard) -> tuple[list[dict[str, Any]], float]:
    """Start the organisers, let them go at once, wait; (their logs, the moment they went)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    procs: list[subprocess.Popen[str]] = []
    for n in range(1, WORKERS + 1):
        spec = folder / f"spec-{n}.json"
        spec.write_text(json.dumps({"n": n, "seed": SEED + n, "target": _target(database), "pool": pool,
                                    "rooms": rooms, "edits": EDITS, "folder": str(folder)}))
        procs.append(subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "worker", str(spec)],
                                      cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all((folder / f"ready-{n}").exists() for n in range(1, WORKERS + 1)):
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
            assert time.monotonic() < deadline, "the organisers did not start"
            time.sleep(0.01)
        went = time.time()
        (folder / "go").write_text("")
        outputs = [p.communicate(timeout=RUN_TIMEOUT_S) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    return [json.loads((folder / f"log-{n}.json").read_text()) for n in range(1, WORKERS + 1)], went


def test_three_organisers_edit_the_demo_event_at_once(watched: tuple[Database, int, Heard], tmp_path: Path) -> None:
    database, event_id, heard = watched
    rng = random.Random(SEED)
    pool = _pool(database, event_id, rng)
    with database.read() as s:
        rooms = list(s.scalars(select(Room.id).where(Room.event_id == event_id).order_by(Room.id)))
    tables = list(POOL)
    before = {t: _rows(database, t) for t in tables}
    assert not _history(database), "the demo starts with no history"

    logs, went = _run_workers(database, pool, rooms, tmp_path, heard)

    after = {t: _rows(database, t) for t in tables}
    history = _history(database)
    commits = [(log["author"], c) for log in logs for c in log["commits"]]
    assert len(commits) == WORKERS * EDITS
    assert not [c for _a, c in commits if c["gave_up"]], "a question came back about what was answered"
    by_edit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in history:
        by_edit[line["edit"]].append(line)
    assert {line["action"] for line in history} == {"update"}, "the drill only changes fields"

    # The drill did what it is for: the organisers collided, were asked, and answered both ways.
    answers = [a for _a, c in commits if c["asked"] for a in c["resolve"].values()]
    assert "mine" in answers and "theirs" in answers, answers
    asked = sum(1 for _a, c in commits if c["asked"])
    stale = sum(1 for _a, c in commits if any(_moved(c, line) for line in by_edit.get(c["edit"] or "", [])))
    assert asked >= 5 and stale >= 3, f"{asked} questions, {stale} saves over someone else's change: the " \
                                      "organisers hardly collided"
    authors_in_order = [line["author"] for line in history]
    turns = sum(1 for a, b in zip(authors_in_order, authors_in_order[1:]) if a != b)
    assert turns >= WORKERS * 3, "the organisers did not work at the same time"

    # (1) Nothing lost. Each field's history is one chain from the value before the drill
    # to the value the database holds.
    chains: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for line in history:
        chains[(line["table"], line["row"], line["field"])].append(line)
    for (table, row, field), lines in chains.items():
        assert row in before[table], f"{table} {row}: not a row the organisers edit"
        was = before[table][row][field]
        for line in lines:
            assert line["old"] == was, f"{table}.{field} of {row}: line {line['id']} says it was {line['old']!r}, " \
                                       f"the one before made it {was!r}"
            was = line["new"]
        assert after[table][row][field] == was, f"{table}.{field} of {row}: the database holds " \
                                                f"{after[table][row][field]!r}, its history ends at {was!r}"
    for table in tables:
        for row, values in after[table].items():
            for field, value in values.items():
                if (table, row, field) not in chains and field not in _BOOKKEEPING:
                    assert value == before[table][row][field], f"{table}.{field} of {row} changed without history"
    # Every commit logged is in the history under its author, and the history holds nothing else.
    logged_edits = {c["edit"]: (author, c) for author, c in commits if c["edit"] is not None}
    for edit, lines in by_edit.items():
        assert edit in logged_edits, f"an edit no organiser made: {lines}"
        author, commit = logged_edits[edit]
        assert {line["author"] for line in lines} == {author}
        assert {(line["table"], line["row"]) for line in lines} == {(commit["table"], commit["row_uuid"])}
    # The last writer of each field wrote what its log says it wanted (and what the database holds).
    for (table, row, field), lines in chains.items():
        _author, commit = logged_edits[lines[-1]["edit"]]
        if field in commit["new"]:
            assert after[table][row][field] == commit["new"][field]

    # (2) Never silently overwritten.
    for author, c in commits:
        written = {line["field"]: line for line in by_edit.get(c["edit"] or "", [])}
        for field, line in written.items():
            assert field in c["new"] or _derived(c, field), \
                f"{author}'s {c['kind']} wrote {c['table']}.{field}, which the form did not change: {line}"
            if field not in c["new"]:
                continue
            assert line["new"] == c["new"][field], (author, c, line)
            if _moved(c, line):  # someone else changed it since the form was read
                key = f"{c['table']}.{field}"
                shown = [q for question in c["asked"] for q in question if q["field"] == field]
                assert shown and c["resolve"].get(key) == "mine", \
                    f"{author} overwrote {key} = {line['old']!r} (the form read {c['old'][field]!r}) unasked: {c}"
                assert line["old"] == shown[-1]["theirs"], \
                    f"{author} overwrote {key} = {line['old']!r}, a value never shown (it answered over " \
                    f"{shown[-1]['theirs']!r}): {c}"  # test_mine_is_not_an_answer_about_a_value_never_shown
        for field, value in c["new"].items():  # a change made and not given up is in the history
            key = f"{c['table']}.{field}"
            if field not in written and c["resolve"].get(key) != "theirs":
                values_seen = [before[c["table"]][c["row_uuid"]][field],
                               *(line["new"] for line in chains.get((c["table"], c["row_uuid"], field), []))]
                assert value in values_seen, f"{author}'s {key} = {value!r} is nowhere: {c}"

    # (3) Every screen up to date: the watcher heard of each commit that changed something.
    announced = [(c, {line["table"] for line in by_edit[c["edit"]]}) for _a, c in commits
                 if by_edit.get(c["edit"] or "")]  # an edit that changed nothing (theirs kept) announces nothing
    last = max(c["t_after"] for c, _t in announced)
    while True:  # the last commits may be on their way still
        calls = heard.snapshot()
        notices = [next((at for at, told in calls if at >= c["t_before"] and (told is None or touched <= told)),
                        None) for c, touched in announced]
        if None not in notices or time.time() > last + HEARD_MAX_S + 1:
            break
        time.sleep(0.05)
    unheard = [c for (c, _t), at in zip(announced, notices, strict=True) if at is None]
    assert not unheard, f"the watcher never heard of {len(unheard)} changes, as {unheard[0]}"
    delays = [max(0.0, at - c["t_after"]) for (c, _t), at in zip(announced, notices, strict=True) if at is not None]
    median, worst = statistics.median(delays), max(delays)
    assert median <= HEARD_MEDIAN_S, f"median delay {median:.2f} s"
    assert worst <= HEARD_MAX_S, f"a change heard after {worst:.2f} s"

    # (4) Versions: 1 + the distinct edits that changed the row.
    edits_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for line in history:
        edits_of[(line["table"], line["row"])].add(line["edit"])
    for table in tables:
        for row, values in after[table].items():
            assert values["version"] == 1 + len(edits_of[(table, row)]), (table, row, values["version"])

    print(f"\n{len(commits)} edits in {max(c['t_after'] for _a, c in commits) - went:.1f} s, "
          f"{len(by_edit)} changed something, {asked} asked "
          f"(answers: {answers.count('mine')} mine, {answers.count('theirs')} theirs), "
          f"{stale} saved over someone's change; heard after {median * 1000:.0f} ms "
          f"(median), {worst * 1000:.0f} ms (most)")


_BOOKKEEPING = frozenset({"id", "uuid", "created_at", "updated_at", "version"})
"""Columns that are no one's edit (``desktop.core.changes.BOOKKEEPING``): never in the history."""


def _moved(commit: dict[str, Any], line: dict[str, Any]) -> bool:
    """Whether the field of ``line`` had been changed by someone else since the form of
    ``commit`` read it (the value before the write is not the form's)."""
    field = line["field"]
    return field in commit["old"] and line["old"] != commit["old"][field]


def _derived(commit: dict[str, Any], field: str) -> bool:
    """Whether ``field`` is one an edit sets without its form: an item's place in the order
    of its session, set when the edit moves it into another."""
    return commit["table"] == "agenda_item" and field == "position" and "session_id" in commit["new"]


# -- faults of core the drill met (desktop/core is the lead's: pinned, not fixed) ---------------------


def test_mine_is_not_an_answer_about_a_value_never_shown(demo: tuple[Database, int], workstation_2: Database
                                                         ) -> None:
    from desktop.core import people
    from desktop.core.changes import EditConflict, set_author

    database, _event = demo
    with database.read() as s:
        pid = int(s.scalars(select(Person.id).order_by(Person.id)).first() or 0)
        form = people.load_person(s, pid, with_photo=False)  # organiser 1 opens the person
    set_author("Organiser 2")
    with workstation_2.write() as s:
        people.update_person(s, pid, replace(form, phone="+7 700 200 00 02"), base=form)
    set_author("Organiser 1")
    mine = replace(form, phone="+7 700 100 00 01")
    with pytest.raises(EditConflict) as asked, database.write() as s:
        people.update_person(s, pid, mine, base=form)
    assert [f.theirs for f in asked.value.fields] == ["+7 700 200 00 02"]
    set_author("Organiser 3")  # while organiser 1 reads the question
    with workstation_2.write() as s:
        now = people.load_person(s, pid, with_photo=False)
        people.update_person(s, pid, replace(now, phone="+7 700 300 00 03"), base=now)
    set_author("Organiser 1")
    # The answer was "mine" over organiser 2's number; organiser 3's was never shown.
    with pytest.raises(EditConflict) as again, database.write() as s:
        s.info["resolve"] = asked.value.answered({"person.phone": "mine"})
        people.update_person(s, pid, mine, base=form)
    assert [f.theirs for f in again.value.fields] == ["+7 700 300 00 03"]  # asked again, over organiser 3's
    with database.write() as s:  # answered over what is shown now: saved
        s.info["resolve"] = again.value.answered({"person.phone": "mine"})
        people.update_person(s, pid, mine, base=form)
    with database.read() as s:
        assert people.load_person(s, pid, with_photo=False).phone == "+7 700 100 00 01"


def test_a_stale_form_does_not_move_the_item_in_its_order(demo: tuple[Database, int], workstation_2: Database
                                                          ) -> None:
    from desktop.core import agenda_edit
    from desktop.core.changes import set_author

    database, event_id = demo
    with database.read() as s:
        item_id, session_id = s.execute(select(AgendaItem.id, AgendaItem.session_id).where(
            AgendaItem.event_id == event_id, AgendaItem.session_id.is_not(None)).order_by(AgendaItem.id).limit(1)).one()
        form = agenda_edit.load_item_data(s, item_id)  # organiser 1 opens the item
    set_author("Organiser 2")
    with workstation_2.write() as s:  # takes it out of its session, to the top level
        agenda_edit.set_item_session(s, item_id, None, base=session_id)
    with database.read() as s:
        moved_to = s.scalar(select(AgendaItem.position).where(AgendaItem.id == item_id))
    set_author("Organiser 1")
    with database.write() as s:  # saves a new title from the form read before the move
        agenda_edit.update_item(s, item_id, replace(form, title={**form.title, "en": "Renamed"}), base=form)
    with database.read() as s:
        now = s.execute(select(AgendaItem.session_id, AgendaItem.position, AgendaItem.title)
                        .where(AgendaItem.id == item_id)).one()
    assert (now.session_id, now.title["en"]) == (None, "Renamed")  # the merge keeps the move
    assert now.position == moved_to  # ... and the item's place among the top-level entries


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:  # an organiser's process (``_run_workers``)
    _worker(sys.argv[2])
