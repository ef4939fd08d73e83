"""An editor that saves from inside: Save makes the edit while the dialog is still open, and
the dialog closes only once the edit landed.

Why: an edit may meet a field someone else changed meanwhile (issue 15); ``Edits`` then asks
which value to keep, and Cancel there saves nothing. Had the editor closed before its edit
ran, the user's typing would be gone with it. So the section that opens an editor gives it
the edit to make (``SaveInside.make``: runs it through the window's ``Edits`` and says
whether it landed), and the editor's ``accept`` closes only when ``SaveInside.run`` says so:
after a Cancel at the question, or a save the database refused (the window has told why),
the editor stays open with what the user typed, to be saved again or cancelled.

The edit is made once per landed save, so it is one entry on the undo stack as before.
"""

from __future__ import annotations

from collections.abc import Callable


class SaveInside:
    """What an editor's Save does before the editor closes (see the module's docstring).

    ``make`` is set by the section that opens the editor: it makes the edit and returns
    whether it landed (True also when there was nothing to change). Without one (an editor
    used on its own) the editor just closes.
    """

    def __init__(self) -> None:
        self.make: Callable[[], bool] | None = None
        self.running = False

    def run(self) -> bool:
        """Make the edit; whether the editor may close now. A second Save while the first
        is still asking which value to keep is ignored (False)."""
        if self.running:
            return False
        if self.make is None:
            return True
        self.running = True
        try:
            return self.make()
        finally:
            self.running = False


__all__ = ["SaveInside"]
