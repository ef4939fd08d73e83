"""The window's interface language: which one a run speaks, Qt's own words and formats in it,
View → Interface Language (remembered, restarting on the same database, event and section),
and the content language that follows it until the user picks another."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, QSettings, QTime
from PySide6.QtWidgets import QApplication, QDateEdit, QFileDialog, QLabel, QMessageBox, QTimeEdit
from pytestqt.qtbot import QtBot

from db.engine import Database, resolve_target
from desktop.core.language import ENV_LANGUAGE, LANGUAGE_NAMES, LOCALE_VARIABLES, interface_language
from desktop.ui.shell import main_window as main_window_module
from desktop.ui.shell import ui_language
from desktop.ui.shell.main_window import DESK, MainWindow
from desktop.ui.shell.ui_language import (
    INTERFACE_LANGUAGE,
    Restart,
    apply_interface_language,
    restart_command,
    window_language,
)
from tests.ui.shell.test_main_window import _env

ROOT = Path(__file__).resolve().parents[3]
CANCEL = {"en": "Cancel", "ru": "Отмена", "kk": "Бас тарту"}  # Qt's own words (qtbase_ru, qtbase_kk)


@pytest.fixture
def speaking_app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back in English (ours, Qt's words, Qt's locale) after the test."""
    locale = QLocale()
    try:
        yield qapp
    finally:
        apply_interface_language("en")
        QLocale.setDefault(locale)


def cancel_text() -> str:
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
    button = box.button(QMessageBox.StandardButton.Cancel)
    assert button is not None
    return button.text().replace("&", "")


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_qt_own_buttons_and_date_fields_speak_the_language(speaking_app: QApplication, lang: str) -> None:
    assert apply_interface_language(lang) == lang
    assert interface_language() == lang
    assert cancel_text() == CANCEL[lang]
    date = QDateEdit(QDate(2025, 2, 28))
    date.setDisplayFormat("d MMMM yyyy")
    assert date.text() == {"en": "28 February 2025", "ru": "28 февраля 2025", "kk": "28 ақпан 2025"}[lang]
    time = QTimeEdit(QTime(16, 30))
    assert time.text().startswith("16:30")  # a 24-hour clock in each (English as in the UK)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_file_dialog_speaks_the_language_where_qt_catalog_has_a_gap(speaking_app: QApplication,
                                                                       lang: str) -> None:
    apply_interface_language(lang)
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert len(labels) == 3
    assert not any(label.replace("&", "").isascii() for label in labels), labels
    assert {"ru": "&Имя файла:", "kk": "Файл &аты:"}[lang] in labels  # Qt's own words stay Qt's


def test_english_after_russian_takes_qt_words_back(speaking_app: QApplication) -> None:
    apply_interface_language("ru")
    assert cancel_text() == CANCEL["ru"]
    apply_interface_language("en")
    assert cancel_text() == "Cancel" and interface_language() == "en"


def test_the_window_language_is_the_flag_the_environment_the_remembered_then_the_system(
        settings: QSettings) -> None:
    env = {"LANG": "ru_RU.UTF-8"}
    assert window_language(None, settings, env) == "ru"
    settings.setValue(INTERFACE_LANGUAGE, "kk")
    assert window_language(None, settings, env) == "kk"
    assert window_language(None, settings, {**env, ENV_LANGUAGE: "en"}) == "en"
    assert window_language("ru", settings, {**env, ENV_LANGUAGE: "en"}) == "ru"
    settings.setValue(INTERFACE_LANGUAGE, "de")  # not ours: passed over
    assert window_language(None, settings, env) == "ru"


def test_without_locale_variables_the_window_asks_qt_for_the_system_language(
        settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    class KazakhSystem(QLocale):
        @staticmethod
        def system() -> QLocale:
            return QLocale(QLocale.Language.Kazakh, QLocale.Country.Kazakhstan)

    monkeypatch.setattr(ui_language, "QLocale", KazakhSystem)
    assert window_language(None, settings, {}) == "kk"
    assert window_language(None, settings, {"LANG": "en_GB.UTF-8"}) == "en"


# -- restarting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "kept"), [
    (["/venv/bin/conference-desk"], ["/venv/bin/conference-desk"]),
    (["-m", "desktop", "--db", "old.sqlite", "--ui-language", "ru"], ["-m", "desktop"]),
    (["-X", "dev", "/venv/bin/conference-desk", "--ui-language=ru", "--db=old.sqlite"],
     ["-X", "dev", "/venv/bin/conference-desk"]),
    (["/venv/bin/conference-desk", "--ui-lang", "kk"], ["/venv/bin/conference-desk"]),
])
def test_the_restart_is_the_same_program_with_the_language_and_the_database_replaced(
        argv: list[str], kept: list[str], tmp_path: Path) -> None:
    target = resolve_target(tmp_path / "now.sqlite")
    restart = restart_command("kk", target, executable="/venv/bin/python", argv=argv)
    assert restart == Restart("/venv/bin/python",
                              [*kept, "--db", str(tmp_path / "now.sqlite"), "--ui-language", "kk"], {})


def test_a_server_password_is_not_put_on_the_command_line() -> None:
    target = resolve_target("postgresql+psycopg://desk:s3cret@db.example.org:5432/conference")
    restart = restart_command("ru", target, executable="python", argv=["-m", "desktop"])
    assert restart.arguments == ["-m", "desktop", "--db", "postgresql+psycopg://desk@db.example.org:5432/conference",
                                 "--ui-language", "ru"]
    assert restart.environment == {"PGPASSWORD": "s3cret"}
    assert not any("s3cret" in a for a in restart.arguments)


def test_by_default_the_restart_is_this_interpreter_with_its_own_arguments(tmp_path: Path) -> None:
    restart = restart_command("ru", resolve_target(tmp_path / "x.sqlite"))
    assert restart.program == sys.executable
    assert restart.arguments[:-4] == sys.orig_argv[1:]
    assert restart.arguments[-4:] == ["--db", str(tmp_path / "x.sqlite"), "--ui-language", "ru"]


# -- the menu ------------------------------------------------------------------------------------


class Starts:
    """Stands in for ``start_detached``: records what would be started."""

    def __init__(self, started: bool = True) -> None:
        self.started = started
        self.calls: list[Restart] = []

    def __call__(self, restart: Restart) -> bool:
        self.calls.append(restart)
        return self.started


def test_the_menu_offers_each_language_in_its_own_words(window: MainWindow) -> None:
    menu = window.interface_language_menu
    assert menu.menuAction() in window.view_menu.actions()
    assert [a.text() for a in menu.group.actions()] == [LANGUAGE_NAMES[lang] for lang in ("en", "ru", "kk")]
    assert [a.isChecked() for a in menu.group.actions()] == [True, False, False]
    assert menu.group.isExclusive()


def test_choosing_a_language_remembers_it_and_restarts_on_the_same_event_and_section(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch, settings: QSettings, demo_db: Database,
        demo_path: Path, qtbot: QtBot) -> None:
    starts = Starts()
    monkeypatch.setattr(ui_language, "start_detached", starts)
    monkeypatch.setattr(ui_language.sys, "orig_argv", ["python", "/venv/bin/conference-desk", "--ui-language", "en"])
    window.show_section(DESK)
    assert window.detail is not None
    event_id = window.detail.summary.id
    settings.remove(main_window_module.SECTION)
    window.interface_language_menu.choose("kk")
    assert len(starts.calls) == 1
    assert starts.calls[0].arguments == ["/venv/bin/conference-desk", "--db", str(demo_path), "--ui-language", "kk"]
    assert not window.isVisible()  # this one makes way for the new one
    assert settings.value(INTERFACE_LANGUAGE) == "kk"
    assert int(settings.value(main_window_module.SECTION)) == DESK
    assert int(settings.value(main_window_module.LAST_EVENT)) == event_id
    # The new window, on the database it is given and these settings, comes back there.
    again = MainWindow(demo_db, settings)
    qtbot.addWidget(again)
    assert again.current_section() == DESK and again.detail is not None and again.detail.summary.id == event_id


def test_choosing_the_language_on_show_restarts_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                                       settings: QSettings) -> None:
    starts = Starts()
    monkeypatch.setattr(ui_language, "start_detached", starts)
    window.interface_language_menu.choose("en")
    assert starts.calls == [] and window.isVisible() and settings.value(INTERFACE_LANGUAGE) == "en"


def test_when_the_restart_fails_the_window_stays_and_says_so(window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                                           settings: QSettings) -> None:
    monkeypatch.setattr(ui_language, "start_detached", Starts(started=False))
    told: list[tuple[Any, ...]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args))
    window.interface_language_menu.choose("ru")
    assert window.isVisible()
    assert len(told) == 1 and "next time" in told[0][2]
    assert settings.value(INTERFACE_LANGUAGE) == "ru"


# -- the content language follows the interface language -----------------------------------------


@pytest.fixture
def russian(speaking_app: QApplication) -> Iterator[None]:
    apply_interface_language("ru")
    yield


def new_window(qtbot: QtBot, database: Database, settings: QSettings) -> MainWindow:
    win = MainWindow(database, settings)
    qtbot.addWidget(win)
    return win


def test_the_content_language_follows_the_interface_language_until_the_user_picks_one(
        russian: None, qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    settings.setValue(main_window_module.LANGUAGE, "en")  # remembered from before, never picked
    win = new_window(qtbot, demo_db, settings)
    assert win.event_bar.language == "ru"
    assert win.interface_language_menu.action_for("ru").isChecked()
    assert win.menuBar().actions()[1].menu().actions()[0].text() == "&Отменить"  # Edit → Undo
    kk = next(b for b in win.event_bar.language_buttons.buttons() if b.property("lang") == "kk")
    kk.click()
    win.save_settings()
    again = new_window(qtbot, demo_db, settings)
    assert again.event_bar.language == "kk"


def test_a_window_in_english_shows_english_content(qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    settings.setValue(main_window_module.LANGUAGE, "kk")  # not picked by the user
    assert new_window(qtbot, demo_db, settings).event_bar.language == "en"


def test_run_sets_the_language_before_the_window_is_made(demo_path: Path, tmp_path: Path) -> None:
    """``run`` as the command line calls it, in a process of its own: ``--ui-language kk``."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QLocale\n"
        "from db import open_database\n"
        "from desktop.ui.shell import app\n"
        "reported = app._report\n"
        "def report(launched, what, qapp=None):\n"
        "    if what == 'ready':\n"
        "        (window,) = [w for w in qapp.topLevelWidgets() if isinstance(w, app.MainWindow)]\n"
        "        print(window.interface_language_menu.title(), window.event_bar.language, QLocale().name())\n"
        "    reported(launched, what, qapp)\n"
        "app._report = report\n"
        "sys.exit(app.run(open_database(sys.argv[1]), argv=['conference-desk'], ui_language=sys.argv[2]))\n"
    )
    env = _env(tmp_path)
    env["CONFERENCE_DESK_EXIT_WHEN_SHOWN"] = "1"
    for name in (ENV_LANGUAGE, *LOCALE_VARIABLES):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", script, str(demo_path), "kk"], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["shown", "&Интерфейс тілі kk kk_KZ", "ready"]
