"""Every command of the line speaks the interface language: its help, its summaries, its
reports and its errors, in Russian and in Kazakh (``--ui-language``), while the
tab-separated data and its header row stay English and as they are.

"Speaks" is checked against the catalogs: no text a command prints for a person holds an
English message of the catalog (a message's words between its placeholders, so that
"120 attendees written to FILE" is found as "… attendees written to …"), and the lines the
command line makes itself hold Cyrillic. A check that the finder finds the English runs
the same commands in English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy.exc import OperationalError

from desktop.cli import main
from resources.translations import catalogs
from tests.import_files import write_csv

LANGS = ("ru", "kk")
COMMANDS = ("demo", "events", "attendees", "export-attendees", "import-attendees", "export-program",
            "export-ical", "check-in", "desk-export", "desk-merge", "export-badges", "export-name-cards",
            "export-sign-in-sheet", "export-certificates")
EVENTS_HEADER = "id\tstarts_on\tends_on\ttitle\tregistrations"
ATTENDEES_HEADER = "code\tname\torganisation\tsector\tstatus\tchecked_in"
CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]")
_WORD = re.compile(r"[A-Za-z]{3,}")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def flat(text: str) -> str:
    """Spaces folded: argparse wraps the help's lines where it likes."""
    return " ".join(text.split())


@cache
def english_pieces(lang: str) -> tuple[str, ...]:
    """The words of every English message that ``lang``'s catalog translates otherwise: the
    message's runs between placeholders of two words or more, one of them English ("attendees
    written to", "Dry run: nothing was written."); a single word may be a command's name
    ("check-in", "export-certificates")."""
    with catalogs.po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    pieces: set[str] = set()
    for message in po:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue  # written alike in both languages
            for piece in _PLACEHOLDER.split(source):
                piece = flat(piece).strip(" :;,.()")
                if " " in piece and _WORD.search(piece):
                    pieces.add(piece)
    return tuple(sorted(pieces))


def english_in(text: str, lang: str) -> list[str]:
    """The English messages' pieces found in ``text``."""
    text = flat(text)
    return [piece for piece in english_pieces(lang)
            if re.search(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])", text)]


def assert_spoken(text: str, lang: str) -> None:
    assert text.strip(), "nothing was printed"
    found = english_in(text, lang)
    assert not found, (lang, found, text)


def assert_cyrillic_lines(text: str) -> None:
    for line in text.splitlines():
        assert CYRILLIC.search(line), line


@pytest.fixture
def demo_db(demo_target: tuple[str, int]) -> str:
    """A new database holding the demo, as ``conference-desk demo`` makes it."""
    return demo_target[0]


@pytest.fixture
def codes(demo_db: str) -> list[str]:
    """The demo's badge codes of registrations that may be printed and checked in."""
    code, out, err = run("--db", demo_db, "attendees", "--status", "registered", "--status", "confirmed")
    assert (code, err) == (0, "")
    return [line.split("\t")[0] for line in out.splitlines()[1:]]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# -- the finder ---------------------------------------------------------------------------------

def test_the_finder_finds_the_english_it_looks_for(demo_db: str, out: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """In English the same outputs are caught: the checks below can fail."""
    code, stdout, _ = run("--db", demo_db, "export-attendees", "-o", str(out / "a.csv"))
    assert code == 0
    assert "attendees written to" in english_in(stdout, "ru")
    assert english_in(help_of(capsys, "export-badges"), "kk")
    code, _, err = run("--db", demo_db, "check-in", " ")
    assert code == 2 and "CODE is empty: give the badge code to check in" in english_in(err, "kk")
    with pytest.raises(AssertionError):
        assert_cyrillic_lines("Programme written to x.pdf (1 page)")


# -- help -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_help_of_the_line_and_of_every_command(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "--ui-language", lang)
    assert_spoken(text, lang)
    for command in COMMANDS:
        text = help_of(capsys, "--ui-language", lang, command)
        assert_spoken(text, lang)
        assert f"conference-desk {command}" in text  # the command's name and options stay
        description = text.split("\n\n")[1]
        assert CYRILLIC.search(description), (command, description)


# -- events: demo, events ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_events_data_stays_english_and_as_it_is(lang: str, demo_db: str) -> None:
    english = run("--db", demo_db, "events", "--lang", "ru")
    spoken = run("--ui-language", lang, "--db", demo_db, "events", "--lang", "ru")
    assert spoken == english
    assert spoken[1].splitlines()[0] == EVENTS_HEADER
    code, _, err = run("--ui-language", lang, "--db", demo_db, "events", "--lang", "de")
    assert code == 2
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)


# -- attendees: attendees, export-attendees, import-attendees -------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_attendees_list_stays_english_and_the_export_says_so_in_the_language(
        lang: str, demo_db: str, out: Path) -> None:
    english = run("--db", demo_db, "attendees", "--lang", "kk")
    spoken = run("--db", demo_db, "attendees", "--lang", "kk", "--ui-language", lang)
    assert spoken == english and spoken[1].splitlines()[0] == ATTENDEES_HEADER

    target = out / "list.csv"
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "export-attendees", "-o", str(target))
    assert (code, err) == (0, "")
    assert str(target) in stdout and "120" in stdout
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)

    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "export-attendees", "-o", str(out / "x.txt"))
    assert (code, stdout) == (2, "")
    assert_spoken(err, lang)
    code, _, err = run("--ui-language", lang, "--db", demo_db, "export-attendees", "-o", str(target),
                       "--columns", "name,shoe_size")
    assert code == 2
    assert_spoken(err, lang)


def test_the_export_count_follows_the_language_plural_rule(demo_db: str, codes: list[str], out: Path) -> None:
    """1 участник, 2 участника, 5 участников; Kazakh writes no plural after a number."""
    target = str(out / "list.csv")
    forms = set()
    # The demo's counts: 1 declined, 6 waitlisted, 12 of the diplomatic corps, 21 of government, 32 judges.
    for option in (["--status", "declined"], ["--status", "waitlisted"], ["--sector", "diplomatic_corps"],
                   ["--sector", "government"], ["--sector", "judiciary"]):
        code, stdout, _ = run("--ui-language", "ru", "--db", demo_db, "export-attendees", "-o", target, *option)
        assert code == 0
        said = stdout.removeprefix(f"Записано в файл {target}: ").strip()
        n = int(said.split()[0])
        last = n % 10 if n % 100 not in range(11, 15) else 5
        expected = "участник" if last == 1 else "участника" if 2 <= last <= 4 else "участников"
        assert said == f"{n} {expected}", (n, stdout)
        forms.add(expected)
    assert len(forms) == 3
    code, stdout, _ = run("--ui-language", "kk", "--db", demo_db, "export-attendees", "-o", target)
    assert stdout == f"120 қатысушы файлға жазылды: {target}\n"


LIST = [
    ["Список участников"],
    ["ФИО", "Организация", "E-mail", "Пол"],
    ["Иванов Иван Иванович", "Минюст", "ivanov@example.kz", "м"],
    ["", "Минюст", "nobody@example.kz", ""],
    ["Петрова Анна", "Суд", "petrova@", "ж"],
    ["Ахметова Дина", "Суд", "IVANOV@example.kz", "?"],
]


@pytest.mark.parametrize("lang", LANGS)
def test_the_import_reports_in_the_language(lang: str, demo_db: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", LIST)
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "import-attendees", str(path), "--dry-run")
    assert (code, err) == (0, "")
    lines = stdout.splitlines()
    assert len(lines) >= 4  # details, summary, a line per row left out, the dry run
    # Core's report (made when printed, in the run's language) and the command line's last line.
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)
    english = run("--db", demo_db, "import-attendees", str(path), "--dry-run")[1].splitlines()
    assert len(english) == len(lines) and english[-1] == "Dry run: nothing was written."
    assert "ivanov@example.kz" in stdout.lower()  # the file's data as it is

    nameless = write_csv(tmp_path / "nameless.csv", [["Кто", "Откуда"], ["Иванов Иван", "Минюст"]])
    code, _, err = run("--ui-language", lang, "--db", demo_db, "import-attendees", str(nameless))
    assert code == 1 and err.count("\n") == 1
    assert "--map" in err and "=full_name" in err
    assert_spoken(err, lang)
    code, _, err = run("--ui-language", lang, "--db", demo_db, "import-attendees", str(path), "--map", "ФИО")
    assert code == 2
    assert_spoken(err, lang)


# -- programme: export-program, export-ical ------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_programme_and_the_calendar_say_what_they_wrote(lang: str, demo_db: str, out: Path) -> None:
    pdf, ics = out / "programme.pdf", out / "agenda.ics"
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "export-program", "--lang", "en", "-o", str(pdf))
    assert (code, err) == (0, "") and pdf.exists()
    assert str(pdf) in stdout
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "export-ical", "-o", str(ics))
    assert (code, err) == (0, "") and ics.exists()
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)
    count = ics.read_text(encoding="utf-8").count("BEGIN:VEVENT")
    assert f"({count} " in stdout

    code, _, err = run("--ui-language", lang, "--db", demo_db, "export-program", "--lang", "de", "-o", str(pdf))
    assert code == 2
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)


# -- desk: check-in --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_check_in_and_its_errors_in_the_language(lang: str, demo_db: str, codes: list[str]) -> None:
    argv = ("--ui-language", lang, "--db", demo_db, "check-in", "--desk", "Lobby")
    for _attempt in ("now", "again"):
        code, stdout, err = run(*argv, codes[0])
        assert (code, err) == (0, "")
        assert_spoken(stdout, lang)
        assert_cyrillic_lines(stdout)
    code, stdout, err = run(*argv, "ZZZZ-0000")
    assert (code, stdout) == (1, "")
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)
    code, _, err = run(*argv, "  ")
    assert code == 2
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)


# -- desk files: desk-export, desk-merge ---------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_desk_file_commands_report_in_the_language(lang: str, demo_db: str, out: Path) -> None:
    desk = out / "lobby.deskdb"
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "desk-export", str(desk))
    assert (code, err) == (0, "") and desk.exists()
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)
    code, _, err = run("--ui-language", lang, "--db", demo_db, "desk-export", str(desk))
    assert code == 1  # exists already
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)
    code, stdout, err = run("--ui-language", lang, "--db", demo_db, "desk-merge", str(desk), "--dry-run")
    assert (code, err) == (0, "")
    assert_spoken(stdout, lang)
    assert_cyrillic_lines(stdout)
    code, _, err = run("--ui-language", lang, "--db", demo_db, "desk-merge", str(out / "missing.deskdb"))
    assert code == 1
    assert_spoken(err, lang)


# -- printing: export-badges, -name-cards, -sign-in-sheet, -certificates --------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_printed_pages_say_what_they_wrote(lang: str, demo_db: str, codes: list[str], out: Path) -> None:
    picked = ["--code", codes[0], "--code", codes[1]]
    for command in ("export-badges", "export-name-cards", "export-sign-in-sheet"):
        target = out / f"{command}.pdf"
        code, stdout, err = run("--ui-language", lang, "--db", demo_db, command, *picked, "-o", str(target))
        assert (code, err) == (0, "") and target.exists(), command
        assert str(target) in stdout
        assert_spoken(stdout, lang)
        assert_cyrillic_lines(stdout)
    code, _, err = run("--ui-language", lang, "--db", demo_db, "export-badges", "--code", "ZZZZ-0000",
                       "-o", str(out / "none.pdf"))
    assert code == 1
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)


# -- an error no command expected ----------------------------------------------------------------

SQL = "INSERT INTO person (family_name, email) VALUES (?, ?)"


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """``events`` raises the exception the test puts in the list."""
    from desktop.cli import events

    raised: list[BaseException] = []

    def explode(args: object, out: object) -> int:
        raise raised[0]

    monkeypatch.setattr(events, "cmd_events", explode)
    monkeypatch.delenv("CONFERENCE_DESK_DEBUG", raising=False)
    yield raised


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_an_unexpected_database_error_shows_no_sql_nor_data(lang: str, tmp_path: Path,
                                                            failing: list[BaseException]) -> None:
    failing.append(OperationalError(SQL, ("Ахметова", "dina@example.kz"), Exception("database is locked")))
    code, stdout, err = run("--ui-language", lang, "--db", str(tmp_path / "x.sqlite"), "events")
    assert (code, stdout) == (1, "") and err.count("\n") == 1
    for secret in ("INSERT", "person", "Ахметова", "dina@example.kz", "locked", "OperationalError"):
        assert secret not in err, err
    if lang == "en":
        assert "busy" in err
    else:
        assert_spoken(err, lang)
        assert "error:" not in err


@pytest.mark.parametrize("lang", LANGS)
def test_an_unexpected_error_says_its_kind_in_the_language(lang: str, tmp_path: Path,
                                                          failing: list[BaseException]) -> None:
    failing.append(KeyError("sector"))
    code, _, err = run("--ui-language", lang, "--db", str(tmp_path / "x.sqlite"), "events")
    assert code == 1 and err.count("\n") == 1
    assert "KeyError" in err and "CONFERENCE_DESK_DEBUG=1" in err
    assert_spoken(err, lang)
    assert_cyrillic_lines(err)
