"""The Registrations list sorted by name at 100,000 registrations: by each language's
alphabet (the sort keys kept in ``person_key``, migration 0004) against the sort it
replaced (the name columns, in code-point order), and what making the keys costs.

1. Builds the database of ``tests/bench/search.py`` (names in Kazakh, Russian, Latin with
   diacritics and English) through the migrations, by plain inserts: no person has sort
   keys yet, as after an upgrade or another program's import.
2. Times ``ensure_sort_keys`` making them all, then finding none missing (what every
   refresh of the list pays).
3. For en, ru and kk, ascending and descending, in the same run and interleaved, the median
   of several runs of (a) the list's queries as they were — ``ORDER BY family_name,
   given_name, id`` — and (b) ours — ``ORDER BY`` the language's key (``find_registrations``
   and ``registration_ids`` as the table calls them): the first window of 100 rows with
   their check-ins and the count, and every id in order (what a select-all or a jump to
   the end of the list reads).

Not part of the test suite's pass/fail:

    QT_QPA_PLATFORM=offscreen python tests/bench/sort.py [-n 9] [--rows 100000] [--keep FILE]
    python tests/bench/sort.py --url postgresql+psycopg://…/EMPTY_DATABASE   (PostgreSQL)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout
sys.path.insert(0, str(ROOT / "tests" / "bench"))

WINDOW = 100


def median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=9)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database here (or reuse it if it exists)")
    parser.add_argument("--url", help="build into this empty PostgreSQL database instead")
    args = parser.parse_args(argv)

    from search import build  # tests/bench/search.py

    import desktop.core.registrations as registrations
    from db.engine import open_database
    from db.models import Person, Registration
    from desktop.core.collation import ensure_sort_keys
    from desktop.core.registrations import (
        RegistrationFilter,
        RegistrationSort,
        SortColumn,
        find_registrations,
        registration_ids,
    )

    with tempfile.TemporaryDirectory(prefix="cd-sort-bench-") as tmp:
        path = args.url or args.keep or Path(tmp) / "bench.sqlite"
        if not args.url and Path(path).exists():
            event_id = 1
            print(f"reusing {path}")
        else:
            start = time.perf_counter()
            event_id = build(path, args.rows)
            print(f"built {args.rows:,} registrations in {time.perf_counter() - start:.1f} s ({path})")
        database = open_database(path)
        try:
            start = time.perf_counter()
            made = ensure_sort_keys(database)
            print(f"ensure_sort_keys: made the keys of {made:,} people in {time.perf_counter() - start:.1f} s")
            print(f"ensure_sort_keys with none missing: {median_ms(lambda: ensure_sort_keys(database), 25):.2f} ms")

            ours_order = registrations._name_order  # noqa: SLF001

            def old_order(lang: str, directed: Callable[[object], object] = lambda e: e.asc()) -> list[object]:
                return [directed(Person.family_name), directed(Person.given_name), directed(Registration.id)]

            def use(order: Callable[..., list[object]]) -> None:
                registrations._name_order = order  # noqa: SLF001
                registrations._plan.cache_clear()  # noqa: SLF001

            def first(lang: str, desc: bool) -> Callable[[], object]:
                def run() -> object:
                    with database.read_raw() as read:
                        return find_registrations(read, event_id, RegistrationFilter(),
                                                  RegistrationSort(SortColumn.NAME, desc), limit=WINDOW, lang=lang)
                return run

            def every(lang: str, desc: bool) -> Callable[[], object]:
                def run() -> object:
                    with database.read_raw() as read:
                        return registration_ids(read, event_id, RegistrationFilter(),
                                                RegistrationSort(SortColumn.NAME, desc), lang)
                return run

            print(f"\nthe list by name, median of {args.runs} runs (ms); before = ORDER BY family_name, "
                  "given_name; after = ORDER BY the language's sort key")
            print(f"{'':10} {'first window':>28} {'every id':>28}")
            print(f"{'':10} {'before':>8} {'after':>8} {'ratio':>8}   {'before':>8} {'after':>8} {'ratio':>8}")
            for lang in ("en", "ru", "kk"):
                for desc in (False, True):
                    timings: dict[tuple[str, str], list[float]] = {}
                    for n in range(args.runs):
                        plan = [("before", old_order), ("after", ours_order)]
                        for name, order in (plan if n % 2 else plan[::-1]):
                            use(order)
                            for what, fn in (("first", first(lang, desc)), ("every", every(lang, desc))):
                                start = time.perf_counter()
                                fn()
                                timings.setdefault((name, what), []).append(time.perf_counter() - start)
                    med = {k: statistics.median(v) * 1000 for k, v in timings.items()}
                    label = f"{lang} {'desc' if desc else 'asc'}"
                    print(f"{label:10} {med['before', 'first']:8.1f} {med['after', 'first']:8.1f} "
                          f"{med['after', 'first'] / med['before', 'first']:8.2f}   "
                          f"{med['before', 'every']:8.1f} {med['after', 'every']:8.1f} "
                          f"{med['after', 'every'] / med['before', 'every']:8.2f}")
            use(ours_order)
            with database.read_raw() as read:
                rows = find_registrations(read, event_id, limit=3, lang="ru").rows
            print("\nfirst rows in Russian:", "; ".join(r.name for r in rows))
        finally:
            database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
