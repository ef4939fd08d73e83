"""Commands of the registration desk: ``check-in CODE [--event ID] [--desk NAME]`` and
``scan`` (a desk without a window: one badge code a line on its input).

The same core as desk mode (``desktop.core.desk.check_in``): the check-in is committed
before the line saying so is printed. ``check-in``'s exit status is 0 when the person is in
(checked in now or before), 1 when not (unknown code, cancelled or declined registration).

``scan`` reads codes as a keyboard-wedge scanner types them (or a program writes them), one
a line, and prints one verdict a line, in order. On a PostgreSQL server it is a desk that
never stops (``desktop.core.offline_desk``): when the server stops answering it carries on
from its local copy, says so on stderr, and sends what it did once the server answers
again; at the end of its input it waits (``--wait``) for that, and what is still waiting
then is sent at its next start (exit status 1 says so).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from desktop.cli.common import (
    EXIT_OK,
    DataError,
    UsageError,
    chosen_event_id,
    db_option,
    event_option,
    lang_option,
    open_database,
)
from desktop.core.language import _, n_

if TYPE_CHECKING:
    from desktop.core.offline_desk import DeskLink


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's commands to the parser of ``desktop.cli``."""
    p = sub.add_parser(
        "check-in", help=_("check a person in by their badge code"),
        description=_("Check in the person whose badge code is CODE (as printed or scanned; case, "
                      "spaces and dashes do not matter). Prints who was checked in, or when and at "
                      "which desk they were checked in before (exit status 0); an unknown code or a "
                      "cancelled registration is one line on stderr (exit status 1)."))
    db_option(p)
    p.add_argument("code", metavar="CODE", help=_("the badge code"))
    event_option(p)
    p.add_argument("--desk", metavar="NAME", default=None,
                   help=_("the desk's name, recorded with the check-in (default: this computer's name)"))
    lang_option(p, _("the language of names and organisations (default: en; a missing translation falls "
                     "back)"))
    p.set_defaults(func=cmd_check_in)

    p = sub.add_parser(
        "scan", help=_("a desk without a window: check in the badge codes read from standard input"),
        description=_("Check in each badge code read from standard input (one a line, as a scanner types "
                      "them) and print one verdict a line. On a PostgreSQL server, when the server stops "
                      "answering the desk carries on from its local copy and sends its check-ins when the "
                      "server answers again, exactly once."))
    db_option(p)
    event_option(p)
    p.add_argument("--desk", metavar="NAME", default=None,
                   help=_("the desk's name, recorded with the check-ins (default: this computer's name)"))
    p.add_argument("--wait", metavar="SECONDS", type=float, default=60.0,
                   help=_("at the end of the input, how long to wait for check-ins made offline to be sent "
                          "(default: 60)"))
    lang_option(p, _("the language of names and organisations (default: en; a missing translation falls "
                     "back)"))
    p.set_defaults(func=cmd_scan)


def cmd_check_in(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.desk import CheckInState, DeskError, check_in, clean_desk_name, default_desk_name

    try:
        desk = clean_desk_name(args.desk if args.desk is not None else default_desk_name())
    except DeskError as exc:
        raise UsageError(str(exc)) from None
    if not args.code.strip():
        raise UsageError(_("CODE is empty: give the badge code to check in"))
    database = open_database(args)
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        result = check_in(database, event_id, args.code, desk, lang=args.lang)
    finally:
        database.close()
    if result.state in (CheckInState.NOT_REGISTERED, CheckInState.CANCELLED):
        raise DataError(result.message)
    print(result.message, file=out, flush=True)
    return EXIT_OK


def _say_link(link: DeskLink, err: TextIO) -> None:
    """The desk's state on stderr, one line (and one a conflict)."""
    if link.problem:
        print(link.problem, file=err, flush=True)
    if link.sent is not None:
        sent = link.sent.new_check_ins
        print(n_("online again: {n} check-in sent to the server", "online again: {n} check-ins sent to the server",
                 sent).format(n=sent), file=err, flush=True)
        for change in link.sent.codes_changed:
            # Translators: a walk-in made offline whose badge code another registration took meanwhile.
            print(_("new badge code for {name}: {old} is now {new}; print the badge again").format(
                name=change.name, old=change.desk_code, new=change.new_code), file=err, flush=True)
        for c in link.sent.conflicts:
            # Translators: a person checked in at this desk while offline and at another desk too.
            print(_("checked in at two desks: {name} (badge {code}): {desk} and {other}").format(
                name=c.name, code=c.code, desk=c.desk, other=c.other_desk), file=err, flush=True)
    elif link.offline and link.ready:
        print(n_("offline: {n} check-in waiting to be sent", "offline: {n} check-ins waiting to be sent",
                 link.waiting).format(n=link.waiting), file=err, flush=True)


def cmd_scan(args: argparse.Namespace, out: TextIO) -> int:
    import sys
    import threading
    import time

    from desktop.core.desk import CheckInState, DeskError, clean_desk_name, default_desk_name
    from desktop.core.offline_desk import LiveDesk, ServerAway, check_in_job

    try:
        desk = clean_desk_name(args.desk if args.desk is not None else default_desk_name())
    except DeskError as exc:
        raise UsageError(str(exc)) from None
    if args.wait < 0:
        raise UsageError(_("--wait must be 0 or more seconds"))
    database = open_database(args)
    live: LiveDesk | None = None
    said = threading.Lock()
    last: list[tuple[bool, int]] = []
    try:
        with database.read() as session:
            event_id = chosen_event_id(args, session)
        if database.dialect == "postgresql":
            live = LiveDesk(database, event_id, None, desk)

            def tell(link: DeskLink) -> None:
                key = (link.offline, link.waiting)
                with said:
                    if link.sent is None and not link.problem and last and last[-1] == key:
                        return
                    last.append(key)
                    _say_link(link, sys.stderr)

            live.watch(tell)
            live.start(wait=True)
        for line in iter(sys.stdin.readline, ""):
            code = line.strip()
            if not code:
                continue
            job = check_in_job(code, desk, args.lang)
            if live is None:
                result = job(database, event_id)
                offline = False
            else:
                try:
                    answer = live.call(job, on_server=live.record)
                except ServerAway as exc:  # no copy yet to carry on with: this code's line says so
                    print(str(exc), file=out, flush=True)
                    continue
                result, offline = answer.value, answer.offline
            message = result.message
            if offline and result.state is CheckInState.CHECKED_IN:
                since = live.link().refreshed_at if live is not None else None
                if since is not None:
                    # Translators: after "checked in: …" when the desk works on its local copy;
                    # {time} is when it last heard from the server (HH:MM, this computer's time).
                    message += " " + _("(offline: they may have been checked in at another desk since {time})").format(
                        time=since.astimezone().strftime("%H:%M"))
                else:
                    # Translators: after "checked in: …" when the desk works on its local copy.
                    message += " " + _("(offline: they may have been checked in at another desk meanwhile)")
            print(message, file=out, flush=True)
        if live is None:
            return EXIT_OK
        deadline = time.monotonic() + args.wait
        while time.monotonic() < deadline and (live.offline or live.link().waiting):
            time.sleep(0.1)
        waiting = live.link().waiting
        if live.offline or waiting:
            raise DataError(n_(
                "{n} check-in is waiting in the desk's local copy; it will be sent at the next start.",
                "{n} check-ins are waiting in the desk's local copy; they will be sent at the next start.",
                waiting).format(n=waiting))
        return EXIT_OK
    finally:
        if live is not None:
            live.close()
        database.close()
