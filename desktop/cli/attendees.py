"""Commands of the ``conference-desk`` line about the people of an event: ``attendees``
lists them (tab-separated), ``export-attendees`` writes the list to Excel or CSV,
``import-attendees`` registers the people of a spreadsheet. The same core calls as the
Registrations section of the window.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    UsageError,
    chosen_event_id,
    db_option,
    event_option,
    open_database,
)
from desktop.core.language import _, n_


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    _attendees_parser(sub)
    _export_attendees_parser(sub)
    _import_attendees_parser(sub)


def _attendees_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from db.enums import Status

    p = sub.add_parser(
        "attendees", help=_("list the event's registrations (tab-separated)"),
        # Translators: the header row's words stay English (the data is for programs).
        description=_("List the event's registrations by surname: tab-separated code, name, "
                      "organisation, sector, status and checked_in (the local time of the event, "
                      "'YYYY-MM-DD HH:MM', empty when not checked in), with a header row."))
    db_option(p)
    event_option(p)
    p.add_argument("--search", metavar="TEXT", default="",
                   help=_("keep those whose name, organisation, e-mail or badge code has words "
                          "beginning with each word of TEXT (any case, any script)"))
    p.add_argument("--status", action="append", choices=[s.value for s in Status], metavar="S",
                   help=_status_help(s.value for s in Status))
    p.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                   help=_("the language of names and organisations (default: en; a missing translation "
                          "falls back)"))
    p.set_defaults(func=cmd_attendees)


def _status_help(values: Iterable[str]) -> str:
    # Translators: {values} are the option's values, which stay as they are ("registered, confirmed, …").
    return _("keep only this status (repeat for several): {values}").format(values=", ".join(values))


def cmd_attendees(args: argparse.Namespace, out: TextIO) -> int:
    from db.enums import Status
    from desktop.core.collation import ensure_sort_keys
    from desktop.core.registrations import RegistrationFilter, event_zone_of, iter_registrations

    flt = RegistrationFilter(search=args.search, statuses=frozenset(Status(s) for s in args.status or ()))
    database = open_database(args)
    try:
        ensure_sort_keys(database)  # the list is sorted by them
        with database.read() as session:
            event_id = chosen_event_id(args, session)
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


def _export_attendees_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from db.enums import Sector, Status
    from desktop.core.attendee_columns import COLUMNS, DEFAULT_COLUMNS

    p = sub.add_parser(
        "export-attendees", help=_("write the attendee list to an Excel (.xlsx) or CSV file"),
        description=_("Write the event's attendee list to FILE.xlsx (with a second sheet of "
                      "participation figures) or FILE.csv (UTF-8; ';' for --lang ru/kk, ',' for en). "
                      "Nothing is written when the command fails or is interrupted."))
    db_option(p)
    event_option(p)
    p.add_argument("--columns", metavar="A,B,…", default=",".join(DEFAULT_COLUMNS),
                   # Translators: {default} and {columns} are the columns' names, which stay as they are.
                   help=_("the columns, in order (default: {default}); any of: {columns}").format(
                       default=",".join(DEFAULT_COLUMNS), columns=", ".join(COLUMNS)))
    p.add_argument("--status", action="append", choices=[s.value for s in Status], metavar="STATUS",
                   help=_status_help(s.value for s in Status))
    p.add_argument("--sector", action="append", choices=[s.value for s in Sector] + ["none"], metavar="SECTOR",
                   # Translators: {values} are the option's values, which stay as they are ("state, …").
                   help=_("keep only this sector (repeat for several; 'none' = no organisation): {values}")
                   .format(values=", ".join(s.value for s in Sector)))
    p.add_argument("--checked-in", choices=("yes", "no"),
                   help=_("keep only the people checked in (yes) or those not (no)"))
    p.add_argument("--lang", choices=("en", "ru", "kk"), default="en",
                   help=_("the language of the headers, names and labels (default: en)"))
    p.add_argument("--delimiter", choices=("comma", "semicolon", "tab"),
                   help=_("the CSV separator (default: semicolon for ru and kk, comma for en)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=_("FILE.xlsx or FILE.csv"))
    p.set_defaults(func=cmd_export_attendees)


def cmd_export_attendees(args: argparse.Namespace, out: TextIO) -> int:
    from db.enums import Sector, Status
    from desktop.core import formats
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
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            result = export_attendees(
                database, args.output, event_id, columns, flt, args.lang,
                delimiter=DELIMITERS[args.delimiter] if args.delimiter else None,
            )
        except ExportError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(n_("{n} attendee written to {path}", "{n} attendees written to {path}", result.rows).format(
        n=formats.number(result.rows), path=result.path), file=out)
    return EXIT_OK


def _import_attendees_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # The fields are spelled out, not imported: building the parser must stay cheap
    # (tests/cli/test_import.py checks the list against desktop.core.importing.fields).
    p = sub.add_parser(
        "import-attendees", help=_("register the people of a spreadsheet (.xlsx, .xls, .ods, .csv, .txt)"),
        description=_("Register the people listed in FILE for the event: the header row is found "
                      "below any titles, columns are recognised by their English, Russian or Kazakh "
                      "headers, people already registered (same e-mail, or same name and organisation) "
                      "are reported as duplicates and not added, rows without a name or with an invalid "
                      "e-mail are skipped. Prints the counts and every duplicate or skipped row. All or "
                      "nothing: a failed import changes nothing."))
    db_option(p)
    p.add_argument("file", metavar="FILE", help=_("the list: .xlsx, .xls, .ods, .csv or .txt"))
    event_option(p)
    p.add_argument("--dry-run", action="store_true", help=_("report what would happen, write nothing"))
    p.add_argument("--map", action="append", default=[], metavar="'Header=field'",
                   # Translators: {fields} are the fields' names, which stay as they are, and so does
                   # "ignore" (a value of the option).
                   help=_("say what a column holds, by its header or letter (repeat for several); "
                          "fields: {fields}, or ignore").format(fields=IMPORT_FIELDS))
    p.add_argument("--sheet", metavar="NAME",
                   help=_("the sheet to read (default: the first with a list of people)"))
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
        # Translators: {problem} ends with "say which column holds the names"; the option that
        # says it follows ("Header" is the column's header as the file writes it).
        raise DataError(_("{where}: {problem} with --map 'Header=full_name'.").format(
            where=exc.where, problem=exc.problem)) from None
    except ImportFileError as exc:
        raise DataError(str(exc)) from None
    except MappingError as exc:
        raise UsageError(str(exc)) from None
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            report = import_attendees(database, table, event_id, layout=layout, dry_run=args.dry_run)
        except (EventMissing, ImportFileError) as exc:
            # A file is read as it is imported: one found unreadable halfway was rolled back.
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(report.details(), file=out)
    print(report.summary(), file=out)
    for line in report.problem_lines():
        print(line, file=out)
    if report.dry_run:
        print(_("Dry run: nothing was written."), file=out)
    return EXIT_OK
