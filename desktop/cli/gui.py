"""Opening the window: what ``conference-desk`` does without a command."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from desktop.cli.common import open_database


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    database = open_database(args, create_demo_if_new=True)
    from desktop.ui.shell.app import run

    return run(database, argv=[sys.argv[0]], ui_language=getattr(args, "ui_language", None))
