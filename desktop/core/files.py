"""Writing a file so that it appears complete or not at all.

:func:`atomic_file` gives a new, empty temporary file in the target's folder to write to
(so the final move is a rename on one disk, never a copy). When the block ends normally
the file is flushed to disk and renamed over the target; when it raises — a failure, a
cancel, Ctrl+C — the temporary file is removed and the target stays as it was.

Every export (PDF pages, attendee lists, the programme, calendars, desk files) writes
through it. It knows nothing of what is written: the caller's own error class carries
the one-sentence messages (in the interface language, as core's errors begin: in lower
case, made a sentence by ``desktop.core.errors.error_sentence``), so each face (CLI,
dialog) shows them as it always has. A system error met while the block writes (a full
disk, a folder made read-only) is said by it too, naming the target, never the hidden
temporary file.

A process killed while writing leaves its hidden ``.NAME.xxxxxxxx.part`` file behind (and
whatever its writer made beside it: PDF parts, a SQLite journal). While a writer works it
holds a lock on its temporary file (``flock``; on a system without it, the file's age says
it is abandoned); the next export to the same name removes every such file whose lock is
free.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
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


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: an open file cannot be removed there anyway
    fcntl = None  # type: ignore[assignment]

ABANDONED_AFTER_S = 24 * 3600  # where there is no flock: a temporary file this old is abandoned


def _hold(fd: int) -> bool:
    """Take the lock that says "a writer is using this temporary file"; False when another
    holds it."""
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_abandoned(target: Path) -> None:
    """Remove the temporary files a killed writer of ``target`` left in its folder (the
    ``.NAME.xxxxxxxx.part`` file and what its writer made beside it), but not one whose
    writer is still at work (its lock is held)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.([0-9a-f]{{8}})\.part")
    groups: dict[str, list[Path]] = {}
    try:
        for entry in os.scandir(target.parent):
            match = pattern.match(entry.name)
            if match is not None:
                groups.setdefault(match.group(1), []).append(Path(entry.path))
    except OSError:
        return
    for token, paths in groups.items():
        main = target.with_name(f".{target.name}.{token}.part")
        if main.exists() and not _abandoned(main):
            continue
        for path in sorted(paths, key=lambda p: p == main):  # the locked file last
            _unlink_quietly(path)


def _abandoned(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if fcntl is None:  # pragma: no cover
            return time.time() - os.fstat(fd).st_mtime > ABANDONED_AFTER_S
        return _hold(fd)  # released with the descriptor, once the file is removed
    finally:
        os.close(fd)


def _new_temp_beside(target: Path, error: Callable[[str], BaseException]) -> tuple[Path, int]:
    """A new empty file in ``target``'s folder, made with the permissions a normal new
    file gets (``O_EXCL``: never one that someone else made), and a descriptor holding its
    lock (close it when done)."""
    for _attempt in range(100):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno in _DISK_ERRORS:
                raise _write_error(target, exc, error) from None
            # Translators: {folder} is a folder; {reason} says why ("permission denied").
            raise error(_("cannot write in {folder}: {reason}.").format(folder=target.parent,
                                                                        reason=reason(exc))) from None
        _hold(fd)
        return candidate, fd
    raise error(_("cannot make a temporary file in {folder}.").format(folder=target.parent))  # pragma: no cover


_DISK_ERRORS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EROFS})


def _write_error(target: Path, exc: OSError, error: Callable[[str], BaseException]) -> BaseException:
    """``error`` with the sentence for a system error met writing ``target``."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        # Translators: {path} is the file being written.
        return error(_("there is no space left on the disk holding {path}: the file was not written. "
                       "Free some space and try again.").format(path=target))
    return error(_("cannot write {path}: {reason}.").format(path=target, reason=reason(exc)))


def _written_here(exc: OSError, tmp: Path) -> bool:
    """Whether a system error raised by the writer is about the file it writes (it names
    no file, or the temporary one), not about a file it reads."""
    return exc.filename is None or os.fspath(exc.filename) == os.fspath(tmp)


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
    remove_abandoned(target)
    tmp, lock = _new_temp_beside(target, error)
    try:
        try:
            yield tmp
        except OSError as exc:
            if _written_here(exc, tmp):
                raise _write_error(target, exc, error) from None
            raise
        try:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            raise _write_error(target, exc, error) from None
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
            raise _write_error(target, exc, error) from None
    except BaseException:
        discard(tmp)
        raise
    finally:
        os.close(lock)


__all__ = ["atomic_file", "remove_abandoned"]
