"""The person search index of migration 0002: kept right by triggers whoever writes, the
same folding on SQLite (FTS5 unicode61) and PostgreSQL (``cd_search_fold``), and filled
for the people already there when an older database is upgraded."""

from __future__ import annotations

import sqlite3
import unicodedata
import uuid

import pytest
from sqlalchemy import delete, insert, select, text, update

from db.engine import Database, open_database
from db.migrate import downgrade
from db.models import Organisation, Person
from db.search import SEARCH_TABLE, fold, fts5_query, include_name, like_patterns, search_terms
from db.types import utcnow
from desktop.core.person_search import matching_people

SQLITE_TRIGGERS = {"person_search_insert", "person_search_update", "person_search_delete",
                   "organisation_search_update"}
PG_TRIGGERS = {"person_search_insert", "person_search_update", "organisation_search_update"}


def found(database: Database, query: str) -> set[int]:
    """Ids of the people the index finds for ``query``."""
    terms = search_terms(query)
    with database.read() as s:
        return set(s.scalars(matching_people(database.dialect, terms)))


def add_person(database: Database, given: str, family: str, **values: object) -> int:
    now = utcnow()
    with database.write() as s:
        return int(s.execute(insert(Person.__table__).values(
            uuid=uuid.uuid4(), given_name=given, family_name=family, display_name=values.pop("display_name", {}),
            position={}, bio={}, gender="not_stated", created_at=now, updated_at=now, **values,
        )).inserted_primary_key[0])


def add_organisation(database: Database, name: dict[str, str], short: dict[str, str] | None = None) -> int:
    now = utcnow()
    with database.write() as s:
        return int(s.execute(insert(Organisation.__table__).values(
            uuid=uuid.uuid4(), name=name, short_name=short or {}, sector="other", created_at=now, updated_at=now,
        )).inserted_primary_key[0])


def test_the_triggers_are_there_at_head(database: Database) -> None:
    """A later batch migration that re-creates ``person`` or ``organisation`` on SQLite
    drops their triggers: this fails until it makes them again."""
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            assert SQLITE_TRIGGERS <= names
            sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": SEARCH_TABLE})
            assert "fts5" in sql and "remove_diacritics 2" in sql
        else:
            names = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
            assert PG_TRIGGERS <= names


def test_every_writer_keeps_the_index_right(database: Database) -> None:
    court = add_organisation(database, {"en": "Supreme Court", "kk": "Жоғарғы Сот"}, {"en": "SC"})
    aliya = add_person(database, "Әлия", "Сәрсенбаева", organisation_id=court, email="aliya@court.kz")
    # Core executemany, as the import writes
    now = utcnow()
    with database.write() as s:
        s.execute(insert(Person.__table__), [
            {"uuid": uuid.uuid4(), "given_name": g, "family_name": f, "display_name": {}, "position": {},
             "bio": {}, "gender": "not_stated", "created_at": now, "updated_at": now}
            for g, f in (("Małgorzata", "Wiśniewska"), ("Ержан", "Жиенбаев"))])
    assert len(found(database, "wisniewska")) == 1
    assert found(database, "сәрс жоғарғы") == {aliya}
    assert found(database, "aliya@court") == {aliya}

    # The ORM, changing names, display names and e-mail
    with database.write() as s:
        person = s.get(Person, aliya)
        assert person is not None
        person.family_name = "Нұрланова"
        person.display_name = {"en": "Aliya Nurlanova"}
        person.email = None
    assert found(database, "сәрс") == set()
    assert found(database, "нұрлан") == found(database, "nurlanova") == {aliya}
    assert found(database, "court.kz") == set()
    assert found(database, "aliya") == {aliya}  # the display name

    # The organisation renamed: everyone in it follows
    with database.write() as s:
        s.execute(update(Organisation.__table__).where(Organisation.id == court)
                  .values(name={"ru": "Верховный суд"}, short_name={}))
    assert found(database, "жоғарғы") == set() and found(database, "sc") == set()
    assert found(database, "верховный нұрл") == {aliya}

    # An update that changes nothing the index holds leaves it alone (and right)
    with database.write() as s:
        s.execute(update(Person.__table__).where(Person.id == aliya).values(phone="+7 700 000 00 00"))
    assert found(database, "верховный нұрл") == {aliya}

    # The organisation deleted: its people lose it (ON DELETE SET NULL fires the person trigger)
    with database.write() as s:
        s.execute(delete(Organisation.__table__).where(Organisation.id == court))
    assert found(database, "верховный") == set() and found(database, "нұрлан") == {aliya}

    # The person deleted: gone from the index
    with database.write() as s:
        s.execute(delete(Person.__table__).where(Person.id == aliya))
    assert found(database, "нұрлан") == set()
    with database.engine.connect() as conn:
        key = "rowid" if database.dialect == "sqlite" else "person_id"
        assert conn.scalar(text(f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {key} = :id"), {"id": aliya}) == 0
        people = conn.scalar(text("SELECT count(*) FROM person"))
        assert conn.scalar(text(f"SELECT count(*) FROM {SEARCH_TABLE}")) == people == 2


def test_upgrading_an_older_database_indexes_the_people_already_there(db_target: str) -> None:
    db = open_database(db_target)
    try:
        downgrade(db.engine, "0001")
        with db.engine.connect() as conn:
            assert SEARCH_TABLE not in set(conn.dialect.get_table_names(conn))
    finally:
        db.close()
    # Write to the old schema directly, then open (and so upgrade) it.
    from db.engine import make_engine, resolve_target

    engine = make_engine(resolve_target(db_target))
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(Person.__table__).values(
            uuid=uuid.uuid4(), given_name="Айгерім", family_name="Ахметова", display_name={}, position={},
            bio={}, gender="female", created_at=now, updated_at=now))
    engine.dispose()
    db = open_database(db_target)
    try:
        assert len(found(db, "ахмет айгерім")) == 1
    finally:
        db.close()


def test_the_search_index_is_left_out_of_schema_comparisons() -> None:
    for name in (SEARCH_TABLE, f"{SEARCH_TABLE}_data", f"{SEARCH_TABLE}_idx", f"{SEARCH_TABLE}_config"):
        assert include_name(name, "table", {}) is False
    assert include_name("person", "table", {}) is True
    assert include_name("person_search_idx", "index", {}) is True


# -- one folding on both backends ---------------------------------------------------------

# Latin (with its extensions), Greek, Cyrillic (and its supplement), general punctuation,
# letter-like symbols, the Latin Extended Additional block.
RANGES = [(0x20, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF), (0x2000, 0x214F)]
# Capitals whose case pairs are newer than SQLite 3.40's tables: SQLite keeps them as they
# are, Python and PostgreSQL lower them (db/search.py).
NEWER_CAPITALS = {"\u037f", "\u0528", "\u052a", "\u052c", "\u052e"}
CHARS = [chr(cp) for a, b in RANGES for cp in range(a, b + 1)
         if unicodedata.category(chr(cp)) != "Cn" and chr(cp) not in NEWER_CAPITALS]


def _sqlite_tokens(docs: list[str]) -> list[list[str]]:
    """How SQLite's own tokenizer splits and folds each of ``docs``."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, doc) VALUES (?, ?)", list(enumerate(docs, start=1)))
    tokens: dict[int, list[tuple[int, str]]] = {}
    for term, doc, _col, offset in conn.execute("SELECT term, doc, col, offset FROM v"):
        tokens.setdefault(doc, []).append((offset, term))
    conn.close()
    return [[t for _, t in sorted(tokens.get(i, []))] for i in range(1, len(docs) + 1)]


def test_python_folds_every_character_as_sqlite_does() -> None:
    """``db.search.fold`` splits and folds like FTS5's unicode61 (remove_diacritics 2), for
    every character of the scripts a conference list holds, so the terms we send are the
    tokens FTS5 indexed."""
    docs = [f"a{ch}a" for ch in CHARS]
    wrong = [(f"U+{ord(ch):04X}", fold(doc).split(), tokens)
             for ch, doc, tokens in zip(CHARS, docs, _sqlite_tokens(docs), strict=True)
             if fold(doc).split() != tokens]
    assert wrong == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Сәрсенбаева", "сәрсенбаева"),
        ("WIŚNIEWSKA", "wisniewska"),
        ("Łódź", "łodz"),
        ("Алёна Йогурт", "алёна йогурт"),
        ("O’Neill-Walker", "o neill walker"),
        ("«Жоғарғы Сот»", "жоғарғы сот"),
        ("a.kasymova@court.kz", "a kasymova court kz"),
        ("İstanbul ΣΑΣ", "istanbul σασ"),
        ("  \t№ 5 ", "5"),
    ],
)
def test_fold(value: str, expected: str) -> None:
    assert fold(value) == expected


def test_queries_are_safe_to_send() -> None:
    assert fts5_query(search_terms('"OR" NEAR(a b) * -x')) == '"or"* "near"* "a"* "b"* "x"*'
    assert like_patterns(["a"]) == ["% a%"]
    assert search_terms("a a b", limit=5) == ["a", "b"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(40)))) == 12


@pytest.mark.postgres
def test_postgres_folds_as_python_does(pg_database_url: str) -> None:
    """``cd_search_fold`` (baked into the database by migration 0002) agrees with
    ``db.search.fold`` on every character above, in whatever locale the server runs."""
    db = open_database(pg_database_url)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT v, cd_search_fold(v) FROM unnest(CAST(:vs AS text[])) AS v"),
                                {"vs": [f"a{ch}a" for ch in CHARS if ch != "\x00"]}).all()
    finally:
        db.close()
    wrong = [(f"U+{ord(v[1]):04X}", folded, fold(v)) for v, folded in rows if folded != fold(v)]
    assert wrong == []


def test_every_term_must_begin_a_word(database: Database) -> None:
    pid = add_person(database, "Ayşe", "Yılmaz-Öztürk", email="ayse@example.tr")
    for query, hit in [("ayse", True), ("yılmaz öztürk", True), ("ozturk", True), ("öztürk ayşe example", True),
                       ("lmaz", False), ("yilmaz", False), ("ayse nobody", False), ("example.tr", True)]:
        assert (found(database, query) == {pid}) is hit, query
    with database.read() as s:
        assert s.scalar(select(Person.id).where(Person.id == pid)) == pid
