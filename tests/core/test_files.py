"""desktop.core.files.atomic_file: complete or nothing, never a stray temporary file."""

from __future__ import annotations

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
