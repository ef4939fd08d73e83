"""``conference-desk export-program`` and ``export-ical``: exit codes, messages, and no file on failure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_db(demo_target: tuple[str, int]) -> tuple[str, int]:
    return demo_target


@pytest.mark.parametrize(("lang", "paper", "width"), [("en", "a4", 595.28), ("kk+ru", "letter", 612.0)])
def test_export_program(demo_db: tuple[str, int], tmp_path: Path, lang: str, paper: str, width: float) -> None:
    target, event_id = demo_db
    pdf = tmp_path / "programme.pdf"
    code, out, err = run("--db", target, "export-program", "--event", str(event_id), "--lang", lang,
                         "--paper", paper, "-o", str(pdf))
    assert (code, err) == (0, "")
    pages = len(PdfReader(pdf).pages)
    assert out == f"Programme written to {pdf} ({pages} page{'s' if pages != 1 else ''})\n"
    assert float(PdfReader(pdf).pages[0].mediabox.width) == pytest.approx(width, abs=0.05)


def test_the_only_event_need_not_be_named(demo_db: tuple[str, int], tmp_path: Path) -> None:
    target, _event_id = demo_db
    code, _out, err = run("--db", target, "export-program", "-o", str(tmp_path / "p.pdf"))
    assert (code, err) == (0, "")
    assert (tmp_path / "p.pdf").is_file()


@pytest.mark.parametrize("args", [
    ["--lang", "de"], ["--lang", "en+en"], ["--lang", "en+ru+kk"], ["--paper", "a3"],
])
def test_usage_errors_write_nothing(demo_db: tuple[str, int], tmp_path: Path, args: list[str]) -> None:
    target, event_id = demo_db
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run("--db", target, "export-program", "--event", str(event_id), *args,
                         "-o", str(out_dir / "p.pdf"))
    assert code == 2 and out == ""
    assert err.startswith("conference-desk: error: ") and err.count("\n") == 1
    assert list(out_dir.iterdir()) == []


def test_an_unknown_language_is_refused_before_the_database_is_opened(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "db.sqlite"
    code, _out, err = run("--db", str(missing), "export-program", "--lang", "fr", "-o", str(tmp_path / "p.pdf"))
    assert code == 2
    assert "unknown programme language 'fr'" in err
    assert not missing.parent.exists()
    assert not (tmp_path / "p.pdf").exists()


def test_an_unknown_event_is_a_data_error(demo_db: tuple[str, int], tmp_path: Path) -> None:
    target, event_id = demo_db
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run("--db", target, "export-program", "--event", str(event_id + 7), "-o", str(out_dir / "p.pdf"))
    assert code == 1 and out == ""
    assert f"there is no event with id {event_id + 7}" in err and err.count("\n") == 1
    code, _out, err = run("--db", target, "export-ical", "--event", str(event_id + 7), "-o", str(out_dir / "a.ics"))
    assert code == 1
    assert list(out_dir.iterdir()) == []


def test_a_missing_folder_is_a_data_error(demo_db: tuple[str, int], tmp_path: Path) -> None:
    target, _event_id = demo_db
    code, _out, err = run("--db", target, "export-program", "-o", str(tmp_path / "no" / "p.pdf"))
    assert code == 1
    assert "does not exist" in err


def test_export_ical(demo_db: tuple[str, int], tmp_path: Path) -> None:
    target, event_id = demo_db
    ics = tmp_path / "agenda.ics"
    code, out, err = run("--db", target, "export-ical", "--event", str(event_id), "--lang", "ru", "-o", str(ics))
    assert (code, err) == (0, "")
    count = ics.read_bytes().count(b"BEGIN:VEVENT")
    assert count > 0
    assert out == f"Calendar written to {ics} ({count} entries)\n"
    assert "Регистрация участников" in ics.read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "name"), [("export-ical", "agenda.txt"), ("export-program", "p.docx")])
def test_wrong_extension_is_a_usage_error(demo_db: tuple[str, int], tmp_path: Path, command: str, name: str) -> None:
    target, _event_id = demo_db
    code, _out, err = run("--db", target, command, "-o", str(tmp_path / name))
    assert code == 2
    assert not (tmp_path / name).exists()
