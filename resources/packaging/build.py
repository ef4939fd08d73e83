"""``make dist``: the application folder (PyInstaller), and the tarball an organiser installs.

    python resources/packaging/build.py

1. writes the build's facts (version, date, commit) to ``build/packaging/build_info.json``,
   which the spec puts in the bundle as ``desktop/build_info.json`` (``desktop.build_info``);
2. runs PyInstaller on ``resources/packaging/conference-desk.spec``, then (Linux) cuts both
   ICU data libraries down to the items the app uses (``icu_data.py``);
3. lays out ``dist/conference-desk-VERSION-linux-x86_64/`` — ``app/`` (the bundle),
   ``install.sh``, ``conference-desk.desktop``, the MIME type of ``.deskdb`` and the icon — and
   packs it as ``dist/conference-desk-VERSION-linux-x86_64.tar.gz``;
4. prints the sizes (unpacked, packed) and the build's time.

Only the tarball's layout is Linux's; the spec itself builds on Windows and macOS too.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = ROOT / "build" / "packaging"
DIST = ROOT / "dist"
APP = "conference-desk"
PACKAGING_FILES = ("install.sh", "conference-desk.desktop", "conference-desk-mime.xml")


def version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("build: no __version__ in desktop/__init__.py")


def git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def write_build_info(path: Path, ver: str) -> dict[str, str | None]:
    commit = git("rev-parse", "--short=10", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        commit += "-modified"  # built from a checkout with uncommitted changes
    info = {"version": ver, "commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def machine() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def main() -> int:
    started = time.monotonic()
    ver = version()
    info = write_build_info(BUILD / "build_info.json", ver)
    print(f"build: Conference Desk {ver}, commit {info['commit'] or '(no git)'}, {info['date']}", flush=True)

    env = dict(os.environ, CONFERENCE_DESK_BUILD_INFO=str(BUILD / "build_info.json"))
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
                    str(HERE / "conference-desk.spec")], cwd=ROOT, env=env, check=True)
    if sys.platform.startswith("linux"):  # ICU's data cut to what the app uses (icu_data.py; binutils)
        sys.path.insert(0, str(HERE))
        from icu_data import trim_all

        for line in trim_all(BUILD / "dist" / APP):
            print(f"build: ICU data {line}", flush=True)
    bundled = time.monotonic()

    name = f"{APP}-{ver}-{machine()}"
    stage = DIST / name
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    shutil.copytree(BUILD / "dist" / APP, stage / "app", symlinks=True)
    for file in PACKAGING_FILES:
        shutil.copy2(HERE / file, stage / file)
    (stage / "install.sh").chmod(0o755)
    shutil.copy2(ROOT / "resources" / "icons" / "app.svg", stage / "conference-desk.svg")
    (stage / "VERSION").write_text(json.dumps(info) + "\n", encoding="utf-8")

    tarball = DIST / f"{name}.tar.gz"
    tarball.unlink(missing_ok=True)
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:  # -9: 0.4 % smaller, three times slower
        tar.add(stage, arcname=name)
    done = time.monotonic()

    print(f"build: bundle {stage.relative_to(ROOT)}: {megabytes(folder_size(stage))} unpacked")
    print(f"build: tarball {tarball.relative_to(ROOT)}: {megabytes(tarball.stat().st_size)} packed")
    print(f"build: time {done - started:.0f} s (PyInstaller {bundled - started:.0f} s, packing {done - bundled:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
