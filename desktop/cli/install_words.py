"""What the installer says (``resources/packaging/install.sh``), in the interface language.

install.sh is a shell script: it asks the bundled program for its sentences
(``conference-desk --install-says KEY [VALUE]``, answered by the bundle's entry point before
the command line is parsed), so that installing speaks the organiser's language as the rest
of the command line does (``CONFERENCE_DESK_UI_LANGUAGE``, else the system's).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from desktop.core.language import _, choose_interface_language, speaking

SAY_OPTION = "--install-says"
"""The bundle's entry point answers a command line that starts with it (``say``)."""


def sentence(key: str, value: str = "") -> str | None:
    """The sentence ``key`` (with ``value`` in it), in the current language; None for a key
    install.sh does not use."""
    if key == "installed":
        # Translators: install.sh, once installed; {path} is the command it made.
        return _("Conference Desk is installed: {path}").format(path=value)
    if key == "not-on-path":
        # Translators: install.sh; {folder} is the folder of the command it made.
        return _("({folder} is not on your PATH: start it from the applications menu, or by its full "
                 "path.)").format(folder=value)
    if key == "to-remove":
        # Translators: install.sh; {command} is the command that uninstalls.
        return _("To remove it: {command}").format(command=value)
    if key == "uninstalled":
        return _("Conference Desk is uninstalled. Your databases and settings were kept.")
    if key == "unknown-option":
        # Translators: install.sh was given an option it does not know ({option}).
        return _("install.sh: unknown option {option} (use --uninstall, or no option to install)").format(
            option=value)
    return None


def say(arguments: Sequence[str], out: TextIO | None = None) -> int:
    """Print the sentence ``arguments`` name (KEY [VALUE]); exit status 2 for an unknown key."""
    key, value = (list(arguments) + ["", ""])[:2]
    with speaking(choose_interface_language(None, os.environ)):
        text = sentence(key, value)
    if text is None:
        return 2
    print(text, file=out or sys.stdout)
    return 0


__all__ = ["SAY_OPTION", "say", "sentence"]
