"""Writing a file so that it appears complete or not at all.

:func:`atomic_file` gives a new, empty temporary file in the target's folder to write to
(so the final move is a rename on one disk, never a copy). When the block ends normally
the file is flushed to disk and renamed over the target; when it raises — a failure, a
cancel, Ctrl+C — the temporary file is removed and the target stays as it was.

Every export (PDF pages, attendee lists, the programme, calendars, desk files) writes
through it. It knows nothing of what is written: the caller's own error class carries
the one-sentence messages (in the interface language, as core's errors begin: in lower
case, made a sentence by ``desktop.core.errors.error_sentence``), so each face (CLI,
dialog) shows them as it always has.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.errors import reason
from desktop.core.language import _


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _new_temp_beside(target: Path, error: Callable[[str], BaseException]) -> Path:
    """A new empty file in ``target``'s folder, made with the permissions a normal new
    file gets (``O_EXCL``: never one that someone else made)."""
    for _attempt in range(100):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            # Translators: {folder} is a folder; {reason} says why ("permission denied").
            raise error(_("cannot write in {folder}: {reason}.").format(folder=target.parent,
                                                                        reason=reason(exc))) from None
        os.close(fd)
        return candidate
    raise error(_("cannot make a temporary file in {folder}.").format(folder=target.parent))  # pragma: no cover


def _refuse_what_is_not_a_file(target: Path, error: Callable[[str], BaseException]) -> None:
    """A target that exists but is not a regular file (a folder, /dev/null, a pipe) is never
    renamed over: the rename would replace the device or fail half-way."""
    if (target.exists() or target.is_symlink()) and not target.is_file():
        # Translators: {path} is what the user named as the file to write.
        raise error(_("{path} is not a file (it is a folder or a device); choose a file name.").format(path=target))


def _move_into_place(tmp: Path, target: Path, replace: bool) -> None:
    """Rename ``tmp`` to ``target``; without ``replace``, refuse a target that exists
    (a hard link fails when the name is taken; a file system without hard links falls
    back to checking first)."""
    if replace:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
        return
    _unlink_quietly(tmp)


@contextmanager
def atomic_file(
    path: str | os.PathLike[str],
    *,
    error: Callable[[str], BaseException] = OSError,
    exists_error: Callable[[str], BaseException] | None = None,
    replace: bool = True,
    open_in: str | None = None,
    discard: Callable[[Path], None] = _unlink_quietly,
) -> Iterator[Path]:
    """Yield a temporary file name beside ``path``; when the block ends normally, fsync it
    and rename it over ``path``; when anything raises, call ``discard`` on it and re-raise.

    ``error`` makes the exception for a file that cannot be made or moved (a one-sentence
    message naming the file); ``open_in`` names the program that may hold the target open
    when the rename is refused (Windows): a name such as "Excel", else "another program".
    With ``replace=False`` an existing target is left alone and ``exists_error`` (default
    ``error``) is raised. ``discard`` removes the temporary
    file and anything the writer left beside it (a SQLite journal, say).
    """
    target = Path(path)
    _refuse_what_is_not_a_file(target, error)
    tmp = _new_temp_beside(target, error)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _refuse_what_is_not_a_file(target, error)
        try:
            _move_into_place(tmp, target, replace)
        except FileExistsError:
            raise (exists_error or error)(_("{path} already exists; choose another name.").format(
                path=target)) from None
        except PermissionError:
            if open_in is None:
                message = _("cannot replace {path}: it may be open in another program; close it and try again.")
            else:
                # Translators: {program} is the name of a program ("Excel").
                message = _("cannot replace {path}: it may be open in {program}; close it and try again.")
            raise error(message.format(path=target, program=open_in)) from None
        except OSError as exc:
            raise error(_("cannot write {path}: {reason}.").format(path=target, reason=reason(exc))) from None
    except BaseException:
        discard(tmp)
        raise


__all__ = ["atomic_file"]
