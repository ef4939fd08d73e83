"""The drill of issue 12, part 1: two desks (two ``conference-desk scan`` processes) check
in a stream of people on a PostgreSQL server of the test's own, which is frozen (SIGSTOP),
then killed and restarted in the middle; one desk is killed while offline and started
again. At the end every check-in a desk acknowledged is on the server exactly once, the
counts agree, and the people checked in at both desks while they were cut off are the
conflicts reported.

The server is started here (``initdb``/``pg_ctl`` of PostgreSQL, as the ``postgres`` user
when run as root) on a free port of 127.0.0.1 with its socket in a temporary folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import open_database
from db.models import CheckIn, CheckInAction, Registration, Status
from desktop.core.checkin import check_ins_of, participation
from desktop.core.demo import create_demo

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
VERDICT_S = 8.0  # a verdict must come this soon, whatever the server does


def _pg_bin() -> Path | None:
    given = os.environ.get("CONFERENCE_DESK_PG_BIN")
    if given:
        return Path(given)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


class OwnServer:
    """A PostgreSQL server of this test: start, freeze, thaw, kill, start again."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="cd-drill-pg-", dir="/tmp"))
        self.dir.chmod(0o755)
        self.data = self.dir / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._root = os.geteuid() == 0
        if self._root:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "-N")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "60",
                      "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F", "start")
        except subprocess.CalledProcessError as exc:
            log = (self.dir / "server.log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"the server did not start: {exc.stderr!r}\n{log}") from None

    def pids(self) -> list[int]:
        """The postmaster and its children."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return []
        main = int(pid_file.read_text().splitlines()[0])
        pids = [main]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == main:
                    pids.append(int(Path(stat).parent.name))
        return pids

    def signal_all(self, sig: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def kill(self) -> None:
        pids = self.pids()
        self.signal_all(signal.SIGKILL)
        deadline = time.monotonic() + 20
        while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in pids):
            assert time.monotonic() < deadline, "the server's processes did not end"
            time.sleep(0.05)
        # A killed postmaster may stay a zombie here (no init reaps it in a container), and
        # PostgreSQL takes a live pid in its lock files for a running server: remove them, as
        # after a crash whose pid was taken again.
        for lock in (self.data / "postmaster.pid", self.dir / f".s.PGSQL.{self.port}.lock"):
            lock.unlink(missing_ok=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.signal_all(signal.SIGCONT)
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:", 1)[1].split("\n", 1)[0].lower()
    except (OSError, IndexError):
        return "zombie"


@pytest.fixture
def own_server() -> Iterator[OwnServer]:
    bin_dir = _pg_bin()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        if os.environ.get("CONFERENCE_DESK_REQUIRE_PG", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail("the drill needs PostgreSQL's initdb and pg_ctl (CONFERENCE_DESK_PG_BIN)", pytrace=False)
        pytest.skip("the drill needs PostgreSQL's initdb and pg_ctl (CONFERENCE_DESK_PG_BIN)")
    server = OwnServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.close()


class Desk:
    """One ``conference-desk scan`` process: a code in, a verdict out."""

    def __init__(self, url: str, name: str, offline_dir: Path, acknowledged: list[tuple[str, str]]) -> None:
        env = {**os.environ, "CONFERENCE_DESK_OFFLINE_DIR": str(offline_dir),
               "CONFERENCE_DESK_UI_LANGUAGE": "en", "PYTHONPATH": str(ROOT)}
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desktop", "scan", "--db", url, "--desk", name, "--wait", "90"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        self.lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.said: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.said.append), daemon=True).start()
        self.acknowledged = acknowledged  # (code, desk) of each CHECKED IN said, by every desk

    @staticmethod
    def _read(stream: object, put: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            put(line.rstrip("\n"))  # type: ignore[operator]

    def scan(self, code: str, *, limit: float = VERDICT_S) -> str:
        assert self.process.stdin is not None
        started = time.monotonic()
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()
        try:
            verdict = self.lines.get(timeout=limit + 60)  # a first answer may wait for the local copy
        except queue.Empty:
            raise AssertionError(f"{self.name}: no verdict for {code}; stderr: {self.said}") from None
        took = time.monotonic() - started
        assert took < limit, f"{self.name}: the verdict for {code} took {took:.1f} s"
        if verdict.startswith("checked in:"):
            self.acknowledged.append((code, self.name))
        return verdict

    def finish(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        return self.process.wait(timeout=150)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_two_desks_through_a_server_that_freezes_dies_and_comes_back(own_server: OwnServer, tmp_path: Path) -> None:
    server = open_database(own_server.url)
    event_id = create_demo(server)
    with server.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code).where(
            Registration.event_id == event_id, Registration.status.in_([Status.CONFIRMED, Status.REGISTERED]))
            .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [rid for rid, _c in rows])
        before = participation(s, event_id).checked_in
    server.close()
    codes = [code for rid, code in rows if rid not in arrived]  # the demo has some in already
    assert len(codes) >= 60
    stream = iter(codes)

    def take(n: int) -> list[str]:
        return [next(stream) for _ in range(n)]

    offline_dir = tmp_path / "offline"
    acknowledged: list[tuple[str, str]] = []
    a = Desk(own_server.url, "Desk A", offline_dir, acknowledged)
    b = Desk(own_server.url, "Desk B", offline_dir, acknowledged)
    try:
        # Online: each desk checks its own people in; one person comes to both desks.
        for code in take(6):
            assert a.scan(code).startswith("checked in:")
        for code in take(6):
            assert b.scan(code).startswith("checked in:")
        twice_online = next(stream)
        assert a.scan(twice_online).startswith("checked in:")
        assert b.scan(twice_online).startswith("already checked in")

        # Frozen: both carry on from their copies; two people come to both desks.
        own_server.signal_all(signal.SIGSTOP)
        for code in take(5):
            a.scan(code)
        for code in take(5):
            b.scan(code)
        both = take(2)
        for code in both:
            assert a.scan(code).startswith("checked in:")
            assert b.scan(code).startswith("checked in:")
        assert any("offline" in line for line in a.said) and any("offline" in line for line in b.said)

        # Killed while frozen, and dead for a while: the desks go on.
        own_server.kill()
        for code in take(4):
            assert a.scan(code).startswith("checked in:")
        for code in take(4):
            assert b.scan(code).startswith("checked in:")
        # Desk B is killed with its check-ins waiting; what it acknowledged is in its copy.
        b.kill()
        killed_said = b.said

        own_server.start()
        b = Desk(own_server.url, "Desk B", offline_dir, acknowledged)  # sends what waits at its start
        _wait_for(lambda: any("online again" in line for line in a.said),
                  f"desk A back online (A said {a.said[-3:]}, B said {b.said[-3:]})", 90)
        for code in take(3):
            assert a.scan(code).startswith("checked in:")
        for code in take(3):
            assert b.scan(code, limit=90).startswith("checked in:")
        assert a.finish() == 0, a.said
        assert b.finish() == 0, b.said
    finally:
        for desk in (a, b):
            if desk.process.poll() is None:
                desk.kill()
        own_server.signal_all(signal.SIGCONT)

    check = open_database(own_server.url)
    try:
        with check.read() as s:
            rows = s.execute(select(Registration.badge_code, CheckIn.desk).join(CheckIn).where(
                Registration.event_id == event_id, CheckIn.action == CheckInAction.IN,
                CheckIn.desk.in_(["Desk A", "Desk B"]))).all()
            figures = participation(s, event_id)
    finally:
        check.close()
    per_desk = Counter((code, desk) for code, desk in rows)
    assert all(n == 1 for n in per_desk.values()), [k for k, n in per_desk.items() if n > 1]  # exactly once
    assert len(acknowledged) == len(set(acknowledged))  # no desk said CHECKED IN twice for one person
    assert set(acknowledged) == set(per_desk)  # nothing acknowledged is lost, nothing else was added
    assert len(rows) == len(acknowledged)
    people = {code for code, _desk in rows}
    assert figures.checked_in == before + len(people)  # two desks, one person: counted once
    conflicts = [line for line in a.said + b.said + killed_said if line.startswith("checked in at two desks")]
    assert sorted({c for c in both if any(c in line for line in conflicts)}) == sorted(both)
    assert twice_online not in " ".join(conflicts)
