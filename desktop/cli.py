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

    _attendees_parser(sub)
    _export_attendees_parser(sub)
    _import_attendees_parser(sub)
    # Commands of the agenda/programme, the registration desk and the printed pages live in
    # their own modules; each adds its parsers here (and imports its heavy code only when run).
    from desktop import cli_desk, cli_deskfile, cli_print, cli_program

    cli_program.add_parsers(sub)
    cli_desk.add_parsers(sub)
    cli_deskfile.add_parsers(sub)
    cli_print.add_parsers(sub)
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


def _attendees_parser(sub) -> None:  # type: ignore[no-untyped-def]
    from db.models import Status

    p = sub.add_parser(
        "attendees", help="list the event's registrations (tab-separated)",
        description="List the event's registrations by surname: tab-separated code, name, "
        "organisation, sector, status and checked_in (the local time of the event, "
        "'YYYY-MM-DD HH:MM', empty when not checked in), with a header row.")
    _db_option(p, argparse.SUPPRESS)
    _event_option(p)
    p.add_argument("--search", metavar="TEXT", default="",
                   help="keep those whose name, organisation, e-mail or badge code has words "
                   "beginning with each word of TEXT (any case, any script)")
    p.add_argument("--status", action="append", choices=[s.value for s in Status], metavar="S",
                   help="keep only this status (repeat for several): " + ", ".join(s.value for s in Status))
    p.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                   help="language of names and organisations (default: en; a missing one falls back)")
    p.set_defaults(func=cmd_attendees)


def cmd_attendees(args: argparse.Namespace, out: TextIO) -> int:
    from db.models import Status
    from desktop.core.registrations import RegistrationFilter, event_zone_of, iter_registrations

    flt = RegistrationFilter(search=args.search, statuses=frozenset(Status(s) for s in args.status or ()))
    database = _open(args)
    try:
        with database.read() as session:
            event_id = _event_id(args, session)
            zone = event_zone_of(session, event_id)
            print("code\tname\torganisation\tsector\tstatus\tchecked_in", file=out)
            for row in iter_registrations(session, event_id, flt, lang=args.lang):
                at = f"{row.checked_in_at.astimezone(zone):%Y-%m-%d %H:%M}" if row.checked_in_at else ""
                cells = (row.code, row.name, row.organisation, row.sector.value if row.sector else "",
                         row.status.value, at)
                print("\t".join(" ".join(c.split()) for c in cells), file=out)
    finally:
        database.close()
    return EXIT_OK


def _export_attendees_parser(sub) -> None:  # type: ignore[no-untyped-def]
    from db.models import Sector, Status
    from desktop.core.attendee_columns import COLUMNS, DEFAULT_COLUMNS

    p = sub.add_parser(
        "export-attendees", help="write the attendee list to an Excel (.xlsx) or CSV file",
        description="Write the event's attendee list to FILE.xlsx (with a second sheet of "
        "participation figures) or FILE.csv (UTF-8; ';' for --lang ru/kk, ',' for en). "
        "Nothing is written when the command fails or is interrupted.")
    _db_option(p, argparse.SUPPRESS)
    _event_option(p)
    p.add_argument("--columns", metavar="A,B,…", default=",".join(DEFAULT_COLUMNS),
                   help=f"columns in order (default: {','.join(DEFAULT_COLUMNS)}); "
                   f"any of: {', '.join(COLUMNS)}")
    p.add_argument("--status", action="append", choices=[s.value for s in Status], metavar="STATUS",
                   help="keep only this status (repeat for several): " + ", ".join(s.value for s in Status))
    p.add_argument("--sector", action="append", choices=[s.value for s in Sector] + ["none"], metavar="SECTOR",
                   help="keep only this sector (repeat for several; 'none' = no organisation): "
                   + ", ".join(s.value for s in Sector))
    p.add_argument("--checked-in", choices=("yes", "no"), help="keep only people checked in (yes) or not (no)")
    p.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                   help="language of headers, names and labels (default: en)")
    p.add_argument("--delimiter", choices=("comma", "semicolon", "tab"),
                   help="CSV separator (default: semicolon for ru/kk, comma for en)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    p.set_defaults(func=cmd_export_attendees)


def cmd_export_attendees(args: argparse.Namespace, out: TextIO) -> int:
    from db.models import Sector, Status
    from desktop.core.attendee_list import AttendeeFilter, UnknownColumn, parse_columns
    from desktop.exports.attendees import DELIMITERS, ExportError, export_attendees, format_for

    # Usage is checked before the database is opened: a usage error touches nothing.
    try:
        format_for(args.output)
        columns = parse_columns(args.columns)
    except (ValueError, UnknownColumn) as exc:
        raise UsageError(str(exc)) from None
    flt = AttendeeFilter(
        statuses=frozenset(Status(s) for s in args.status or ()),
        sectors=frozenset(None if s == "none" else Sector(s) for s in args.sector or ()),
        checked_in=None if args.checked_in is None else args.checked_in == "yes",
    )
    database = _open(args)
    try:
        with database.read() as session:
            event_id = _event_id(args, session)
        try:
            result = export_attendees(
                database, args.output, event_id, columns, flt, args.lang,
                delimiter=DELIMITERS[args.delimiter] if args.delimiter else None,
            )
        except ExportError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(f"{result.rows} attendees written to {result.path}", file=out)
    return EXIT_OK


def _import_attendees_parser(sub) -> None:  # type: ignore[no-untyped-def]
    # The fields are spelled out, not imported: building the parser must stay cheap
    # (tests/test_cli_import.py checks the list against desktop.core.importing.fields).
    p = sub.add_parser(
        "import-attendees", help="register the people of a spreadsheet (.xlsx, .xls, .ods, .csv, .txt)",
        description="Register the people listed in FILE for the event: the header row is found "
        "below any titles, columns are recognised by their English, Russian or Kazakh headers, "
        "people already registered (same e-mail, or same name and organisation) are reported as "
        "duplicates and not added, rows without a name or with an invalid e-mail are skipped. "
        "Prints the counts and every duplicate or skipped row. All or nothing: a failed import "
        "changes nothing.")
    _db_option(p, argparse.SUPPRESS)
    p.add_argument("file", metavar="FILE", help="the list: .xlsx, .xls, .ods, .csv or .txt")
    _event_option(p)
    p.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    p.add_argument("--map", action="append", default=[], metavar="'Header=field'",
                   help="say what a column holds, by its header or letter (repeatable); fields: "
                   f"{IMPORT_FIELDS}, or ignore")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first with a list of people)")
    p.set_defaults(func=cmd_import_attendees)


IMPORT_FIELDS = ("full_name, full_name_given_first, family_name, given_name, patronymic, honorific, "
                 "organisation, position, email, phone, country, gender, sector, category, status, "
                 "dietary, interpretation, accessibility, photo_consent, notes")


def cmd_import_attendees(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.importing import (
        EventMissing,
        ImportFileError,
        LayoutProblem,
        MappingError,
        check_usable,
        import_attendees,
        open_source,
        parse_map_options,
    )

    # Usage, then the file, are checked before the database is opened: a command that
    # fails on either touches nothing.
    try:
        overrides = parse_map_options(args.map)
    except MappingError as exc:
        raise UsageError(str(exc)) from None
    try:
        table, layout = open_source(args.file, overrides, sheet=args.sheet)
        check_usable(table, layout)
    except LayoutProblem as exc:
        raise DataError(f"{exc.where}: {exc.problem} with --map 'Header=full_name'.") from None
    except ImportFileError as exc:
        raise DataError(str(exc)) from None
    except MappingError as exc:
        raise UsageError(str(exc)) from None
    database = _open(args)
    try:
        with database.read() as session:
            event_id = _event_id(args, session)
        try:
            report = import_attendees(database, table, event_id, layout=layout, dry_run=args.dry_run)
        except EventMissing as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(report.details(), file=out)
    print(report.summary(), file=out)
    for line in report.problem_lines():
        print(line, file=out)
    if report.dry_run:
        print("Dry run: nothing was written.", file=out)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    database = _open(args, create_demo_if_new=True)
    from desktop.ui.shell.app import run

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
