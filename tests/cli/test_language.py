"""The command line speaks the interface language: ``--ui-language`` (before or after the
command), else ``CONFERENCE_DESK_UI_LANGUAGE``, else the system's. Its errors, argparse's
own words and the help do; the tab-separated data stays English."""

from __future__ import annotations

import argparse
import gettext
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli.common import ARGPARSE_MESSAGES, ui_language_in
from desktop.core.language import ENV_LANGUAGE, LOCALE_VARIABLES, interface_language, words

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id\tstarts_on\tends_on\ttitle\tregistrations\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def no_language_asked(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Neither CONFERENCE_DESK_UI_LANGUAGE nor any locale variable: the test sets what it needs."""
    for name in (ENV_LANGUAGE, *LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_usage_error_in_russian_and_in_kazakh(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    code, out, err = run("--ui-language", "ru", "--db", db, "events", "--bogus")
    assert (code, out) == (2, "")
    assert err == "conference-desk: ошибка: нераспознанные аргументы: --bogus (см. 'conference-desk --help')\n"
    # After the command's name, and shortened as argparse allows.
    code, _, err = run("--db", db, "events", "--lang", "de", "--ui-lang=kk")
    assert code == 2
    assert err.startswith("conference-desk: қате: --lang аргументі: жарамсыз мән: 'de'"), err
    code, _, err = run("--db", db, "export-badges", "--ui-language", "ru")
    assert code == 2 and "необходимо указать аргументы: -o/--output" in err, err
    assert not Path(db).exists()


def test_a_data_error_of_the_command_line_in_russian(tmp_path: Path) -> None:
    code, _, err = run("--ui-language", "ru", "--db", str(tmp_path / "x.sqlite"), "export-badges", "-o", "b.txt")
    assert code == 2
    assert err == "conference-desk: ошибка: имя выходного файла должно оканчиваться на .pdf (указано 'b.txt')\n"


def test_the_data_stays_machine_readable_english(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    assert run("--db", db, "demo")[0] == 0
    code, out, err = run("--ui-language", "kk", "--db", db, "events")
    assert (code, err) == (0, "")
    assert out.startswith(HEADER) and "2025-02-28\t2025-02-28" in out


def test_the_environment_then_the_system_name_the_language(tmp_path: Path,
                                                           no_language_asked: pytest.MonkeyPatch) -> None:
    argv = ("--db", str(tmp_path / "x.sqlite"), "events", "--bogus")
    no_language_asked.setenv("LANG", "kk_KZ.UTF-8")
    assert "танылмаған аргументтер: --bogus" in run(*argv)[2]
    no_language_asked.setenv(ENV_LANGUAGE, "ru")
    assert "нераспознанные аргументы: --bogus" in run(*argv)[2]
    assert "unrecognized arguments: --bogus" in run("--ui-language", "en", *argv)[2]
    no_language_asked.setenv("LANG", "de_DE.UTF-8")
    no_language_asked.delenv(ENV_LANGUAGE)
    assert "error: unrecognized arguments: --bogus" in run(*argv)[2]


def test_the_help_in_russian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--ui-language", "ru", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("использование: conference-desk")
    assert "параметры:" in out and "показать эту справку и выйти" in out
    assert "файл SQLite или URL postgresql+psycopg://" in out
    assert "options:" not in out and "usage:" not in out


def test_a_run_leaves_the_process_and_argparse_as_they_were(tmp_path: Path) -> None:
    run("--ui-language", "kk", "--db", str(tmp_path / "x.sqlite"), "events", "--bogus")
    assert interface_language() == "en"
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


@pytest.mark.parametrize(("argv", "lang"), [
    (["--ui-language", "ru"], "ru"),
    (["--ui-language=kk", "events"], "kk"),
    (["events", "--ui-lang", "kk"], "kk"),
    (["--ui", "ru"], "ru"),
    (["--ui-language", "ru", "--ui-language", "kk"], "kk"),
    (["--ui-language", "de"], None),
    (["--ui-language"], None),
    (["--u", "ru"], None),  # too short to be the option
    (["--", "--ui-language", "ru"], None),
    (["events", "--lang", "ru"], None),
])
def test_the_language_is_read_before_the_line_is_parsed(argv: list[str], lang: str | None) -> None:
    assert ui_language_in(argv) == lang


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_argparse_message_we_route_is_translated_with_its_placeholders(lang: str) -> None:
    catalog = words(lang)
    for message in ARGPARSE_MESSAGES:
        translated = catalog.p_("argparse", message)
        assert translated != message or message == "", (lang, message)
        for placeholder in ("%s", "%r", "%(argument_name)s", "%(message)s", "%(value)r", "%(choices)s",
                            "%(type)s", "%(option)s", "%(matches)s"):
            assert message.count(placeholder) == translated.count(placeholder), (lang, message, translated)


def test_the_installed_program_speaks_russian(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", ENV_LANGUAGE: "ru"}
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(tmp_path / "x.sqlite"), "events", "--bogus"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == "conference-desk: ошибка: нераспознанные аргументы: --bogus (см. 'conference-desk --help')\n"


def test_the_database_layer_errors_in_russian_and_kazakh(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    code, out, err = run("--ui-language", "ru", "--db", str(folder), "events")
    assert (code, out) == (1, "")
    assert err == f"conference-desk: ошибка: {folder} — папка, а не файл базы данных.\n"
    not_ours = tmp_path / "notes.sqlite"
    not_ours.write_text("hello\n", encoding="utf-8")
    code, _, err = run("--db", str(not_ours), "events", "--ui-language", "kk")
    assert code == 1
    assert err == f"conference-desk: қате: {not_ours} — Conference Desk дерекқоры емес (бұл SQLite файлы емес).\n"
    code, _, err = run("--ui-language", "en", "--db", str(folder), "events")
    assert err == f"conference-desk: error: {folder} is a folder, not a database file.\n"
