"""Fixtures for the core tests: a database holding the demo event (on each backend)."""

from __future__ import annotations

import pytest

from db.engine import Database
from desktop.core.demo import create_demo


@pytest.fixture
def demo(database: Database) -> tuple[Database, int]:
    """The demo round table, freshly created: (database, event id)."""
    return database, create_demo(database)
