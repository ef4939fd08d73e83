"""The window's head start: the Registrations list's module loaded and its first
statements compiled in a thread (``desktop.ui.shell.ahead``)."""

from __future__ import annotations

import sys

import desktop.core.registrations as registrations
from desktop.core.registrations import RegistrationFilter, RegistrationSort
from desktop.ui.shell.ahead import prepare_sections


def test_the_lists_statements_are_compiled_ahead() -> None:
    registrations._plan.cache_clear()  # noqa: SLF001
    registrations._view_of.cache_clear()  # noqa: SLF001
    thread = prepare_sections("sqlite", "kk")
    thread.join(30)
    assert not thread.is_alive()
    assert "desktop.ui.registrations.page" in sys.modules
    for flt in (RegistrationFilter(), RegistrationFilter(checked_in=True)):
        shape = registrations._view_of("sqlite", 0, flt, RegistrationSort(), "kk").shape  # noqa: SLF001
        hits = registrations._plan.cache_info().hits  # noqa: SLF001
        registrations._plan(shape)  # noqa: SLF001
        assert registrations._plan.cache_info().hits == hits + 1  # noqa: SLF001 - compiled already


def test_a_failure_ahead_is_only_a_lost_head_start() -> None:
    thread = prepare_sections("no such dialect", "en")
    thread.join(30)
    assert not thread.is_alive()
