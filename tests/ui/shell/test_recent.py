"""The recent-databases list kept in the settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from db.engine import Database, Target
from desktop.ui.shell.recent import KEY, LIMIT, RecentDatabases, recent_entry


def test_most_recent_first_without_duplicates(settings: QSettings, tmp_path: Path) -> None:
    recent = RecentDatabases(settings)
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    a.touch()
    b.touch()
    recent.add(str(a))
    recent.add(str(b))
    recent.add(str(a))
    assert recent.entries() == [str(a), str(b)]


def test_at_most_eight(settings: QSettings, tmp_path: Path) -> None:
    recent = RecentDatabases(settings)
    for n in range(LIMIT + 3):
        (tmp_path / f"{n}.sqlite").touch()
        recent.add(str(tmp_path / f"{n}.sqlite"))
    assert len(recent.entries()) == LIMIT == 8
    assert recent.entries()[0] == str(tmp_path / f"{LIMIT + 2}.sqlite")


def test_missing_files_are_pruned_and_kept_out_of_the_settings(settings: QSettings, tmp_path: Path) -> None:
    recent = RecentDatabases(settings)
    kept, gone = tmp_path / "kept.sqlite", tmp_path / "gone.sqlite"
    kept.touch()
    recent.add(str(gone))
    recent.add(str(kept))
    recent.add("postgresql+psycopg://desk@server/conference")
    assert recent.entries() == ["postgresql+psycopg://desk@server/conference", str(kept)]
    assert str(gone) not in [str(v) for v in settings.value(KEY)]


def test_clear_and_a_single_entry_survive_the_ini_round_trip(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    only = tmp_path / "only.sqlite"
    only.touch()
    RecentDatabases(QSettings(path, QSettings.Format.IniFormat)).add(str(only))
    again = RecentDatabases(QSettings(path, QSettings.Format.IniFormat))
    assert again.entries() == [str(only)]  # one value comes back as a string, not a list
    again.clear()
    assert RecentDatabases(QSettings(path, QSettings.Format.IniFormat)).entries() == []


class _Db:
    """Just what ``recent_entry`` reads of a ``Database``."""

    def __init__(self, target: Target) -> None:
        self.target = target


def test_what_is_remembered_of_a_database(tmp_path: Path) -> None:
    file_db = _Db(Target(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path / "x.sqlite"))
    assert recent_entry(file_db) == str(tmp_path / "x.sqlite")  # type: ignore[arg-type]
    server = _Db(Target("postgresql+psycopg://desk@server/conference", None))
    assert recent_entry(server) == "postgresql+psycopg://desk@server/conference"  # type: ignore[arg-type]
    secret = _Db(Target("postgresql+psycopg://desk:s3cret@server/conference", None))
    assert recent_entry(secret) is None  # type: ignore[arg-type]  # never a password in the settings


def test_the_window_remembers_what_it_opens(demo_db: Database, settings: QSettings, demo_path: Path,
                                            qtbot: object) -> None:
    from desktop.ui.shell.main_window import MainWindow

    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert RecentDatabases(settings).entries() == [str(demo_path)]
