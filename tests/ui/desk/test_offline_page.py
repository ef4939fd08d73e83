"""The desk page on a PostgreSQL server falls back to its local copy by itself (issue 12,
part 1): opened through a proxy that can freeze (``tests.delay_proxy``: the server stops
answering, as under SIGSTOP), the desk checks people in while the server is away — the
verdicts come within a few seconds, the banner says how many wait, a name search works —
and when the server answers again the banner says they were sent, each once, and names
the person checked in at two desks meanwhile. The banner's words in en, ru and kk are
pictured on the demo desk."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, Qt, QThreadPool, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import make_url

from db.engine import Database, open_database
from db.models import CheckIn, CheckInAction, Person, Registration, Status
from desktop.core.checkin import check_ins_of
from desktop.core.desk import CheckInResult, CheckInState, check_in
from desktop.core.desk_file import Conflict, MergeReport
from desktop.core.events import event_detail, list_events
from desktop.core.language import interface_language, set_interface_language
from desktop.core.offline_desk import DeskLink
from desktop.ui.desk.page import DESK_NAME_KEY, DeskPage
from tests.delay_proxy import DelayProxy

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise|grabbing)")

SHOTS = Path(os.environ.get("CONFERENCE_DESK_SHOTS", "/tmp"))
OFFLINE_VERDICT_S = 6.0
"""How soon two scans' verdicts come once the server froze: the heartbeat gives a call up
after ~3 s without a word from the server; on a busy 2-core machine some more."""




def _free(database: Database, event_id: int, n: int) -> list[tuple[str, str]]:
    """(badge code, "Given Family") of ``n`` confirmed registrations not checked in."""
    with database.read() as s:
        rows = s.execute(select(Registration.id, Registration.badge_code, Person.given_name, Person.family_name)
                         .join(Person, Person.id == Registration.person_id)
                         .where(Registration.event_id == event_id, Registration.status == Status.CONFIRMED)
                         .order_by(Registration.id)).all()
        arrived = check_ins_of(s, [r[0] for r in rows])
    return [(code, f"{given} {family}") for rid, code, given, family in rows if rid not in arrived][:n]


def _ins(database: Database, event_id: int, code: str) -> list[str]:
    """The desks of the IN rows of the registration with ``code`` on the server."""
    with database.read() as s:
        return sorted(s.scalars(select(CheckIn.desk).join(Registration).where(
            Registration.event_id == event_id, Registration.badge_code == code,
            CheckIn.action == CheckInAction.IN)).all())


@pytest.mark.postgres
def test_the_desk_carries_on_from_its_copy_and_sends_once(demo_pg: tuple[str, int], tmp_path: Path,
                                                          qtbot: QtBot, styled_app: QApplication) -> None:
    url, event_id = demo_pg
    direct = open_database(url)
    target = make_url(url)
    proxy = DelayProxy(target.host or "127.0.0.1", target.port or 5432, reply_delay=0.0)
    server = open_database(target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    page: DeskPage | None = None
    try:
        people = _free(direct, event_id, 4)
        with direct.read() as s:
            detail = event_detail(s, event_id)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue(DESK_NAME_KEY, "Desk A")
        page = DeskPage(settings=settings)
        page.offline_folder = tmp_path / "offline"
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        page.show_event(server, detail, "en")
        live = page.live
        assert live is not None  # a desk on a server works through its link
        qtbot.waitUntil(lambda: live.copy is not None and live.link().ready, timeout=120_000)
        verdicts: list[CheckInResult] = []
        page.verdict.connect(verdicts.append)

        def scan(code: str) -> None:
            qtbot.keyClicks(page.search, code)
            qtbot.keyClick(page.search, Qt.Key.Key_Return)

        # Online: to the server, and into the copy before the verdict.
        scan(people[0][0])
        qtbot.waitUntil(lambda: len(verdicts) == 1, timeout=20_000)
        assert verdicts[0].state is CheckInState.CHECKED_IN
        assert _ins(direct, event_id, people[0][0]) == ["Desk A"]
        assert live.copy is not None and live.copy.waiting() == (0, 0)
        assert not page.offline_banner.isVisible() and not live.offline

        # The server freezes; meanwhile another desk checks person 3 in on it.
        proxy.freeze()
        started = time.monotonic()
        scan(people[1][0])
        scan(people[2][0])
        qtbot.waitUntil(lambda: len(verdicts) == 3, timeout=int(OFFLINE_VERDICT_S * 1000))
        assert time.monotonic() - started < OFFLINE_VERDICT_S
        assert [v.state for v in verdicts[1:]] == [CheckInState.CHECKED_IN] * 2
        assert live.offline
        assert "this desk's own copy" in page.state_panel.detail.text()  # the verdict says where it was made
        qtbot.waitUntil(lambda: page.offline_banner.isVisible()
                        and page.offline_banner.label.text().startswith("Offline — 2 check-ins waiting to be sent."))
        assert "people may have been checked in at other desks" in page.offline_banner.label.text()
        assert not page.offline_banner.dismiss_button.isVisible()
        page.grab().save(str(SHOTS / "desk-offline-en.png"))
        assert _ins(direct, event_id, people[1][0]) == [] and _ins(direct, event_id, people[2][0]) == []
        elsewhere = check_in(direct, event_id, people[3][0], "Desk B")
        assert elsewhere.state is CheckInState.CHECKED_IN

        # A name search works from the copy; Enter checks the chosen one in.
        code, name = people[3]
        page.search.setText(name)  # typed (keyClicks types ASCII only)
        page.search.textEdited.emit(name)
        qtbot.waitUntil(lambda: any(r.code == code for r in page.matches_model.rows()), timeout=5_000)
        row = next(i for i, r in enumerate(page.matches_model.rows()) if r.code == code)
        page.matches_view.setCurrentIndex(page.matches_model.index(row, 0))
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(verdicts) == 4, timeout=5_000)
        assert verdicts[3].state is CheckInState.CHECKED_IN and verdicts[3].code == code  # the copy did not know
        qtbot.waitUntil(lambda: page.offline_banner.label.text().startswith("Offline — 3 check-ins"))

        # The server answers again: the three are sent, each once; the two-desk person is named.
        proxy.thaw()
        qtbot.waitUntil(lambda: not live.offline and page.offline_banner.label.text().startswith(
            "Back online — 3 check-ins sent."), timeout=60_000)
        text = page.offline_banner.label.text()
        assert f"Checked in at two desks: {verdicts[3].name} (Desk A " in text and ", Desk B " in text
        assert page.offline_banner.dismiss_button.isVisible()
        for done in people[:3]:
            assert _ins(direct, event_id, done[0]) == ["Desk A"]  # exactly once
        assert _ins(direct, event_id, code) == ["Desk A", "Desk B"]  # both kept
        page.grab().save(str(SHOTS / "desk-back-online-en.png"))
        qtbot.wait(4500)  # a refresh or two later, the word is still there: it waits to be dismissed
        assert page.offline_banner.isVisible() and page.offline_banner.label.text() == text
        qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # Esc on the empty field dismisses it
        assert not page.offline_banner.isVisible()
    finally:
        proxy.thaw()
        if page is not None:
            page.hide()
            page.finish_queued()
            QThreadPool.globalInstance().waitForDone(30_000)
        proxy.close()
        server.close()
        direct.close()


@pytest.fixture(params=["en", "ru", "kk"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = interface_language()
    set_interface_language(request.param)
    translator = QTranslator()
    translator.load(f"qtbase_{request.param}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    QCoreApplication.installTranslator(translator)
    try:
        yield request.param
    finally:
        QCoreApplication.removeTranslator(translator)
        set_interface_language(before)


def test_the_banner_speaks_the_interface_language(lang: str, styled_app: QApplication, demo_db: Database,
                                                  settings: QSettings, qtbot: QtBot, tmp_path: Path) -> None:
    """The banner and the offline verdict's note on the demo desk (a SQLite file: no link of
    its own; the links are given to the banner as the page's link would)."""
    settings.setValue(DESK_NAME_KEY, "Entrance A")
    page = DeskPage(settings=settings)
    qtbot.addWidget(page)
    with demo_db.read() as s:
        detail = event_detail(s, list_events(s)[0].id)
        code = s.scalars(select(Registration.badge_code).where(Registration.status == Status.CONFIRMED)
                         .order_by(Registration.id)).first()
    assert code
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.show_event(demo_db, detail, lang)
    assert page.live is None and not page.offline_banner.isVisible()  # a SQLite desk needs none
    verdicts: list[CheckInResult] = []
    page.verdict.connect(verdicts.append)
    qtbot.keyClicks(page.search, code)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(verdicts) == 1)
    result = verdicts[0]

    at = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=7)
    page.state_panel.add_offline_note(page._when(at))
    page.offline_banner.show_link(DeskLink(True, 3, at))
    offline = page.offline_banner.label.text()
    assert page.offline_banner.isVisible() and "3" in offline and page._when(at) in offline
    page.grab().save(str(SHOTS / f"desk-offline-{lang}.png"))

    conflict = Conflict(result.name, result.code or "", "Entrance A", at + dt.timedelta(minutes=2), "Entrance B",
                        at + dt.timedelta(minutes=1))
    report = MergeReport(tmp_path / "copy.deskdb", 1, {}, new_check_ins=3, conflicts=[conflict])
    page.offline_banner.show_link(DeskLink(True, 0, at, sent=report))
    page.offline_banner.show_link(DeskLink(False, 0, at))
    back = page.offline_banner.label.text()
    assert page.offline_banner.isVisible() and page.offline_banner.dismiss_button.isVisible()
    assert back != offline and result.name in back and "Entrance B" in back
    if lang != "en":
        assert "Back online" not in back and "Offline" not in offline and "Dismiss" not in \
            page.offline_banner.dismiss_button.text()
    page.grab().save(str(SHOTS / f"desk-back-online-{lang}.png"))
    page.offline_banner.dismiss_button.click()
    assert not page.offline_banner.isVisible()
