"""Work done ahead, in a thread, once the window is up: what the first visit of a section
would otherwise make the user wait for.

At 100,000 registrations the first switch to Registrations cost ~0.4 s beyond reading the
list: loading the section's module (~0.09 s) and configuring the ORM's models and compiling
the list's statements (~0.12 s; ``desktop.core.registrations.prepare``); People's and the
Desk's modules are loaded too. A thread does both
while the user looks at the first section. It only gives a head start: the section does
the same itself when shown first (an import or a compile under way is waited for, not
repeated), so nothing depends on the thread having finished, or succeeded.
"""

from __future__ import annotations

import threading


def prepare_sections(dialect: str, lang: str) -> threading.Thread:
    """Start loading and compiling ahead (see the module docstring); the thread."""

    def work() -> None:
        try:
            import desktop.ui.desk.page  # noqa: F401 - loaded, for the first switch to each section
            import desktop.ui.people.page  # noqa: F401
            import desktop.ui.registrations.page  # noqa: F401
            from desktop.core import registrations

            registrations.prepare(dialect, lang)
        except Exception:  # noqa: BLE001, S110 - a head start only: the section does it itself
            pass

    thread = threading.Thread(target=work, name="prepare-sections", daemon=True)
    thread.start()
    return thread


__all__ = ["prepare_sections"]
