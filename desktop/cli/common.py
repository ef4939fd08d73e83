"""What every command of the ``conference-desk`` line shares: exit codes, the two errors a
command may raise, the ``--db``, ``--event`` and ``--ui-language`` options, opening the
database, and argparse's own words in the interface language.

This module imports nothing of ``desktop.cli`` (the command modules import it, and
``desktop.cli`` imports them), so the package has no import circle. Core and db are
imported inside the functions (building the parser must stay cheap), but for
``desktop.core.language``, which the messages need and which loads only ``gettext``.

The command line speaks the interface language (``--ui-language``, else
``CONFERENCE_DESK_UI_LANGUAGE``, else the system's): its errors, help and reports. The
tab-separated data it prints, header row included, stays English for the programs that
read it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop.core.language import ENV_LANGUAGE, LANGUAGES, NP_, _, known_language, np_, p_

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from db.engine import Database

PROG = "conference-desk"
ENV_DB = "CONFERENCE_DESK_DB"
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
LANG_CHOICES = ("en", "ru", "kk")
READ_ONLY_COMMANDS = frozenset({
    "events", "attendees", "export-attendees", "export-program", "export-programme", "export-ical",
    "desk-export", "export-badges", "export-name-cards", "export-sign-in-sheet", "export-certificates",
    "verify-certificate", "export-report", "history",
})
"""The commands that only read the database: they open a file that cannot be written for
reading only, leaving nothing beside it, and refuse a missing or empty file rather than
make it a database (``db.engine.open_database(read_only=True)``)."""
UI_LANGUAGE = "--ui-language"


class UsageError(Exception):
    """A mistake in the command line (exit status 2)."""


class DataError(Exception):
    """The command could not be done with this data (exit status 1)."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(_("{message} (see '{prog} --help')").format(message=message, prog=self.prog))


# argparse's own messages that a user of ours may meet (Python 3.11–3.13 words them so),
# kept here so that the catalogs hold them; argparse asks for them through ``_`` and
# ``ngettext`` of its module, which ``argparse_speaks`` routes to our catalog.
ARGPARSE = "argparse"
ARGPARSE_MESSAGES = (
    NP_("argparse", "usage: "),
    NP_("argparse", "positional arguments"),
    NP_("argparse", "options"),
    NP_("argparse", "show this help message and exit"),
    NP_("argparse", "the following arguments are required: %s"),
    NP_("argparse", "unrecognized arguments: %s"),
    NP_("argparse", "argument %(argument_name)s: %(message)s"),
    NP_("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    NP_("argparse", "invalid %(type)s value: %(value)r"),
    NP_("argparse", "expected one argument"),
    NP_("argparse", "expected at most one argument"),
    NP_("argparse", "expected at least one argument"),
    NP_("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    NP_("argparse", "one of the arguments %s is required"),
    NP_("argparse", "not allowed with argument %s"),
    NP_("argparse", "ignored explicit argument %r"),
)


def _argparse_gettext(message: str) -> str:
    return p_(ARGPARSE, message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    # argparse's counted messages ("expected %s arguments", for nargs=N) do not arise with
    # our options, so the catalog does not hold them: English, unless it ever does.
    return np_(ARGPARSE, singular, plural, n)


@contextlib.contextmanager
def argparse_speaks() -> Iterator[None]:
    """While the parser is built and parses: argparse's own words ("usage:", "options",
    "unrecognized arguments: …") in the interface language. argparse looks them up through
    the ``_`` and ``ngettext`` it took from ``gettext`` when imported (the process's global
    gettext domain, which is not ours); they are pointed at our catalog for the while and
    put back after."""
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    setattr(argparse, "_", _argparse_gettext)  # noqa: B010 (the module's private name)
    setattr(argparse, "ngettext", _argparse_ngettext)  # noqa: B010
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)


def ui_language_option(parser: argparse.ArgumentParser, default: str | None = argparse.SUPPRESS) -> None:
    """``--ui-language en|ru|kk``: on the main parser with a default of None, on each command
    suppressed (so that it may be given before or after the command's name, as ``--db``)."""
    parser.add_argument(
        UI_LANGUAGE, choices=LANGUAGES, default=default, metavar="en|ru|kk",
        help=_("the language of the window and of the messages (default: ${env}, else the "
               "window's last choice, else the system's)").format(env=ENV_LANGUAGE))


def ui_language_in(argv: Sequence[str]) -> str | None:
    """The ``--ui-language`` of a command line before it is parsed (so that the parser's
    own messages speak it); None when it gives none of ours. Like argparse, the last one
    counts, and a shortened ``--ui-lang`` is the same option."""
    found: str | None = None
    tokens = list(argv)
    for i, token in enumerate(tokens):
        if token == "--":
            break
        name, equals, value = token.partition("=")
        if len(name) < 4 or not UI_LANGUAGE.startswith(name):
            continue
        if not equals:
            value = tokens[i + 1] if i + 1 < len(tokens) else ""
        found = known_language(value) or found
    return found


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``CONFERENCE_DESK_DB`` is given."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("conference-desk", appauthor=False)) / "conference-desk.sqlite"


def db_option(parser: argparse.ArgumentParser, default: str | None = argparse.SUPPRESS) -> None:
    """``--db``: on the main parser with a default of None, on each command suppressed (so
    that it may be given before or after the command's name)."""
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help=_("a SQLite file or a postgresql+psycopg:// URL (default: ${env}, else the file in "
               "your data folder)").format(env=ENV_DB),
    )


def author_option(parser: argparse.ArgumentParser, default: str | None = argparse.SUPPRESS) -> None:
    """``--author NAME``: who the history names for the command's edits (default: the
    computer's user name); on the main parser and on each command, like ``--db``."""
    parser.add_argument("--author", metavar="NAME", default=default,
                        help=_("your name in the history of changes (default: the computer's user name)"))


def event_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", type=int, metavar="ID",
                        help=_("the event's id (see 'events'); may be left out when there is one event"))


def lang_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--lang en|ru|kk`` (default en), the language of what the command prints; ``help_text``
    says of what (a whole sentence, so that it can be translated)."""
    parser.add_argument("--lang", choices=LANG_CHOICES, default="en", help=help_text)


def chosen_event_id(args: argparse.Namespace, session: OrmSession) -> int:
    """The id of the event the user means (``--event``, or the only one); else a DataError."""
    from desktop.core.events import EventNotFound, resolve_event

    try:
        return resolve_event(session, getattr(args, "event", None)).id
    except EventNotFound as exc:
        raise DataError(str(exc)) from None


def open_database(args: argparse.Namespace, *, create_demo_if_new: bool = False) -> Database:
    """Open the database the user means (``--db``, the environment, or the default file).

    On the default file, ``create_demo_if_new`` makes the demo event when it holds no event
    (the first start of the window). A command of ``READ_ONLY_COMMANDS`` opens it for
    reading.
    """
    from db.engine import DatabaseError
    from db.engine import open_database as open_target
    from desktop.core.errors import database_sentence

    target = args.db or os.environ.get(ENV_DB) or None
    is_default = target is None
    if target is None:
        path = default_database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from desktop.core.errors import reason

            raise DataError(_("cannot create the data folder {folder}: {reason}.").format(
                folder=path.parent, reason=reason(exc))) from None
        target = str(path)
    try:
        database = open_target(target, read_only=getattr(args, "command", None) in READ_ONLY_COMMANDS)
    except DatabaseError as exc:
        raise DataError(database_sentence(exc)) from None
    if is_default and create_demo_if_new:
        _ensure_first_start_demo(database)
    return database


def _ensure_first_start_demo(database: Database) -> None:
    """The first start on an empty default database creates the demo event."""
    from sqlalchemy import func, select

    from db.models import Event
    from desktop.core.demo import create_demo

    with database.read() as session:
        empty = not session.scalar(select(func.count()).select_from(Event))
    if empty:
        create_demo(database)


def check_suffix(path: str, *suffixes: str) -> None:
    """A UsageError unless ``path`` ends in one of ``suffixes`` (any case)."""
    if Path(path).suffix.lower() not in suffixes:
        raise UsageError(_("the output file must end in {suffixes} (got '{path}')").format(
            suffixes=" / ".join(suffixes), path=path))
