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

A bare file instead of a command opens the window on it (what a file manager's "Open with"
does): ``conference-desk FILE.deskdb`` (or .sqlite, .sqlite3, .db, or any existing file, which
the database layer then accepts or refuses) opens that database; ``conference-desk FILE.xlsx``
(.xls, .ods, .csv) opens the usual database and starts the import wizard on the file. A
command's name always wins; a word that is neither a command nor a file path stays
argparse's "invalid choice" (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

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

DATABASE_SUFFIXES = (".deskdb", ".sqlite", ".sqlite3", ".db")
"""A bare file with one of these opens the window on it (another existing file is tried as one too)."""
LIST_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")
"""A bare file with one of these is imported: the window opens and its import wizard starts on it."""
VALUE_OPTIONS = ("--db", "--author", "--ui-language")
"""The main parser's options that take a value (skipped when looking for a bare file)."""


class _ShowVersion(Exception):
    """``--version`` was given: ``_run`` prints the version and its build, and succeeds."""


class _VersionAction(argparse.Action):
    """``--version``: the version, and the build's date and commit (git is asked only now)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        raise _ShowVersion


def version_text() -> str:
    """What ``--version`` prints: the program and its version, then where it came from."""
    from desktop import __version__, build_sentence

    return f"{PROG} {__version__}\n{build_sentence()}\n"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=_("Conference Desk: agenda, speakers, registrations, printing and check-in "
                      "for conferences and round tables. Without a command, opens the window."),
    )
    parser.add_argument("--version", action=_VersionAction,
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
            arguments, file = split_file(arguments, command_names(parser))
            args = parser.parse_args(arguments)
        if file is not None:
            _open_file(args, file)
        func: Callable[[argparse.Namespace, TextIO], int] = getattr(args, "func", cmd_gui)
        if getattr(args, "author", None):
            from desktop.core.authors import set_author

            set_author(args.author)  # the history's name for this command's edits
        return func(args, out)
    except _ShowVersion:
        out.write(version_text())
        return EXIT_OK
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


def command_names(parser: argparse.ArgumentParser) -> frozenset[str]:
    """The commands (and their aliases) ``parser`` offers."""
    return frozenset(name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
                     for name in action.choices)


def split_file(arguments: list[str], commands: frozenset[str]) -> tuple[list[str], Path | None]:
    """``arguments`` without the bare file to open, and that file — when the first word that
    is no option (nor an option's value) is not a command but a file: an existing path, or a
    name ending in a suffix of ``DATABASE_SUFFIXES`` or ``LIST_SUFFIXES``. Otherwise
    ``arguments`` unchanged and None (argparse then says what is wrong with the word)."""
    i = 0
    while i < len(arguments):
        token = arguments[i]
        if token == "--":
            if i + 1 < len(arguments) and arguments[i + 1] not in commands and _is_file(arguments[i + 1]):
                return arguments[:i] + arguments[i + 2:], Path(arguments[i + 1])
            break
        if token.startswith("-") and token != "-":
            name, equals, _value = token.partition("=")
            takes_value = name.startswith("--") and len(name) >= 4 and any(o.startswith(name) for o in VALUE_OPTIONS)
            i += 2 if takes_value and not equals else 1
            continue
        if token in commands or not _is_file(token):
            break
        return arguments[:i] + arguments[i + 1:], Path(token)
    return arguments, None


def _is_file(word: str) -> bool:
    return word.lower().endswith(DATABASE_SUFFIXES + LIST_SUFFIXES) or os.path.exists(word)


def _open_file(args: argparse.Namespace, file: Path) -> None:
    """Make ``args`` open the window on ``file`` (a database), or import it (a list)."""
    if getattr(args, "command", None) is not None:
        raise UsageError(_("a file to open ({path}) and a command cannot be given together").format(path=file))
    if not file.exists():
        raise DataError(_("cannot open {path}: there is no such file.").format(path=file))
    if file.is_dir():
        raise DataError(_("cannot open {path}: it is a folder, not a database or a list of attendees.").format(
            path=file))
    if file.suffix.lower() in LIST_SUFFIXES:
        args.import_file = file
        return
    if args.db:
        raise UsageError(_("give the database either with --db or as a file to open, not both"))
    args.db = str(file)


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
