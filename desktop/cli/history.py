"""The ``history`` command (issue 15): what was changed in an event, by whom and when —
the same history as the window's History views and its File → Export History…, newest
first. Without ``--output`` it prints tab-separated lines (a header row first; the time
in UTC, ISO 8601); with it, writes an Excel (.xlsx) or CSV file. Nothing is changed.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    check_suffix,
    chosen_event_id,
    db_option,
    event_option,
    lang_option,
    open_database,
)
from desktop.core.language import _, n_

HEADER = ("when_utc", "author", "what", "which", "change", "from", "to")
"""The printed lines' columns (English, for the programs that read them)."""


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's command to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "history", help=_("list what was changed in the event, by whom and when"),
        description=_("List every change to the event, its agenda, rooms, partners and registrations and "
                      "to the people registered or on stage — when, who, what, from what to what — newest "
                      "first: tab-separated lines, or FILE.xlsx / FILE.csv with --output."))
    db_option(p)
    event_option(p)
    lang_option(p, _("the language of the field names and values (default: en)"))
    p.add_argument("-o", "--output", metavar="FILE", help=_("FILE.xlsx or FILE.csv"))
    p.set_defaults(func=cmd_history)


def _cell(value: str) -> str:
    return " ".join(value.replace("\t", " ").split()) if value else ""


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.history import ExportError, export_history

    if args.output:
        check_suffix(args.output, ".xlsx", ".csv")
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
            if not args.output:
                from desktop.core.history import entries_in_pages, event_line_ids

                ids, notes = event_line_ids(session, event_id)
                print("\t".join(HEADER), file=out)
                for page in entries_in_pages(session, ids, args.lang):
                    for e in page:
                        when = e.at.replace(microsecond=0).isoformat()
                        print("\t".join((when, *(_cell(v) for v in (e.author, e.kind, e.subject, e.what,
                                                                     e.old, e.new)))), file=out)
                return int(EXIT_OK)
        try:
            result = export_history(database, args.output, event_id, args.lang)
        except ExportError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    # Translators: {n} changes written to {path} (the history's export).
    print(n_("{path}: {n} change written.", "{path}: {n} changes written.", result.rows).format(
        path=result.path, n=result.rows), file=out)
    return int(EXIT_OK)
