"""Start-up: process start → main window shown on the demo database (issue 13: ≤ 1.2×).

Times whole processes, interleaved, N runs each (after one warm-up run of each):

  (a) the bare libraries: ``python -c "import PySide6.QtWidgets, sqlalchemy.orm"``;
  (b) the app as a user starts it, ``python -m desktop --db DEMO.sqlite``, on a demo
      database made once beforehand: the moment its main window is on screen (it opens
      the database in the background after that), and
  (c) the moment the database is open and the first section shows the event (the window
      then quits: ``CONFERENCE_DESK_EXIT_WHEN_SHOWN``, see ``desktop/ui/shell/app.py``).

All report the time from the launcher's ``time.time()`` to the point reached (imports
done; window shown; event shown), so interpreter teardown is left out. Prints the medians,
the ratio (b)/(a) against the 1.2× target and (c)/(a) beside it, and the whole-process
ratio for information.
Settings go to a temporary folder, never the user's. Not part of the test suite's pass/fail: the exit
status is 1 only when the app failed to start.

    QT_QPA_PLATFORM=offscreen python tests/bench/startup.py [-n 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 1.2
BASELINE = "import PySide6.QtWidgets, sqlalchemy.orm"


def environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["XDG_CONFIG_HOME"] = str(tmp / "config")  # QSettings of the bench, not the user's
    env.pop("CONFERENCE_DESK_DB", None)
    return env


# The baseline reports, like the app, the time from the launcher's clock to the point
# reached: here, the two imports done.
BASELINE_PROBE = (
    "import os, time\n"
    f"{BASELINE}\n"
    "print(f'done {time.time() - float(os.environ[\"CD_LAUNCHED\"]):.4f}', flush=True)\n"
)


def time_baseline(env: dict[str, str]) -> tuple[float, float]:
    """(whole process, start → imports done), in seconds."""
    env = dict(env)
    env["CD_LAUNCHED"] = repr(time.time())
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BASELINE_PROBE], env=env, check=True,
                          capture_output=True, text=True)
    whole = time.perf_counter() - start
    return whole, float(done.stdout.split()[1])


def time_app(env: dict[str, str], database: Path) -> tuple[float, float, float]:
    """(whole process, start → shown, start → ready, as the app reports them), in seconds."""
    env = dict(env)
    env["CONFERENCE_DESK_EXIT_WHEN_SHOWN"] = repr(time.time())
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "desktop", "--db", str(database)],
                          env=env, capture_output=True, text=True, check=False)
    whole = time.perf_counter() - start
    said = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("shown ", "ready ")))
    if done.returncode != 0 or set(said) != {"shown", "ready"}:
        sys.exit(f"the app did not start (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    return whole, float(said["shown"]), float(said["ready"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=7, help="timed runs of each (default 7)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cd-bench-") as folder:
        tmp = Path(folder)
        env = environment(tmp)
        database = tmp / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "desktop", "--db", str(database), "demo"],
                       env=env, check=True, capture_output=True)

        time_baseline(env)  # warm-up: file caches, .pyc files
        time_app(env, database)
        base_whole: list[float] = []
        base_done: list[float] = []
        app_whole: list[float] = []
        app_shown: list[float] = []
        app_ready: list[float] = []
        for _ in range(args.runs):
            whole, done = time_baseline(env)
            base_whole.append(whole)
            base_done.append(done)
            whole, shown, ready = time_app(env, database)
            app_whole.append(whole)
            app_shown.append(shown)
            app_ready.append(ready)

    ratio = statistics.median(app_shown) / statistics.median(base_done)
    ready_ratio = statistics.median(app_ready) / statistics.median(base_done)
    whole_ratio = statistics.median(app_whole) / statistics.median(base_whole)

    def row(label: str, values: list[float]) -> str:
        return (f"  {label:<44} median {statistics.median(values) * 1000:6.0f} ms   "
                f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")

    print(f"Start-up, {args.runs} runs each, whole processes, Python {sys.version.split()[0]}")
    print(row("(a) start → PySide6.QtWidgets, sqlalchemy.orm imported", base_done))
    print(row("(b) start → main window shown on the demo", app_shown))
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"  ratio (b)/(a) = {ratio:.2f}×   target ≤ {TARGET}×: {verdict}")
    print(row("(c) start → the event shown (database open)", app_ready))
    print(f"  ratio (c)/(a) = {ready_ratio:.2f}× (the database opens after the window is shown)")
    print(row("(a') the bare imports, whole process with exit", base_whole))
    print(row("(b') the app, whole process with exit", app_whole))
    print(f"  whole-process ratio (b')/(a') = {whole_ratio:.2f}× (for information)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
