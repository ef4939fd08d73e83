"""``conference-desk check-in CODE [--event ID] [--desk NAME]``: lines and exit statuses."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import open_database
from db.models import CheckIn, Registration, Status
from desktop.cli import main
from desktop.core import desk as core_desk
from desktop.core.checkin import check_ins_of
from tests.databases import Templates

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_file(tmp_path: Path, db_templates: Templates) -> Path:
    return db_templates.copy_sqlite("demo", tmp_path / "desk.sqlite")


def _code(path: Path, status: Status) -> str:
    database = open_database(path)
    try:
        with database.read() as s:
            rows = s.execute(select(Registration.id, Registration.badge_code)
                             .where(Registration.status == status).order_by(Registration.id)).all()
            arrived = check_ins_of(s, [r[0] for r in rows])
    finally:
        database.close()
    return next(code for rid, code in rows if rid not in arrived)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def test_check_in_then_repeat(demo_file: Path) -> None:
    code = _code(demo_file, Status.CONFIRMED)
    status, out, err = run("--db", str(demo_file), "check-in", code.lower(), "--desk", "Front desk")
    assert (status, err) == (0, "")
    assert re.fullmatch(r"checked in: .+ \((participant|speaker|organiser|press|interpreter|observer)\)\n", out), out
    status, out, err = run("--db", str(demo_file), "check-in", f"{code[:3]}-{code[3:]}", "--desk", "Side desk")
    assert (status, err) == (0, "")
    assert re.match(r"already checked in at \d\d:\d\d \(desk Front desk\)", out), out
    database = open_database(demo_file)
    try:
        with database.read() as s:
            desks = s.scalars(select(CheckIn.desk).join(Registration).where(Registration.badge_code == code)).all()
    finally:
        database.close()
    assert desks == ["Front desk"]


def test_unknown_code_is_one_line_and_exit_1(demo_file: Path) -> None:
    status, out, err = run("--db", str(demo_file), "check-in", "ZZZZZZ")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and "'ZZZZZZ'" in err and "not checked in" in err


def test_cancelled_is_exit_1(demo_file: Path) -> None:
    code = _code(demo_file, Status.CANCELLED)
    status, out, err = run("--db", str(demo_file), "check-in", code)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.rstrip().endswith("is cancelled; not checked in")


def test_default_desk_is_the_host_name(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_desk.socket, "gethostname", lambda: "laptop-7.hotel.example")
    code = _code(demo_file, Status.REGISTERED)
    assert run("--db", str(demo_file), "check-in", code)[0] == 0
    status, out, _err = run("--db", str(demo_file), "check-in", code)
    assert status == 0 and "(desk laptop-7)" in out


@pytest.mark.parametrize("argv", [["check-in"], ["check-in", "  "], ["check-in", "ABC234", "--desk", " "],
                                  ["check-in", "ABC234", "--event", "x"]])
def test_usage_errors_exit_2(demo_file: Path, argv: list[str]) -> None:
    status, out, err = run("--db", str(demo_file), *argv)
    assert status == 2 and out == "" and err.count("\n") == 1


def test_unknown_event_is_exit_1(demo_file: Path) -> None:
    status, _out, err = run("--db", str(demo_file), "check-in", "ABC234", "--event", "999")
    assert status == 1 and "no event with id 999" in err


def test_as_a_process(demo_file: Path) -> None:
    code = _code(demo_file, Status.CONFIRMED)
    done = subprocess.run([sys.executable, "-m", "desktop", "--db", str(demo_file), "check-in", code],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("checked in: ")
