"""Commands of the ``conference-desk`` line for the printed pages: badges, name cards, the
sign-in sheet and certificates (see add_parsers). Each writes one PDF with
``desktop.exports`` — the same calls as File → Print in the window — and prints one line:
"N badges on M pages written to FILE". Nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop.cli.common import (
    EXIT_OK,
    LANG_CHOICES,
    DataError,
    check_suffix,
    chosen_event_id,
    db_option,
    event_option,
    open_database,
)
from desktop.core.language import _

LAYOUT_CHOICES = ("a4-8", "a4-10", "a6", "id1")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    def common(p: argparse.ArgumentParser, lang_help: str) -> None:
        db_option(p)
        event_option(p)
        p.add_argument("--lang", choices=LANG_CHOICES, default="en", help=lang_help)
        p.add_argument("--code", action="append", default=[], metavar="CODE",
                       help=_("print only the registration with this badge code (repeat for several)"))
        p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("the PDF to write"))

    p = sub.add_parser(
        "export-badges", help=_("write badges with QR codes to a PDF"),
        description=_("Write a badge for each registration of the event (all but cancelled and "
                      "declined, by family name) to FILE.pdf: A4 sheets of 8 (95 × 68 mm) or 10 "
                      "(90 × 54 mm) with crop marks, or one per page on A6 or ID-1 card stock. Each has "
                      "the name, position, organisation, a band coloured by category and a QR code of "
                      "the badge code."))
    common(p, _("the language of the category words, names and organisations (default: en; a missing "
                "translation falls back to another language)"))
    p.add_argument("--layout", choices=LAYOUT_CHOICES, default="a4-8",
                   help=_("a4-8 (default), a4-10, a6 or id1 (85.6 × 54 mm card)"))
    p.add_argument("--bleed", action="store_true",
                   help=_("run the coloured bands 3 mm past the cut lines of the A4 sheets, the crop marks "
                          "outside them (for a print shop's guillotine; the cards have no bleed)"))
    p.set_defaults(func=cmd_export_badges)

    p = sub.add_parser(
        "export-name-cards", help=_("write table tent cards to a PDF"),
        description=_("Write a table tent card for each registration (all but cancelled and declined) "
                      "to FILE.pdf: one A4 landscape page each, to fold along the middle; the name reads "
                      "from both sides."))
    common(p, _("the language of the cards, names and organisations (default: en; a missing translation "
                "falls back to another language)"))
    p.set_defaults(func=cmd_export_name_cards)

    p = sub.add_parser(
        "export-sign-in-sheet", help=_("write the attendance list with a signature column to a PDF"),
        description=_("Write the attendance list (all but cancelled and declined; by surname) to FILE.pdf, "
                      "with the event's title, date and venue on every page, a signature column and "
                      "'Page N of M'. With --checked-in, the list of participants instead: only those "
                      "checked in, with the time each arrived in place of the signature column."))
    common(p, _("the language of the headings, names and organisations (default: en; a missing "
                "translation falls back to another language)"))
    p.add_argument("--by-sector", action="store_true",
                   help=_("group the list by sector, with a heading each"))
    p.add_argument("--no-position", action="store_true",
                   help=_("leave out the Position column (a wider signature column)"))
    p.add_argument("--checked-in", action="store_true",
                   help=_("the list of participants after the event: only the people checked in, with the "
                          "time each arrived"))
    p.set_defaults(func=cmd_export_sign_in_sheet)

    p = sub.add_parser(
        "export-certificates", help=_("write certificates of attendance to a PDF"),
        description=_("Write a certificate of attendance to FILE.pdf for each person checked in (with "
                      "--all: each registration but cancelled and declined), one A4 landscape page each."))
    common(p, _("the language of the wording, names and organisations (default: en; a missing "
                "translation falls back to another language)"))
    p.add_argument("--all", action="store_true",
                   help=_("everyone registered, not only those checked in"))
    p.set_defaults(func=cmd_export_certificates)


def _run(args: argparse.Namespace, out: TextIO, export: Any, **options: Any) -> int:
    """Open the database, find the event and the codes, write the PDF, say what was written."""
    from desktop.exports.print_common import NothingToPrint, PrintError, registration_ids_for_codes

    check_suffix(args.output, ".pdf")
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
            try:
                ids = registration_ids_for_codes(session, event_id, args.code) if args.code else None
            except NothingToPrint as exc:
                raise DataError(str(exc)) from None
        try:
            result = export(database, args.output, event_id, registration_ids=ids, lang=args.lang, **options)
        except PrintError as exc:
            raise DataError(str(exc)) from None
    finally:
        database.close()
    print(result.summary(), file=out)
    return int(EXIT_OK)


def cmd_export_badges(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.badges import export_badges

    return _run(args, out, export_badges, layout=args.layout, bleed=args.bleed)


def cmd_export_name_cards(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.name_cards import export_name_cards

    return _run(args, out, export_name_cards)


def cmd_export_sign_in_sheet(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.sign_in import export_sign_in_sheet

    return _run(args, out, export_sign_in_sheet,
                group_by_sector=args.by_sector, with_position=not args.no_position,
                only_checked_in=args.checked_in and not args.code)


def cmd_export_certificates(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.exports.certificates import export_certificates

    return _run(args, out, export_certificates, only_checked_in=not args.all)
