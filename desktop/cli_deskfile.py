"""Commands of the ``conference-desk`` line: see add_parsers."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
