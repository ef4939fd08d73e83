"""The ``export-report`` command: the participation report for the donors, as a PDF — the
same call (``desktop.exports.report.export_report``) as File → Print → Participation
Report… in the window. Nothing is written when it fails.
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
from desktop.core.language import _


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's command to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "export-report", help=_("write the participation report for the donors to a PDF"),
        description=_("Write the event's participation report to FILE.pdf: invited, registered, confirmed "
                      "and attended by sector, with women, men and not stated in each (tables and bar "
                      "charts); speakers and moderators by gender; organisations and countries "
                      "represented; the people checked in on each day. The event's organisers and "
                      "funders at the top, the date printed and 'Page N of M' on every page."))
    db_option(p)
    event_option(p)
    lang_option(p, _("the report's language (default: en; a missing translation of a title falls back "
                     "to another language)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("the PDF to write"))
    p.set_defaults(func=cmd_export_report)


def cmd_export_report(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.print_common import PrintError
    from desktop.exports.report import export_report

    check_suffix(args.output, ".pdf")
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        try:
            result = export_report(database, args.output, event_id, lang=args.lang)
        except PrintError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(result.summary(), file=out)
    return int(EXIT_OK)
