"""Commands of the registration desk: ``check-in CODE [--event ID] [--desk NAME]``.

The same core as desk mode (``desktop.core.desk.check_in``): the check-in is committed
before the line saying so is printed. Exit status 0 when the person is in (checked in now
or before), 1 when not (unknown code, cancelled or declined registration).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    UsageError,
    chosen_event_id,
    db_option,
    event_option,
    lang_option,
    open_database,
)
from desktop.core.language import _


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "check-in", help=_("check a person in by their badge code"),
        description=_("Check in the person whose badge code is CODE (as printed or scanned; case, "
                      "spaces and dashes do not matter). Prints who was checked in, or when and at "
                      "which desk they were checked in before (exit status 0); an unknown code or a "
                      "cancelled registration is one line on stderr (exit status 1)."))
    db_option(p)
    p.add_argument("code", metavar="CODE", help=_("the badge code"))
    event_option(p)
    p.add_argument("--desk", metavar="NAME", default=None,
                   help=_("the desk's name, recorded with the check-in (default: this computer's name)"))
    lang_option(p, _("the language of names and organisations (default: en; a missing translation falls "
                     "back)"))
    p.set_defaults(func=cmd_check_in)


def cmd_check_in(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.desk import CheckInState, DeskError, check_in, clean_desk_name, default_desk_name

    try:
        desk = clean_desk_name(args.desk if args.desk is not None else default_desk_name())
    except DeskError as exc:
        raise UsageError(str(exc)) from None
    if not args.code.strip():
        raise UsageError(_("CODE is empty: give the badge code to check in"))
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        result = check_in(database, event_id, args.code, desk, lang=args.lang)
    finally:
        database.close()
    if result.state in (CheckInState.NOT_REGISTERED, CheckInState.CANCELLED):
        raise DataError(result.message)
    print(result.message, file=out, flush=True)
    return EXIT_OK
