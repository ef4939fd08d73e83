"""Core's shared sentences in Russian and Kazakh: the field checks (e-mail, country, phone,
photos and logos, lengths), the database's and the system's errors (desktop/core/errors.py,
db/engine.py's DatabaseError) and the atomic writer's (desktop/core/files.py).

Each sentence is made in English and then in the language asked for; the translation must
differ from the English, be written in Cyrillic, and hold no English word of its own (the
words it was given — a path, an address — and names such as PNG or PostgreSQL apart).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from db.engine import DatabaseError, open_database
from desktop.core.checks import (
    MAX_PHOTO_BYTES,
    MAX_PHOTO_SIDE,
    InvalidData,
    Report,
    country_problem,
    email_problem,
    image_problem,
    length_problem,
    phone_problem,
)
from desktop.core.errors import error_sentence, reason
from desktop.core.files import atomic_file
from desktop.core.language import speaking
from tests.images import jpeg_header, png

LANGS = ("ru", "kk")
# Names and signs every language writes alike.
KEPT = {"PNG", "JPEG", "ISO", "PDF", "SQLite", "PostgreSQL", "Conference", "Desk", "Excel", "KZ", "RU", "DE",
        "MB", "URL"}
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def said(make: Callable[[], str | None], lang: str) -> str:
    with speaking(lang):
        text = make()
    assert text, "the case gives no sentence"
    return text


def check(make: Callable[[], str | None], given: str = "") -> None:
    """The sentence ``make`` gives, in English and in each language (see the docstring)."""
    english = said(make, "en")
    allowed = KEPT | set(_LATIN_WORD.findall(given))
    for lang in LANGS:
        text = said(make, lang)
        assert text != english, f"{lang}: still English: {text}"
        assert re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text), f"{lang}: {text}"
        left = [w for w in _LATIN_WORD.findall(text) if w not in allowed]
        assert not left, f"{lang}: English words {left} in {text!r}"


# -- checks -----------------------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "a" * 250 + "@example.kz", "space in@example.kz", "no-at-sign.example.kz", "a" * 65 + "@example.kz",
    ".dot@example.kz", "user@", "user@localhost", "user@example.k",
])
def test_the_e_mail_sentences(email: str) -> None:
    check(lambda: email_problem(email), email)


@pytest.mark.parametrize("code", ["K1", "ZZ"])
def test_the_country_sentences(code: str) -> None:
    check(lambda: country_problem(code), code)


@pytest.mark.parametrize("phone", ["1" * 41, "call me", "123", "12+34567"])
def test_the_phone_sentences(phone: str) -> None:
    check(lambda: phone_problem(phone), phone)


IMAGES = {
    "empty": b"",
    "large": b"\x89PNG" + b"\0" * MAX_PHOTO_BYTES,
    "neither": b"GIF89a" + b"\0" * 40,
    "no pixels": png(0, 2),
    "huge": jpeg_header(MAX_PHOTO_SIDE + 1, 10),
    "png without header": b"\x89PNG\r\n\x1a\n" + b"\0" * 20,
    "damaged jpeg": b"\xff\xd8\xff\xe0\x00\x01",
    "cut jpeg": b"\xff\xd8\xff\xe0\x00\x10" + b"\0" * 14,
}


@pytest.mark.parametrize("what", ["photo", "logo"])
@pytest.mark.parametrize("case", list(IMAGES))
def test_the_image_sentences_one_per_photo_and_logo(case: str, what: str) -> None:
    check(lambda: image_problem(IMAGES[case], what=what))
    # A photo and a logo are told apart (the noun is inflected in the translation, not glued).
    if case in ("empty", "large", "neither", "no pixels", "huge"):
        for lang in LANGS:
            assert said(lambda: image_problem(IMAGES[case], what="photo"), lang) != \
                said(lambda: image_problem(IMAGES[case], what="logo"), lang)


def test_the_length_and_report_sentences() -> None:
    check(lambda: length_problem("x" * 5, 3, "Должность"))
    check(lambda: str(InvalidData(Report())))


# -- the database's errors ----------------------------------------------------------------

@pytest.mark.parametrize("orig", [
    "database is locked", "database or disk is full", "attempt to write a readonly database",
    "UNIQUE constraint failed: person.email", "FOREIGN KEY constraint failed",
    "server closed the connection unexpectedly", "file is not a database", "something nobody expected",
])
def test_a_database_error_in_use(orig: str) -> None:
    cls = IntegrityError if "constraint" in orig else OperationalError
    exc = cls("INSERT INTO person (email) VALUES (?)", ("aigerim@example.kz",), sqlite3.OperationalError(orig))
    check(lambda: error_sentence(exc))


def _refusal(make: Callable[[], object]) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught:
        make()
    return caught.value


def test_the_database_layer_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import db.engine

    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("hello, this is not a database\n", encoding="utf-8")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    cases = [_refusal(lambda: open_database(text_file)), _refusal(lambda: open_database(damaged)),
             _refusal(lambda: open_database(tmp_path)), _refusal(lambda: open_database(tmp_path / "no" / "x.sqlite")),
             _refusal(lambda: open_database("mysql://someone@localhost/x"))]
    # A server that does not answer (nothing listens on port 1).
    refused = _refusal(lambda: open_database("postgresql://someone:secret-word@127.0.0.1:1/nothing"))
    assert refused.template == db.engine.NO_ANSWER and "secret-word" not in str(refused)
    with monkeypatch.context() as patch:
        patch.setattr(db.engine, "_mount_fstype", lambda _path: "cifs")
        shared = _refusal(lambda: open_database(tmp_path / "on-share.sqlite"))
    assert shared.template == db.engine.NETWORK_SHARE
    assert cases[1].template == db.engine.NOT_OURS and cases[0].template == db.engine.NOT_SQLITE
    for exc in [*cases, refused, shared]:
        assert "\n" not in str(exc)
        # The values the sentence was given (paths, the server) may be Latin; not the driver's words.
        given = " ".join(str(value) for key, value in exc.params.items() if key != "detail")
        check(lambda exc=exc: error_sentence(exc), given + " postgresql psycopg")


@pytest.mark.parametrize(("detail", "template"), [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication '
     'failed for user "desk"', "LOGIN_REFUSED"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  role "desk" does not exist',
     "LOGIN_REFUSED"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  database "astana" does not '
     'exist', "NO_SUCH_DATABASE"),
    ("failed to resolve host 'db.court.kz': [Errno -2] Name or service not known", "NO_ANSWER"),
    ("connection timeout expired", "NO_ANSWER"),
])
def test_what_a_server_says_is_told_in_words_of_the_language(detail: str, template: str) -> None:
    import db.engine

    target = db.engine.resolve_target("postgresql://desk:pw@10.0.0.5/astana")
    exc = db.engine.database_error(target, DBAPIError("connect", None, Exception(detail)))
    assert exc.template == getattr(db.engine, template)
    assert "pw@" not in str(exc) and detail not in str(exc)
    for lang in LANGS:  # the server's address as given, not "Postgresql+psycopg://"
        assert "postgresql+psycopg://desk:***@10.0.0.5/astana" in said(lambda: error_sentence(exc), lang)
    check(lambda: error_sentence(exc), "postgresql psycopg desk astana")


def test_a_system_error_is_told_by_its_number_not_the_c_library(tmp_path: Path) -> None:
    for code in (errno.EACCES, errno.ENOSPC, errno.EROFS, errno.ENOENT):
        check(lambda code=code: reason(OSError(code, os.strerror(code))))
    check(lambda: error_sentence(PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x.pdf"))),
          str(tmp_path / "x.pdf"))
    # A number of no known meaning keeps the system's own words.
    assert reason(OSError(999_999, "Odd failure")) == "Odd failure"
    # A file that cannot be read: the database layer's sentence with the reason in the language.
    locked = tmp_path / "locked.sqlite"
    locked.write_bytes(b"SQLite format 3\x00" + b"\0" * 100)
    exc = DatabaseError("{path} cannot be read: {reason}.", path=locked,
                        reason="Permission denied", errno=errno.EACCES)
    check(lambda: error_sentence(exc), str(locked))
    with speaking("ru"):
        assert "доступ запрещён" in error_sentence(exc)


# -- the atomic writer --------------------------------------------------------------------

class Refused(Exception):
    pass


def _writer_error(make: Callable[[], None]) -> str:
    with pytest.raises(Refused) as caught:
        make()
    return str(caught.value)


def test_the_atomic_writer_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing_folder() -> None:
        with atomic_file(tmp_path / "no such folder" / "out.pdf", error=Refused):
            pass

    def taken() -> None:
        (tmp_path / "taken.pdf").write_bytes(b"someone's")
        with atomic_file(tmp_path / "taken.pdf", error=Refused, replace=False) as tmp:
            tmp.write_bytes(b"ours")

    def open_elsewhere(program: str | None) -> Callable[[], None]:
        def write() -> None:
            with monkeypatch.context() as patch:
                def refuse(*_args: object) -> None:
                    raise PermissionError(errno.EACCES, "Permission denied")

                patch.setattr(os, "replace", refuse)
                with atomic_file(tmp_path / "list.xlsx", error=Refused, open_in=program) as tmp:
                    tmp.write_bytes(b"ours")
        return write

    def full_disk() -> None:
        with monkeypatch.context() as patch:
            def refuse(*_args: object) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            patch.setattr(os, "replace", refuse)
            with atomic_file(tmp_path / "big.pdf", error=Refused) as tmp:
                tmp.write_bytes(b"ours")

    for make in (missing_folder, taken, open_elsewhere(None), open_elsewhere("Excel"), full_disk):
        check(lambda make=make: _writer_error(make), f"{tmp_path}/no such folder taken.pdf list.xlsx big.pdf")
    with speaking("ru"):
        assert "Excel" in _writer_error(open_elsewhere("Excel"))
        assert "не осталось места" in _writer_error(full_disk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.pdf"]  # nothing left behind
