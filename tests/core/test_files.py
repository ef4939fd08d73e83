"""desktop.core.files.atomic_file: complete or nothing, never a stray temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.files import atomic_file


class Refused(Exception):
    pass


def test_block_ends_normally_file_is_renamed_over_target(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with atomic_file(target, error=Refused) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_failure_in_block_leaves_target_and_no_temp(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_file(target, error=Refused) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_without_replace_an_existing_target_is_refused(tmp_path):
    target = tmp_path / "out.bin"

    class Exists(Refused):
        pass

    with pytest.raises(Exists, match="already exists"), \
            atomic_file(target, error=Refused, exists_error=Exists, replace=False) as tmp:
        tmp.write_bytes(b"new")
        target.write_bytes(b"someone else's")  # appears while we write
    assert target.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    with atomic_file(tmp_path / "fresh.bin", error=Refused, replace=False) as tmp:
        tmp.write_bytes(b"fresh")
    assert (tmp_path / "fresh.bin").read_bytes() == b"fresh"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.bin", "out.bin"]


def test_missing_folder_raises_the_callers_error(tmp_path):
    with pytest.raises(Refused, match="cannot write in"), atomic_file(tmp_path / "no" / "out.bin", error=Refused):
        pass


def test_discard_is_called_on_failure(tmp_path):
    seen = []
    with pytest.raises(ValueError), atomic_file(tmp_path / "x", error=Refused,
                                                discard=lambda p: (seen.append(p), p.unlink())):
        raise ValueError
    assert len(seen) == 1 and not seen[0].exists()


def test_a_target_that_is_not_a_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    """An export aimed at /dev/null or a folder must not rename its file over it."""
    import os
    import stat

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ValueError, match="is not a file"):
        with atomic_file(folder, error=ValueError) as tmp:
            tmp.write_bytes(b"x")
    assert folder.is_dir() and not list(tmp_path.glob(".*.part"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="is not a file"):
        with atomic_file(fifo, error=ValueError) as tmp:
            tmp.write_bytes(b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
