"""The ``conference-desk`` command: the GUI by default, headless commands over the same core.

The parser and the registry of command modules are here; what the commands share (exit
codes, errors, ``--db``/``--event``, opening the database) is in ``desktop.cli.common``,
which imports nothing back; each group of commands is a module that adds its parsers
(``add_parsers``) and imports its heavy code only when run. Qt, ReportLab and openpyxl
are loaded only by the commands that need them.

Exit status: 0 on success, 1 on a data error (one line on stderr naming what is wrong),
2 on a usage error. A failed command changes nothing.

The messages speak the interface language (``--ui-language``, anywhere on the line, else
``CONFERENCE_DESK_UI_LANGUAGE``, else the system's), chosen before anything is parsed or
printed; the tab-separated data stays English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from desktop.cli import attendees, certificates, desk, deskfile, events, history, printing, programme, report
from desktop.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    DataError,
    Parser,
    UsageError,
    argparse_speaks,
    author_option,
    db_option,
    ui_language_in,
    ui_language_option,
)
from desktop.cli.gui import cmd_gui
from desktop.core.language import _, choose_interface_language, speaking

COMMAND_MODULES = (events, attendees, programme, desk, deskfile, printing, certificates, report, history)
"""The modules whose commands the parser offers, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    from desktop import __version__

    parser = Parser(
        prog=PROG,
        description=_("Conference Desk: agenda, speakers, registrations, printing and check-in "
                      "for conferences and round tables. Without a command, opens the window."),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help=_("show the program's version and exit"))
    db_option(parser, None)
    author_option(parser, None)
    ui_language_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.add_parsers(sub)
    for command in {id(p): p for p in sub.choices.values()}.values():  # an alias names the same parser
        ui_language_option(command)
        author_option(command)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (also when called from tests)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    with speaking(choose_interface_language(ui_language_in(arguments), os.environ)):
        return _run(arguments, out or sys.stdout, err or sys.stderr)


def _error(message: object) -> str:
    return _("{prog}: error: {message}").format(prog=PROG, message=message)


def _run(arguments: list[str], out: TextIO, err: TextIO) -> int:
    try:
        with argparse_speaks():
            parser = build_parser()
            args = parser.parse_args(arguments)
        func: Callable[[argparse.Namespace, TextIO], int] = getattr(args, "func", cmd_gui)
        if getattr(args, "author", None):
            from desktop.core.authors import set_author

            set_author(args.author)  # the history's name for this command's edits
        return func(args, out)
    except UsageError as exc:
        print(_error(exc), file=err)
        return EXIT_USAGE
    except DataError as exc:
        print(_error(exc), file=err)
        return EXIT_DATA
    except KeyboardInterrupt:
        print(_("{prog}: interrupted; nothing was changed by the unfinished command.").format(prog=PROG), file=err)
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
        return _unexpected(exc, err)


def _unexpected(exc: Exception, err: TextIO) -> int:
    """One line for an error no command expected. A database's own text (its SQL and the
    values it was given: people's names and e-mails) is never shown: error_sentence tells
    what happened (busy, full, read-only, a rule of the data) in the interface language."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import DatabaseError
    from desktop.core.errors import error_sentence
    from desktop.core.events import EventNotFound

    if isinstance(exc, EventNotFound):  # core's own sentence, in the interface language
        print(_error(exc), file=err)
        return EXIT_DATA
    if isinstance(exc, DatabaseError | SQLAlchemyError):
        print(_error(error_sentence(exc)), file=err)
        return EXIT_DATA
    print(_error(_("unexpected {kind}: {detail} (set CONFERENCE_DESK_DEBUG=1 for details)").format(
        kind=type(exc).__name__, detail=error_sentence(exc))), file=err)
    return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
