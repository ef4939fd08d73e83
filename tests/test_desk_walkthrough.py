"""The registration desk from start to finish, headless, as the issue's "Done when" says:

two laptops, one without network, check in a hundred people, merge without loss or double
counting, and the organiser prints badges that scan, name cards for the round table and a
signed attendance sheet for the donor.

* The main database (SQLite file or PostgreSQL server): the demo event and 100 more people,
  imported from a CSV file with ``import-attendees``.
* ``desk-export`` writes the desk file for laptop B (no network). Laptop B checks in 50 of
  the 100 and registers 3 walk-ins (``desktop.core.desk``, what desk mode calls).
* Laptop A (on the main database) checks in 60 with ``check-in CODE --desk "Laptop A"``:
  the last 10 of B's 50 and 50 that B did not see.
* ``desk-merge``: exactly 100 of the 100 are checked in (plus the 3 walk-ins), the 10 seen at
  both laptops are listed as conflicts and counted once, every check-in row of both laptops is
  there. A second merge changes nothing.
* Printed: the walk-ins' badges scan back to their codes; the sign-in sheet holds every name
  checked in, in surname order; one certificate page per person checked in; a name card each.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select

from db.engine import Database, open_database
from db.models import CheckIn, CheckInAction, Person, Registration
from desktop.cli import main
from desktop.core.checkin import checked_in_subquery
from desktop.core.collation import key
from desktop.core.desk import CheckInState, check_in, walk_in
from tests.exports.pdf_tools import page_count, page_texts, qr_codes
from tests.import_files import write_csv

# 100 people with names in Latin, Cyrillic Russian and Cyrillic Kazakh, so "surname order"
# means something: family names from these stems, each made unique by a suffix letter pair.
STEMS = ["Abenov", "Ахметова", "Zhunusov", "Сәрсенбаев", "Brown", "Ёлкин", "Müller", "Ішанов", "Olsen", "Юсупова"]
GIVEN = ["Aigerim", "Арман", "Dana", "Әлия", "Erik", "Иван", "Farida", "Ғалым", "Greta", "Ольга"]
LAPTOP_A, LAPTOP_B = "Laptop A", "Laptop B"


@contextlib.contextmanager
def opened(target: str | Path) -> Iterator[Database]:
    database = open_database(target)
    try:
        yield database
    finally:
        database.close()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), (argv, out, err)
    return out


def hundred_people() -> list[tuple[str, str, str]]:
    """(given name, family name, e-mail) of the 100 extra people."""
    people = []
    for i in range(100):
        suffix = "abcdefghij"[i // 10] + "abcdefghij"[i % 10]
        people.append((GIVEN[i % 10], f"{STEMS[(i * 7) % 10]}{suffix}", f"person{i:03d}@example.org"))
    return people


def attendee_rows(db: str, event_id: int) -> dict[str, dict[str, str]]:
    """The ``attendees`` list: code → row (by column name)."""
    lines = ok("--db", db, "attendees", "--event", str(event_id)).splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return {r["code"]: r for r in rows}


def in_rows(database: Database, event_id: int) -> list[tuple[str, str, str]]:
    """Every IN row of the event: (check-in uuid, badge code, desk), sorted."""
    with database.read() as s:
        rows = s.execute(select(CheckIn.uuid, Registration.badge_code, CheckIn.desk)
                         .join(Registration, Registration.id == CheckIn.registration_id)
                         .where(Registration.event_id == event_id, CheckIn.action == CheckInAction.IN)).all()
    return sorted((str(u), c, d) for u, c, d in rows)


def table_counts(database: Database) -> tuple[int, int, int]:
    with database.read() as s:
        return (s.scalar(select(func.count()).select_from(CheckIn)) or 0,
                s.scalar(select(func.count()).select_from(Registration)) or 0,
                s.scalar(select(func.count()).select_from(Person)) or 0)


def checked_in_ids(database: Database, event_id: int) -> set[int]:
    with database.read() as s:
        ci = checked_in_subquery(event_id)
        return set(s.scalars(select(ci.c.registration_id)))


def test_two_laptops_one_offline_then_merge_and_print(db_target: str, tmp_path: Path) -> None:
    main_db = db_target
    event_id = int(ok("--db", main_db, "demo").strip())

    # -- 100 more people, imported as an organiser would --------------------------------------
    people = hundred_people()
    csv = write_csv(tmp_path / "round-table.csv",
                    [["Given name", "Family name", "E-mail", "Organisation"]]
                    + [[g, f, e, "Round Table Partners"] for g, f, e in people])
    out = ok("--db", main_db, "import-attendees", str(csv), "--event", str(event_id))
    assert "Imported 100," in out, out
    before = attendee_rows(main_db, event_id)
    families = {f for _g, f, _e in people}
    with opened(main_db) as database:
        with database.read() as s:
            extra = dict(s.execute(select(Person.family_name, Registration.badge_code)
                                   .join(Registration, Registration.person_id == Person.id)
                                   .where(Registration.event_id == event_id,
                                          Person.family_name.in_(sorted(families)))).all())
        demo_in = checked_in_ids(database, event_id)
    assert len(extra) == 100
    codes = [extra[f] for _g, f, _e in people]
    assert all(before[c]["checked_in"] == "" for c in codes)

    # -- laptop B: the desk file, no network -----------------------------------------------------
    desk_file = tmp_path / "laptop-b.deskdb"
    out = ok("--db", main_db, "desk-export", str(desk_file), "--event", str(event_id))
    assert out.startswith(f"Desk file laptop-b.deskdb written: {len(before):,} registrations, ")
    b_codes, a_codes = codes[:50], codes[40:100]          # codes[40:50] at both laptops
    overlap = set(b_codes) & set(a_codes)
    assert len(overlap) == 10 and len(set(b_codes) | set(a_codes)) == 100
    walk_ins = [("Нұрлан", "Қасымов", "Almaty Bar Association", "nurlan@bar.kz"),
                ("Jane", "Doe", "Open Society", None),
                ("Олжас", "Әбенов", None, "olzhas@example.kz")]
    with opened(desk_file) as laptop_b:
        with laptop_b.read() as s:  # the desk file's event: the same row as at home
            desk_event = s.scalar(select(Registration.event_id).where(Registration.badge_code == codes[0]))
        assert desk_event is not None
        b_results = [check_in(laptop_b, desk_event, code.lower(), LAPTOP_B) for code in b_codes]
        assert [r.state for r in b_results] == [CheckInState.CHECKED_IN] * 50
        # A second scan of the same badge at the same laptop: told, not counted again.
        again = check_in(laptop_b, desk_event, b_codes[0], LAPTOP_B)
        assert again.state is CheckInState.ALREADY_CHECKED_IN and again.desk == LAPTOP_B
        walked = [walk_in(laptop_b, desk_event, g, f, org, "participant", LAPTOP_B, mail)
                  for g, f, org, mail in walk_ins]
        assert all(w.check_in.state is CheckInState.CHECKED_IN and not w.person_reused for w in walked)
        walk_in_codes = [w.code for w in walked]
        b_rows = in_rows(laptop_b, desk_event)

    # -- laptop A: on the main database, with the command line -------------------------------------
    for code in a_codes:
        out = ok("--db", main_db, "check-in", code, "--event", str(event_id), "--desk", LAPTOP_A)
        assert out.startswith("checked in: "), out
    out = ok("--db", main_db, "check-in", a_codes[0], "--event", str(event_id), "--desk", LAPTOP_A)
    assert re.match(r"already checked in at \d\d:\d\d \(desk Laptop A\): ", out), out

    # -- the merge ----------------------------------------------------------------------------
    with opened(main_db) as database:
        a_rows = in_rows(database, event_id)
        counts_before = table_counts(database)
    out = ok("--db", main_db, "desk-merge", str(desk_file))
    summary, *details = out.splitlines()
    assert summary == ("Merged laptop-b.deskdb: 53 new check-ins, 3 walk-ins added, "
                       "10 conflicts."), out
    conflicts = [line for line in details if line.startswith("Conflict: ")]
    assert len(conflicts) == 10
    for code in overlap:
        assert sum(f"(badge {code})" in line for line in conflicts) == 1
    assert all(f"at {LAPTOP_B} at " in line and f"at {LAPTOP_A} at " in line and "counted once" in line
               for line in conflicts)
    assert not any(line.startswith("New badge code: ") for line in details)  # no code clashed

    with opened(main_db) as database:
        # Nothing lost: every IN row of both laptops; nothing doubled: a row per uuid.
        merged = in_rows(database, event_id)
        assert sorted(set(a_rows) | set(b_rows)) == merged
        assert len({u for u, _c, _d in merged}) == len(merged)
        counts_after = table_counts(database)
        assert counts_after == (counts_before[0] + 53, counts_before[1] + 3, counts_before[2] + 3)
        now_in = checked_in_ids(database, event_id)
    after = attendee_rows(main_db, event_id)
    assert all(after[c]["checked_in"] != "" for c in codes)           # all 100, each once
    assert all(after[c]["checked_in"] != "" for c in walk_in_codes)   # and the walk-ins
    assert {after[c]["name"] for c in walk_in_codes} == {f"{g} {f}" for g, f, _o, _m in walk_ins}
    assert len(now_in) == len(demo_in) + 100 + 3
    listed_in = {c for c, r in after.items() if r["checked_in"]}
    assert len(listed_in) == len(now_in)

    # -- the same file again: nothing changes --------------------------------------------------
    out = ok("--db", main_db, "desk-merge", str(desk_file))
    assert out.splitlines()[0] == ("Merged laptop-b.deskdb: 0 new check-ins, 53 merged before, "
                                   "0 walk-ins added, 10 conflicts.")
    with opened(main_db) as database:
        assert table_counts(database) == counts_after
        assert in_rows(database, event_id) == merged
    assert attendee_rows(main_db, event_id) == after

    # -- printed: badges that scan, name cards, the sheet for the donor, certificates -----------
    badges = tmp_path / "walk-in-badges.pdf"
    out = ok("--db", main_db, "export-badges", "--event", str(event_id), "--layout", "a6",
             *[a for c in walk_in_codes for a in ("--code", c)], "-o", str(badges))
    assert out.startswith("3 badges on 3 pages written to "), out
    assert sorted(c for page in qr_codes(badges) for c in page) == sorted(walk_in_codes)

    cards = tmp_path / "name-cards.pdf"
    out = ok("--db", main_db, "export-name-cards", "--event", str(event_id),
             *[a for c in walk_in_codes for a in ("--code", c)], "-o", str(cards))
    assert page_count(cards) == 3
    card_text = "\n".join(page_texts(cards))
    assert all(card_text.count(f) >= 2 for _g, f, _o, _m in walk_ins)  # readable from both sides

    sheet = tmp_path / "sign-in.pdf"
    out = ok("--db", main_db, "export-sign-in-sheet", "--event", str(event_id), "--checked-in", "-o", str(sheet))
    assert out.startswith(f"{len(now_in)} people on "), out  # only those who came
    sheet_text = "\n".join(page_texts(sheet))
    # Every name checked in is on the sheet, numbered in surname order.
    with opened(main_db) as database, database.read() as s:
        listed = s.execute(select(Person.family_name, Person.given_name)
                           .join(Registration, Registration.person_id == Person.id)
                           .where(Registration.id.in_(sorted(now_in)))).all()
    listed.sort(key=lambda r: (key(r[0] or "", "en"), key(r[1] or "", "en")))
    assert len(listed) == len(now_in) == len(demo_in) + 103
    at = 0
    for n, (family, _given) in enumerate(listed, start=1):
        at = sheet_text.index(f"{n}.", at)
        at = sheet_text.index(family, at)

    certificates = tmp_path / "certificates.pdf"
    out = ok("--db", main_db, "export-certificates", "--event", str(event_id), "-o", str(certificates))
    assert page_count(certificates) == len(now_in)
    cert_pages = page_texts(certificates)
    for _g, f, _o, _m in walk_ins:
        assert sum(f in page for page in cert_pages) == 1

