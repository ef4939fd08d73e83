"""One sentence for a person out of an exception: the one place the window, its dialogs and
the command line turn an error into words, in the interface language.

Core's own errors already carry a sentence for a person (their first line is used). A
database error never shows its SQL, its parameters (people's names and e-mails) or a
traceback: it is told by what happened (busy, full, read-only, a rule of the data). The
database layer (``db``, which imports nothing of ``desktop``) raises ``DatabaseError`` with
the English template of its sentence and the values to fill in; it is said here with the
template translated (``database_sentence``); so is a driver's error of an open database,
which names it (``db.engine.named_database_error``: "there is no space left on the disk
holding …", "… is locked by another program", "… is damaged"). A system error (``OSError``) is told by its
``errno`` in words of the interface language (``reason``), not by the C library's English.
"""

from __future__ import annotations

import errno
import re

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from db.engine import DatabaseError, named_database_error
from desktop.core.language import N_, _

_DATABASE_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"database is locked|could not obtain lock|lock timeout|deadlock", re.I),
     N_("The database is busy with another desk's work; try again in a moment.")),
    (re.compile(r"disk (is )?full|no space left|could not extend file", re.I),
     N_("The disk is full: nothing was saved. Free some space and try again.")),
    (re.compile(r"readonly|read-only|read only|permission denied", re.I),
     N_("The database cannot be written (it is read-only here): nothing was saved.")),
    (re.compile(r"unique|duplicate key", re.I),
     N_("A record with the same identity exists already: nothing was saved.")),
    (re.compile(r"foreign key|violates foreign", re.I),
     N_("Other records still depend on this one, or it depends on one that is gone: nothing was saved.")),
    (re.compile(r"connection|server closed|could not connect|timeout|terminat", re.I),
     N_("The database server does not answer: nothing was saved. Check the network and try again.")),
    (re.compile(r"malformed|not a database|corrupt", re.I),
     N_("The database file is damaged or is not a Conference Desk database.")),
)
_DATABASE_FALLBACK = N_("The database refused the change: nothing was saved.")

# Translators (the reasons of system errors): they end a sentence such as "cannot write
# /home/…/badges.pdf: {reason}.", so they begin in lower case and have no full stop.
_OS_REASONS: dict[int, str] = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("the system does not allow it"),
    errno.ENOENT: N_("there is no such file or folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.EEXIST: N_("a file of that name exists already"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EBUSY: N_("the file is in use"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EIO: N_("the disk could not be read or written"),
    errno.EMFILE: N_("too many files are open"),
    errno.EXDEV: N_("the file cannot be moved to another disk"),
}
if hasattr(errno, "EDQUOT"):  # not on every system
    _OS_REASONS[errno.EDQUOT] = N_("the disk quota is used up")


def reason(exc: BaseException | int | None) -> str:
    """Why a system error happened, a few words in the interface language ("permission
    denied"), from its ``errno`` (an ``OSError`` or the number); else the system's own words."""
    code = exc if isinstance(exc, int) else getattr(exc, "errno", None)
    if isinstance(code, int) and code in _OS_REASONS:
        return _(_OS_REASONS[code])
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return str(exc or "")


def database_sentence(exc: DatabaseError) -> str:
    """The database layer's sentence in the interface language (as the layer wrote it: the
    command line prints it after "error: ")."""
    code = exc.params.get("errno")
    if isinstance(code, int) and code in _OS_REASONS:
        return exc.said(_, reason=reason(code))
    return exc.said(_)


# A sentence that begins with a path, a file's name, an address or a URL keeps it as given.
_AS_GIVEN = re.compile(r"^\S*[./\\:@_]\S")


def _capitalised(message: str) -> str:
    message = " ".join(message.split())
    if _AS_GIVEN.match(message):
        return message
    return message[:1].upper() + message[1:]


def sentence(message: str) -> str:
    """A message as a sentence: spaces folded, the first letter a capital."""
    return _capitalised(message.strip())


def error_sentence(exc: BaseException) -> str:
    """One sentence for a person saying what went wrong (see the module's docstring)."""
    if isinstance(exc, DatabaseError):  # the database layer's sentences, in the interface language
        return _capitalised(database_sentence(exc))
    if isinstance(exc, SQLAlchemyError):
        named = named_database_error(exc)  # an open database's error: its file or server named
        if named is not None:
            return _capitalised(database_sentence(named))
        detail = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else type(exc).__name__
        for pattern, words in _DATABASE_SENTENCES:
            if pattern.search(detail):
                return _(words)
        return _(_DATABASE_FALLBACK)
    if isinstance(exc, OSError) and exc.errno is not None:  # the system's error, not one of ours
        if exc.filename is not None:
            # Translators: {path} is a file or folder; {reason} is "permission denied" or the like.
            return _capitalised(_("{path}: {reason}.").format(path=exc.filename, reason=reason(exc)))
        return _capitalised(reason(exc)) + "."
    text = str(exc).strip()
    if not text:
        return _capitalised(type(exc).__name__)
    return _capitalised(text.splitlines()[0])


__all__ = ["database_sentence", "error_sentence", "reason", "sentence"]
