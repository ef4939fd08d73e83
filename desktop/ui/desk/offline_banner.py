"""The desk's banner about its server (issue 12, part 1): a desk on PostgreSQL carries on
from its local copy when the server stops answering (``desktop.core.offline_desk``), and
this banner says so — how many check-ins wait to be sent and when the copy last heard from
the server — and, once the server answers again, how many were sent and who was checked in
at two desks meanwhile. That last word stays until it is dismissed (its button, or Esc on
the empty field): a conflict must be seen by someone.

``notice_frame`` is the yellow notice of the desk page (the desk's name to keep, the
print-again question, this banner).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from desktop.core import formats
from desktop.core.language import _, n_
from desktop.ui.shell import style

if TYPE_CHECKING:  # the core of offline desks is imported when a desk on a server needs it
    from desktop.core.desk_file import CodeChange, Conflict, MergeReport
    from desktop.core.offline_desk import DeskLink


def notice_frame(name: str) -> QFrame:
    """A yellow notice on the desk page (the desk's name to keep, a badge printed before):
    the demo banner's colours in a rounded frame."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(notice_style(name))
    return frame


def notice_style(name: str) -> str:
    """The style sheet of the notice frame named ``name``."""
    return (f"QFrame#{name} {{ background: {style.DEMO_BG}; border: 1px solid #ecd58a; border-radius: 8px; }}"
            f"QFrame#{name} QLabel {{ color: {style.DEMO_INK}; }}")


def offline_text(waiting: int, since: str | None) -> str:
    """"Offline — 3 check-ins waiting to be sent. The server has not answered since 10:42; …"."""
    # Translators: the desk's banner while its server does not answer; {n} how many check-ins wait.
    head = n_("Offline — {n} check-in waiting to be sent.", "Offline — {n} check-ins waiting to be sent.",
              waiting).format(n=formats.number(waiting))
    if since:
        # Translators: {time} is HH:MM (a date before it when not today).
        tail = _("The server has not answered since {time}; people may have been checked in at other desks "
                 "since.").format(time=since)
    else:
        tail = _("The server does not answer; people may have been checked in at other desks meanwhile.")
    return f"{head} {tail}"


def sent_text(sent: int) -> str:
    """"Back online — 3 check-ins sent."."""
    return n_("Back online — {n} check-in sent.", "Back online — {n} check-ins sent.", sent).format(
        n=formats.number(sent))


def conflicts_text(conflicts: list[Conflict], when: Callable[[dt.datetime], str]) -> str:
    """"Checked in at two desks: Name (Desk A 10:41, Desk B 10:43)"; "" when none."""
    if not conflicts:
        return ""
    people = "; ".join(
        f"{c.name} ({c.desk} {when(c.desk_at)}, {c.other_desk} {when(c.other_at)})" for c in conflicts)
    # Translators: {people} lists people with the two desks and times, "Name (Desk A 10:41, Desk B 10:43)".
    return _("Checked in at two desks: {people}").format(people=people)


def codes_text(changes: list[CodeChange]) -> str:
    """"New badge codes: Name (ABC123 is now XYZ789): print their badges again"; "" when none."""
    if not changes:
        return ""
    people = "; ".join(_("{name} ({old} is now {new})").format(name=c.name, old=c.desk_code, new=c.new_code)
                       for c in changes)
    # Translators: walk-ins made offline whose badge code another registration took meanwhile;
    # {people} lists "Name (ABC123 is now XYZ789)".
    return _("New badge codes: {people}. Print their badges again.").format(people=people)


class OfflineBanner(QFrame):
    """The banner (see the module docstring). ``show_link`` with each ``DeskLink``;
    ``dismissed`` when the person closed the back-online word."""

    dismissed = Signal()

    def __init__(self, when: Callable[[dt.datetime], str]) -> None:
        super().__init__()
        self.setObjectName("deskOfflineBanner")
        self.setStyleSheet(notice_style("deskOfflineBanner"))
        self._when = when
        self.label = QLabel()
        self.label.setObjectName("deskOfflineText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setFont(style.scaled_font(self.font(), 1.15))
        self.dismiss_button = QPushButton(_("Dismiss"))
        self.dismiss_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.reset()

    def reset(self) -> None:
        """Another database, event or desk: nothing to say yet."""
        self._link: DeskLink | None = None
        self._waiting_seen = 0
        self._sent = 0
        self._conflicts: list[Conflict] = []
        self._codes: list[CodeChange] = []
        self._reported = False
        self._show()

    @property
    def held(self) -> bool:
        """Whether a back-online word is shown, kept until dismissed."""
        return self._reported

    def show_link(self, link: DeskLink) -> None:
        if link.sent is not None:
            self._take(link.sent, link.waiting)
        if link.offline:
            self._waiting_seen = max(self._waiting_seen, link.waiting) if link.sent is None else link.waiting
        self._link = link
        self._show()

    def _take(self, report: MergeReport, waiting_now: int) -> None:
        sent = max(0, self._waiting_seen - waiting_now) or report.new_check_ins
        self._sent += sent
        known = {(c.code, c.desk_at, c.other_desk) for c in self._conflicts}
        self._conflicts += [c for c in report.conflicts if (c.code, c.desk_at, c.other_desk) not in known]
        self._codes += [c for c in report.codes_changed if c not in self._codes]
        self._reported = True

    def dismiss(self) -> None:
        self._sent, self._conflicts, self._codes, self._reported = 0, [], [], False
        self._show()
        self.dismissed.emit()

    def _show(self) -> None:
        link = self._link
        lines: list[str] = []
        back = False
        if link is not None and link.ready:
            if link.offline and (link.waiting or not self._reported):
                refreshed = link.refreshed_at
                lines.append(offline_text(link.waiting, self._when(refreshed) if refreshed is not None else None))
            elif self._reported:
                back = True
                lines.append(sent_text(self._sent))
        if self._reported and self._conflicts:
            lines.append(conflicts_text(self._conflicts, self._when))
        if self._reported and self._codes:
            lines.append(codes_text(self._codes))
        if link is not None and link.problem:
            lines.append(link.problem)
        self.label.setText("\n".join(lines))
        self.dismiss_button.setVisible(self._reported)
        self.back_online = back
        self.setAccessibleName(self.label.text())
        self.setVisible(bool(lines))


__all__ = ["OfflineBanner", "codes_text", "conflicts_text", "notice_frame", "notice_style", "offline_text", "sent_text"]
