"""What every command of the ``conference-desk`` line shares: exit codes, the two errors a
command may raise, the ``--db`` and ``--event`` options, and opening the database.

This module imports nothing of ``desktop.cli`` (the command modules import it, and
``desktop.cli`` imports them), so the package has no import circle. Core and db are
imported inside the functions: building the parser must stay cheap.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as OrmSession

    from db.engine import Database

PROG = "conference-desk"
ENV_DB = "CONFERENCE_DESK_DB"
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
LANG_CHOICES = ("en", "ru", "kk")


class UsageError(Exception):
    """A mistake in the command line (exit status 2)."""


class DataError(Exception):
    """The command could not be done with this data (exit status 1)."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


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
        help=f"a SQLite file or a postgresql+psycopg:// URL (default: ${ENV_DB}, "
        "else the file in your data folder)",
    )


def event_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", type=int, metavar="ID",
                        help="the event's id (see 'events'); may be left out when there is one event")


def lang_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--lang en|ru|kk`` (default en) for the language of ``what``."""
    parser.add_argument("--lang", choices=LANG_CHOICES, default="en",
                        help=f"language of {what} (default: en; a missing translation falls back)")


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
    (the first start of the window).
    """
    from db.engine import DatabaseError
    from db.engine import open_database as open_target

    target = args.db or os.environ.get(ENV_DB) or None
    is_default = target is None
    if target is None:
        path = default_database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(f"cannot create the data folder {path.parent}: {exc.strerror}.") from None
        target = str(path)
    try:
        database = open_target(target)
    except DatabaseError as exc:
        raise DataError(str(exc)) from None
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
        raise UsageError(f"the output file must end in {' or '.join(suffixes)} (got '{path}')")
