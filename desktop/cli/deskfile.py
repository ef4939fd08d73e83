"""Commands of the ``conference-desk`` line for desks that work offline: see add_parsers.

``desk-export FILE`` writes a desk file of the event (``desktop.core.desk_file``), which a
desk opens with ``conference-desk --db FILE``; ``desk-merge FILE`` brings its check-ins and
walk-ins back. Both are the calls the window's File menu makes.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    chosen_event_id,
    db_option,
    event_option,
    open_database,
)
from desktop.core.language import _


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "desk-export", help=_("write a desk file of the event, for a desk without network"),
        description=_("Write FILE: a Conference Desk database holding the event, its registrations, "
                      "the people in them and the check-ins so far, with the same identifiers as here. "
                      "A desk opens it with 'conference-desk --db FILE' and works offline; 'desk-merge "
                      "FILE' brings its check-ins and walk-ins back. An existing FILE is left alone "
                      "unless --force is given; nothing is left behind when the command fails."))
    db_option(p)
    p.add_argument("file", metavar="FILE", help=_("the desk file to write (for example lobby.deskdb)"))
    event_option(p)
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.set_defaults(func=cmd_desk_export)

    p = sub.add_parser(
        "desk-merge", help=_("bring a desk file's check-ins and walk-ins back"),
        description=_("Merge the desk file FILE into this database in one transaction: its new "
                      "check-ins, and the people it registered (a new person whose e-mail is already "
                      "in the roster is linked to that person). Merging the same file again changes "
                      "nothing. People checked in both at the desk and elsewhere are listed as "
                      "conflicts; both records are kept and they count once. The desk file itself is "
                      "not changed."))
    db_option(p)
    p.add_argument("file", metavar="FILE", help=_("the desk file written by desk-export"))
    p.add_argument("--event", type=int, metavar="ID",
                   help=_("the event the file must belong to (default: the file's own event)"))
    p.add_argument("--dry-run", action="store_true", help=_("report what would happen, write nothing"))
    p.set_defaults(func=cmd_desk_merge)


def cmd_desk_export(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.desk_file import DeskFileError, export_desk_file
    from desktop.core.errors import reason

    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            report = export_desk_file(database, args.file, event_id, overwrite=args.force)
        except DeskFileError as exc:
            raise DataError(str(exc)) from None
        except OSError as exc:
            # Translators: {reason} is the system's reason ("permission denied").
            raise DataError(_("{path} could not be written: {reason}.").format(
                path=args.file, reason=reason(exc) or type(exc).__name__)) from None
    finally:
        database.close()
    print(report.summary(), file=out)
    for line in report.lines():
        print(line, file=out)
    return EXIT_OK


def cmd_desk_merge(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.desk_file import DeskFileError, merge_desk_file, read_desk_file_info

    # The file is checked before the database is opened: a wrong file touches nothing.
    try:
        read_desk_file_info(args.file)
    except DeskFileError as exc:
        raise DataError(str(exc)) from None
    database = open_database(args)
    try:
        try:
            report = merge_desk_file(database, args.file, args.event, dry_run=args.dry_run)
        except DeskFileError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(report.summary(), file=out)
    for line in report.lines():
        print(line, file=out)
    if report.dry_run:
        print(_("Dry run: nothing was written."), file=out)
    return EXIT_OK
