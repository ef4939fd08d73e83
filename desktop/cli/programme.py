"""Commands of the ``conference-desk`` line for the agenda: the printed programme
(``export-program``) and the calendar file (``export-ical``). Both are the same calls as
File → Print Programme… and File → Export Calendar… in the window; nothing is written
when a command fails.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    UsageError,
    check_suffix,
    chosen_event_id,
    db_option,
    event_option,
    open_database,
)
from desktop.core.language import _, n_


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "export-program", aliases=["export-programme"], help=_("write the printed programme to a PDF"),
        description=_("Write the event's programme to FILE.pdf: the heading with title, dates, venue, "
                      "organisers and funders (with their logos), then per day each session with its "
                      "times, title and moderators and its items with their speakers; 'Page N of M' and "
                      "the programme's version on every page. In one language, or two side by side."))
    db_option(p)
    event_option(p)
    p.add_argument("--lang", default="en", metavar="LANG",
                   help=_("the programme's language: en, ru or kk, or two side by side: en+ru, ru+en, "
                          "kk+ru, ru+kk, en+kk, kk+en (default: en; a missing translation falls back "
                          "to another language)"))
    p.add_argument("--paper", default="a4", type=str.lower, choices=("a4", "letter"),
                   help=_("the paper size (default: a4)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("the PDF to write"))
    p.set_defaults(func=cmd_export_program)

    p = sub.add_parser(
        "export-ical", help=_("write the agenda as a calendar file (.ics)"),
        description=_("Write one calendar entry per agenda item to FILE.ics (iCalendar, times in UTC): "
                      "title, room and venue, session, and speakers with their position and "
                      "organisation. Importing a newer file updates the entries rather than doubling "
                      "them."))
    db_option(p)
    event_option(p)
    p.add_argument("--lang", default="en", metavar="LANG",
                   help=_("the entries' language: en, ru or kk (default: en; a second one after '+' "
                          "adds its titles to the descriptions)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics",
                   help=_("the calendar file to write"))
    p.set_defaults(func=cmd_export_ical)


def _check_lang(value: str) -> None:
    from desktop.exports.programme import parse_languages

    try:
        parse_languages(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_export_program(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core import formats
    from desktop.exports.attendees import ExportError
    from desktop.exports.programme import export_programme

    # Usage is checked before the database is opened: a usage error touches nothing.
    _check_lang(args.lang)
    check_suffix(args.output, ".pdf")
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            result = export_programme(database, args.output, event_id, args.lang, args.paper)
        except ExportError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(n_("Programme written to {path} ({n} page)", "Programme written to {path} ({n} pages)",
             result.pages).format(path=args.output, n=formats.number(result.pages)), file=out)
    return EXIT_OK


def cmd_export_ical(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core import formats
    from desktop.exports.attendees import ExportError
    from desktop.exports.ical import export_ical

    _check_lang(args.lang)
    check_suffix(args.output, ".ics")
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            count = export_ical(database, args.output, event_id, args.lang)
        except ExportError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(n_("Calendar written to {path} ({n} entry)", "Calendar written to {path} ({n} entries)",
             count).format(path=args.output, n=formats.number(count)), file=out)
    return EXIT_OK
