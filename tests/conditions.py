"""Arranging the conditions a desk meets on the day, for the tests of the error sentences:
a full disk, a read-only folder, a file locked by another program, a damaged file, a
server that refuses, never answers or hangs up.

Each is made for real where this machine allows it, and the test is skipped (saying why)
where it does not:

* a full disk is a small tmpfs (``mount -t tmpfs``: root only); a file system cannot be
  filled otherwise, so a test that needs one is skipped for another user;
* a read-only folder is ``chmod`` for a normal user; root ignores a file's mode, so for
  root it is a read-only bind mount of the folder on itself, else an immutable file
  (``chattr +i``);
* a lock is another connection holding SQLite's exclusive lock (``locking_mode =
  EXCLUSIVE``), the way another program keeps the file;
* a server that never answers is a TCP socket that accepts and says nothing; one that hangs
  up accepts and closes at once; one that refuses is a port nobody listens on.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*argv: str) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "2m") -> Iterator[Path]:
    """``folder`` as a file system of ``size`` (a tmpfs), unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("a small disk needs mount -t tmpfs (root)")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def fill(folder: Path) -> None:
    """Fill the disk holding ``folder`` to its last byte."""
    fd = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (1 << 20, 65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` and the files in it made read-only for this process, as they were after."""
    files = [p for p in folder.iterdir() if p.is_file()]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *files]}
        for p in files:
            p.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if _run("mount", "--bind", "-o", "ro", str(folder), str(folder)):
        try:
            probe = folder / ".probe"
            try:
                probe.touch()
            except OSError:
                pass
            else:  # an old mount ignores -o ro on a bind: remount
                probe.unlink()
                if not _run("mount", "-o", "remount,bind,ro", str(folder)):
                    pytest.skip("a read-only bind mount is not possible here")
            yield folder
        finally:
            _run("umount", "-l", str(folder))
        return
    if files and all(_run("chattr", "+i", str(p)) for p in files):
        try:
            yield folder
        finally:
            for p in files:
                _run("chattr", "-i", str(p))
        return
    pytest.skip("root ignores file modes, and neither a read-only bind mount nor chattr +i works here")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another connection holding ``path``'s exclusive lock, as another program would."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE IF NOT EXISTS held_by_another_program (x)")
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            holder.execute("ROLLBACK")
        holder.close()


def damage_an_index(path: Path) -> None:
    """Overwrite the root page of one of the file's indexes with noise: the schema still
    reads, but ``PRAGMA quick_check`` finds the damage."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND rootpage > 1 "
                            "AND tbl_name = 'registration' ORDER BY rootpage DESC").fetchall()
    finally:
        conn.close()
    _name, page = rows[0]
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


def closed_port() -> int:
    """A port on 127.0.0.1 that nobody listens on (bound and let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def silent_server(*, hang_up: bool = False) -> Iterator[int]:
    """A TCP server on 127.0.0.1 (its port) that accepts and never answers, or, with
    ``hang_up``, closes each connection at once."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except OSError:
                continue
            if hang_up:
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()
