"""Commands of the ``conference-desk`` line about events: ``demo`` makes the demo round
table, ``events`` lists the events of the database.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import EXIT_OK, db_option, lang_option, open_database
from desktop.core.language import _


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser("demo", help=_("create the demo round table and print its id"),
                       description=_("Create the demo event (the Astana round table of 28 February "
                                     "2025, with 120 fictional registrations) and print its id."))
    db_option(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("events", help=_("list the events (id, dates, title)"),
                       # Translators: the header row's words stay English (the data is for programs).
                       description=_("List the events: tab-separated id, start date, end date, "
                                     "title and number of registrations, with a header row "
                                     "(id, starts_on, ends_on, title, registrations)."))
    db_option(p)
    lang_option(p, _("the language of the titles (default: en; a missing translation falls back)"))
    p.set_defaults(func=cmd_events)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.demo import create_demo

    database = open_database(args)
    try:
        event_id = create_demo(database)
    finally:
        database.close()
    print(event_id, file=out)
    return EXIT_OK


def cmd_events(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.events import list_events
    from desktop.core.i18n import text

    database = open_database(args)
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
