"""The ``conference-desk`` command: the GUI by default, headless commands over the same core.

Exit status: 0 on success, 1 on a data error (one line on stderr naming what is wrong),
2 on a usage error. A failed command changes nothing. Qt, ReportLab and openpyxl are
imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

PROG = "conference-desk"
ENV_DB = "CONFERENCE_DESK_DB"
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line (exit status 2)."""


class DataError(Exception):
    """The command could not be done with this data (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``CONFERENCE_DESK_DB`` is given."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("conference-desk", appauthor=False)) / "conference-desk.sqlite"


def _db_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help=f"a SQLite file or a postgresql+psycopg:// URL (default: ${ENV_DB}, "
        "else the file in your data folder)",
    )


def _event_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", type=int, metavar="ID",
                        help="the event's id (see 'events'); may be left out when there is one event")


def _event_id(args: argparse.Namespace, session) -> int:  # type: ignore[no-untyped-def]
    """The id of the event the user means (``--event``, or the only one); else a DataError."""
    from desktop.core.events import EventNotFound, resolve_event

    try:
        return resolve_event(session, getattr(args, "event", None)).id
    except EventNotFound as exc:
        raise DataError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    from desktop import __version__

    parser = _Parser(
        prog=PROG,
        description="Conference Desk: agenda, speakers, registrations, printing and check-in "
        "for conferences and round tables. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="create the demo round table and print its id",
                       description="Create the demo event (the Astana round table of 28 February "
                       "2025, with 120 fictional registrations) and print its id.")
    _db_option(p, argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("events", help="list the events (id, dates, title)",
                       description="List the events: tab-separated id, start date, end date, "
                       "title and number of registrations, with a header row.")
    _db_option(p, argparse.SUPPRESS)
    p.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                   help="language of the titles (default: en; a missing one falls back)")
    p.set_defaults(func=cmd_events)
    return parser


def _open(args: argparse.Namespace, *, create_demo_if_new: bool = False):  # type: ignore[no-untyped-def]
    """Open the database the user means (``--db``, the environment, or the default file)."""
    from db.engine import DatabaseError, open_database

    target = args.db or os.environ.get(ENV_DB) or None
    is_default = target is None
    if is_default:
        path = default_database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(f"cannot create the data folder {path.parent}: {exc.strerror}.") from None
        target = str(path)
    try:
        database = open_database(target)
    except DatabaseError as exc:
        raise DataError(str(exc)) from None
    if is_default and create_demo_if_new:
        _ensure_first_start_demo(database)
    return database


def _ensure_first_start_demo(database) -> None:  # type: ignore[no-untyped-def]
    """The first start on an empty default database creates the demo event."""
    from sqlalchemy import func, select

    from db.models import Event
    from desktop.core.demo import create_demo

    with database.read() as session:
        empty = not session.scalar(select(func.count()).select_from(Event))
    if empty:
        create_demo(database)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.demo import create_demo

    database = _open(args)
    try:
        event_id = create_demo(database)
    finally:
        database.close()
    print(event_id, file=out)
    return EXIT_OK


def cmd_events(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.events import list_events
    from desktop.core.i18n import text

    database = _open(args)
    try:
        with database.read() as session:
            events = list_events(session)
    finally:
        database.close()
    print("id\tstarts_on\tends_on\ttitle\tregistrations", file=out)
    for ev in events:
        title = " ".join(text(ev.title, args.lang).split())
        print(f"{ev.id}\t{ev.starts_on:%Y-%m-%d}\t{ev.ends_on:%Y-%m-%d}\t{title}\t{ev.registrations}", file=out)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    database = _open(args, create_demo_if_new=True)
    from desktop.ui.app import run

    return run(database, argv=[sys.argv[0]])


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (also when called from tests)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        parser = build_parser()
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        func: Callable[[argparse.Namespace, TextIO], int] = getattr(args, "func", cmd_gui)
        return func(args, out)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    except DataError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_DATA
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was changed by the unfinished command.", file=err)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, never a traceback
        if os.environ.get("CONFERENCE_DESK_DEBUG"):
            raise
        from desktop.core.events import EventNotFound

        if isinstance(exc, EventNotFound):
            print(f"{PROG}: error: {exc}", file=err)
            return EXIT_DATA
        detail = " ".join(str(exc).split()) or "no detail"
        print(f"{PROG}: error: unexpected {type(exc).__name__}: {detail} "
              f"(set CONFERENCE_DESK_DEBUG=1 for details)", file=err)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
