"""Bundled resources: icons, fonts (with their licence) and demo data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``path("icons", "agenda.svg")``."""
    return ROOT.joinpath(*parts)
