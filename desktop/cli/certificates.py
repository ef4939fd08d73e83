"""``verify-certificate NUMBER``: whose a printed certificate is, and for which event.

The number is the one printed on the certificate ("7-0012"; typed as a person may: "№ 7-12",
"No. 7 – 0012"). The answer is in the interface language: the name as its lists write it,
the event's title and days, the day the number was given. An unknown number is a data error
(exit status 1, one sentence).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import EXIT_OK, DataError, db_option, open_database
from desktop.core.language import _


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "verify-certificate", help=_("say whose a certificate is, by its number"),
        description=_("Say whose the certificate with this number is and for which event: the number "
                      "printed under the certificate's heading, such as 7-0012."))
    p.add_argument("number", metavar="NUMBER", help=_("the certificate's number, such as 7-0012"))
    db_option(p)
    p.set_defaults(func=cmd_verify_certificate)


def cmd_verify_certificate(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core import formats
    from desktop.core.certificates import find_certificate
    from desktop.core.events import format_dates
    from desktop.core.i18n import listed_name, text
    from desktop.core.language import interface_language

    database = open_database(args)
    try:
        with database.read() as session:
            facts = find_certificate(session, args.number)
    finally:
        database.close()
    if facts is None:
        raise DataError(_("no certificate has the number {number}.").format(number=" ".join(args.number.split())))
    lang = interface_language()
    name = listed_name(facts.given, facts.family, facts.patronymic, facts.display, lang)
    # Translators: the lines of verify-certificate's answer, each a label and a value.
    print(_("Certificate: {number}").format(number=facts.number), file=out)
    print(_("Name: {name}").format(name=name), file=out)
    print(_("Event: “{title}”, {dates}").format(title=text(facts.event_title, lang) or _("Untitled event"),
                                              dates=format_dates(facts.starts_on, facts.ends_on, lang)), file=out)
    print(_("Number given on: {date}").format(date=formats.date(facts.issued_at.date())), file=out)
    return EXIT_OK
