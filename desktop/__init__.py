"""Conference Desk: the desktop application (ui), the command line, core rules and exports."""

from __future__ import annotations

__version__ = "0.1.0"

# What ``build_info()`` says. A bundle (``make dist``) carries ``desktop/build_info.json``,
# written by resources/packaging/build.py; a developer's checkout has none and asks git.
_BUILD_INFO = "build_info.json"


class BuildInfo:
    """The version of this program, and where it came from: ``built`` is True in a bundle
    (``date`` is then the build's, an ISO 8601 UTC time); in a developer's checkout ``commit``
    and ``date`` are git's last commit (None without git)."""

    __slots__ = ("version", "commit", "date", "built")

    def __init__(self, version: str, commit: str | None, date: str | None, built: bool) -> None:
        self.version, self.commit, self.date, self.built = version, commit, date, built

    def __repr__(self) -> str:
        return f"BuildInfo({self.version!r}, {self.commit!r}, {self.date!r}, built={self.built})"


def build_info() -> BuildInfo:
    """This program's ``BuildInfo``; asks git at most once a call (not at import: start-up)."""
    import json
    from pathlib import Path

    here = Path(__file__).resolve().parent
    try:
        data = json.loads((here / _BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        return BuildInfo(str(data.get("version") or __version__), data.get("commit") or None,
                         data.get("date") or None, built=True)
    commit, date = _git_head(here.parent)
    return BuildInfo(__version__, commit, date, built=False)


def _git_head(root: object) -> tuple[str | None, str | None]:
    """(short commit, its ISO date) of the checkout at ``root``; (None, None) when it is no
    git checkout or git is missing."""
    import os
    import subprocess

    if not os.path.exists(os.path.join(str(root), ".git")):
        return None, None
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %cI"], capture_output=True,
                              text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None, None
    commit, _space, date = done.stdout.strip().partition(" ")
    return (commit or None), (date or None)


def build_sentence(info: BuildInfo | None = None) -> str:
    """Where this program came from, in the interface language: a build's date and commit,
    or that it is a developer's checkout (with git's commit when there is one)."""
    from datetime import datetime

    from desktop.core import formats
    from desktop.core.language import _

    info = info or build_info()
    shown = None
    if info.date:
        try:
            shown = formats.date(datetime.fromisoformat(info.date.replace("Z", "+00:00")).date())
        except ValueError:
            shown = info.date
    if info.built:
        # Translators (About, --version): {date} is the day the bundle was built, {commit} git's short hash.
        return _("Build of {date}, commit {commit}").format(date=shown or "?", commit=info.commit or "?")
    if info.commit:
        # Translators (About, --version): run from source code, not from a built bundle; {commit} is git's hash.
        return _("Not a build: a developer's checkout at commit {commit} of {date}").format(
            commit=info.commit, date=shown or "?")
    return _("Not a build: a developer's checkout")
