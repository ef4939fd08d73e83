"""Start-up of the bundle (``make dist``) against the .venv: process start → window shown, and →
its database ready, on the same demo database, interleaved, N runs each after a warm-up.

    QT_QPA_PLATFORM=offscreen python tests/bench/bundle_startup.py [--bundle PATH] [-n 7]

``--bundle``: the bundle's ``conference-desk`` (default: the one in dist/). The bundle runs
with ``PATH=/usr/bin:/bin`` and no PYTHONPATH, as an organiser's machine runs it; settings go to
a temporary folder. Prints the medians and the ratios bundle/.venv. Not part of the suite.
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


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    env = dict(env, CONFERENCE_DESK_EXIT_WHEN_SHOWN=repr(time.time()))
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    said = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("shown ", "ready ")))
    if done.returncode != 0 or set(said) != {"shown", "ready"}:
        sys.exit(f"{argv[0]} did not start (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    return float(said["shown"]), float(said["ready"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=None)
    parser.add_argument("-n", type=int, default=7)
    args = parser.parse_args()
    bundle = args.bundle or next(iter(sorted(ROOT.glob("dist/conference-desk-*/app/conference-desk"))), None)
    if bundle is None or not bundle.is_file():
        sys.exit("no bundle: run `make dist` or give --bundle PATH")
    with tempfile.TemporaryDirectory() as tmp:
        base = {"HOME": tmp, "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": f"{tmp}/config"}
        venv_env = dict(os.environ, **base, PYTHONPATH=str(ROOT))
        venv_env.pop("CONFERENCE_DESK_DB", None)
        bundle_env = dict(base, PATH="/usr/bin:/bin")
        demo = Path(tmp) / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "desktop", "--db", str(demo), "demo"], env=venv_env, check=True,
                       capture_output=True)
        runs = {"venv": [sys.executable, "-m", "desktop", "--db", str(demo)],
                "bundle": [str(bundle), "--db", str(demo)]}
        envs = {"venv": venv_env, "bundle": bundle_env}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for name in runs:  # warm-up: the files in the page cache
            timed(runs[name], envs[name])
        for _ in range(args.n):
            for name in runs:
                times[name].append(timed(runs[name], envs[name]))
    medians = {name: (statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts))
               for name, ts in times.items()}
    for name, (shown, ready) in medians.items():
        print(f"{name:7} shown {shown:.3f} s, ready {ready:.3f} s (median of {args.n})")
    print(f"bundle/venv: shown {medians['bundle'][0] / medians['venv'][0]:.2f}x, "
          f"ready {medians['bundle'][1] / medians['venv'][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
