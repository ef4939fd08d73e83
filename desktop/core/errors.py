"""One sentence for a person out of an exception: the one place the window, its dialogs and
the command line turn an error into words.

Core's own errors already carry a sentence for a person (their first line is used). A
database error never shows its SQL, its parameters (people's names and e-mails) or a
traceback: it is told by what happened (busy, full, read-only, a rule of the data).
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from db.engine import DatabaseError
from desktop.core.language import _

_DATABASE_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"database is locked|could not obtain lock|lock timeout|deadlock", re.I),
     "The database is busy with another desk's work; try again in a moment."),
    (re.compile(r"disk (is )?full|no space left|could not extend file", re.I),
     "The disk is full: nothing was saved. Free some space and try again."),
    (re.compile(r"readonly|read-only|read only|permission denied", re.I),
     "The database cannot be written (it is read-only here): nothing was saved."),
    (re.compile(r"unique|duplicate key", re.I),
     "A record with the same identity exists already: nothing was saved."),
    (re.compile(r"foreign key|violates foreign", re.I),
     "Other records still depend on this one, or it depends on one that is gone: nothing was saved."),
    (re.compile(r"connection|server closed|could not connect|timeout|terminat", re.I),
     "The database server does not answer: nothing was saved. Check the network and try again."),
    (re.compile(r"malformed|not a database|corrupt", re.I),
     "The database file is damaged or is not a Conference Desk database."),
)
_DATABASE_FALLBACK = "The database refused the change: nothing was saved."


def _capitalised(message: str) -> str:
    message = " ".join(message.split())
    return message[:1].upper() + message[1:]


def sentence(message: str) -> str:
    """A message as a sentence: spaces folded, the first letter a capital."""
    return _capitalised(message.strip())


def error_sentence(exc: BaseException) -> str:
    """One sentence for a person saying what went wrong (see the module's docstring)."""
    if isinstance(exc, DatabaseError):  # the database layer's sentences, in the interface language
        return _capitalised(exc.said(_))
    if isinstance(exc, SQLAlchemyError):
        detail = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else type(exc).__name__
        for pattern, words in _DATABASE_SENTENCES:
            if pattern.search(detail):
                return words
        return _DATABASE_FALLBACK
    text = str(exc).strip()
    if not text:
        return _capitalised(type(exc).__name__)
    return _capitalised(text.splitlines()[0])


__all__ = ["error_sentence", "sentence"]
