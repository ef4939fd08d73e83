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


def test_a_system_error_of_the_writer_names_the_target_not_the_hidden_file(tmp_path):
    """A full disk met while the block writes (faked here: ENOSPC from the writer) is said
    naming the file asked for; the temporary file is gone."""
    import errno

    target = tmp_path / "out.bin"
    with pytest.raises(Refused) as err, atomic_file(target, error=Refused) as tmp:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
    message = str(err.value)
    assert message.startswith(f"there is no space left on the disk holding {target}")
    assert ".part" not in message
    assert list(tmp_path.iterdir()) == []


def test_an_error_reading_another_file_is_left_as_it_is(tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(FileNotFoundError), atomic_file(target, error=Refused):
        (tmp_path / "missing.csv").read_bytes()
    assert list(tmp_path.iterdir()) == []


def test_a_later_write_removes_what_a_killed_writer_left_but_not_a_live_one(tmp_path):
    import os

    from desktop.core.files import remove_abandoned

    target = tmp_path / "out.pdf"
    dead = [tmp_path / ".out.pdf.deadbeef.part", tmp_path / ".out.pdf.deadbeef.part.part3",
            tmp_path / ".out.pdf.deadbeef.part-journal"]
    for p in dead:
        p.write_bytes(b"half")
    other = tmp_path / ".other.pdf.deadbeef.part"
    other.write_bytes(b"another file's")
    with atomic_file(target, error=Refused) as live:  # a writer at work: its lock is held
        live.write_bytes(b"being written")
        remove_abandoned(target)
        assert live.exists()
        assert not any(p.exists() for p in dead)
        assert other.exists()
    assert target.read_bytes() == b"being written"
    assert sorted(os.listdir(tmp_path)) == [".other.pdf.deadbeef.part", "out.pdf"]
