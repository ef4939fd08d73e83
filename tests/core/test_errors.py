"""One sentence out of an exception (desktop/core/errors.py): core's own sentences pass,
database errors never show SQL, parameters or a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from desktop.core.errors import error_sentence, sentence


def test_core_sentences_keep_their_words_with_a_capital() -> None:
    assert error_sentence(ValueError("the title is required.\nmore detail")) == "The title is required."
    assert error_sentence(LookupError("")) == "LookupError"
    assert sentence("  no   such file ") == "No such file"


@pytest.mark.parametrize(("orig", "words"), [
    ("database is locked", "busy"),
    ("database or disk is full", "disk is full"),
    ("attempt to write a readonly database", "read-only"),
    ("UNIQUE constraint failed: registration.event_id, registration.badge_code", "same identity"),
    ("FOREIGN KEY constraint failed", "depend"),
    ("file is not a database", "damaged"),
    ("something nobody expected", "refused the change"),
])
def test_database_errors_say_what_happened_without_sql_or_data(orig: str, words: str) -> None:
    statement = "INSERT INTO person (email) VALUES (?)"
    cls = IntegrityError if "constraint" in orig else OperationalError
    exc = cls(statement, ("aigerim@example.kz",), sqlite3.OperationalError(orig))
    said = error_sentence(exc)
    assert words in said
    assert "INSERT" not in said and "example.kz" not in said and "\n" not in said


def test_a_database_layer_error_is_said_in_the_interface_language(tmp_path: Path) -> None:
    from db.engine import DatabaseError, open_database
    from desktop.core.language import speaking

    with pytest.raises(DatabaseError) as caught:
        open_database(tmp_path)
    exc = caught.value
    assert str(exc) == f"{tmp_path} is a folder, not a database file."  # the layer itself speaks English
    assert error_sentence(exc) == f"{tmp_path} is a folder, not a database file."
    with speaking("ru"):
        assert error_sentence(exc) == f"{tmp_path} — папка, а не файл базы данных."
    with speaking("kk"):
        assert error_sentence(exc) == f"{tmp_path} — дерекқор файлы емес, қалта."
        # A sentence that begins with its template's words gets its capital.
        assert error_sentence(DatabaseError("{target} needs an upgrade of its schema.", target="x")) == \
            "X схемасын жаңарту қажет."
    with speaking("ru"):
        assert error_sentence(DatabaseError("{target} needs an upgrade of its schema.", target="x")) == \
            "Схему x нужно обновить."
