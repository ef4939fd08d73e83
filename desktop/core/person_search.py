"""The person search that the registration list and the roster share: what a typed text
looks for, and the SQL that finds it.

What is typed is read as typed, on the other keyboard layouts and spelled in the other
alphabet (``desktop.core.name_match``): ``readings`` gives what the text looks for in all
(``Searched``: term sets for the search index of ``db/search.py``, skeleton term sets for
the person keys of ``desktop.core.person_keys``, a badge code's beginning) and each reading
beyond the text as typed on its own (``Reading``, for ``AlsoFound``: what the window says
under a search). ``search_params`` puts a search's values into a statement's parameters
(named with a prefix, so that two searches can share a statement) and gives its shape
(``Search``), from which ``people_select`` builds the select of the people it finds —
one statement per shape, compiled once (``people_sql``), the values bound at each
keystroke. ``with_stale`` adds the people whose skeletons are not made yet.

``desktop.core.registrations`` keeps to an event's registrations (and finds badge codes);
``desktop.core.roster_list`` searches every person, and their positions too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Select, Text, bindparam, cast, column, func, literal_column, select, table, union_all

from db.search import fts5_query, heads, like_patterns, search_terms
from desktop.core import person_keys
from desktop.core.codes import ALPHABET, LENGTH, normalise_code
from desktop.core.language import _
from desktop.core.name_match import Layout, has_cyrillic, meaning
from desktop.core.raw import Reader, compiled, connection_of, ids_value, param

MIN_CODE_PREFIX = 4
"""A badge code typed alone matches from this many characters on (fewer would match names)."""


# The search index of migration 0002, seen from SQL (it is not one of the models).
FTS = table("person_search", column("rowid"), column("doc"))
PG_SEARCH = table("person_search", column("person_id"), column("doc"), column("heads"))


def code_prefix(query: str) -> str | None:
    """The badge code (or its beginning) that ``query`` is, if it can be one."""
    if any(not (ch.isalnum() or ch in " -") for ch in query.strip()):
        return None
    code = normalise_code(query)
    if MIN_CODE_PREFIX <= len(code) <= LENGTH and all(ch in ALPHABET for ch in code):
        return code
    return None


def matching_people(dialect: str, terms: Sequence[str]) -> Select[Any]:
    """A select of the ids of the people whose search document has every term as the start
    of one of its words (``terms`` from ``db.search.search_terms``, not empty)."""
    if dialect == "sqlite":
        return select(FTS.c.rowid).where(FTS.c.doc.op("MATCH")(fts5_query(terms)))
    return select(PG_SEARCH.c.person_id).where(
        PG_SEARCH.c.heads.op("@>")(bindparam("heads_", heads(terms), type_=text_array())),
        *(PG_SEARCH.c.doc.like(p, escape="\\") for p in like_patterns(terms)),
    )


def text_array() -> Any:
    """PostgreSQL's text[] (the search index's ``heads``, the skeletons' heads)."""
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only: not loaded for SQLite

    return ARRAY(Text())


@dataclass(frozen=True)
class Search:
    """The shape of a search's SQL: what its parameters (named with ``prefix``) hold."""

    prefix: str
    direct: tuple[int, ...] = ()   # per reading, its terms in the search index (SQLite: (1,), one MATCH)
    spelled: tuple[int, ...] = ()  # per set of skeleton terms, its terms (SQLite: (1,), one MATCH)
    code: bool = False             # a badge code, or its beginning
    stale: bool = False            # people whose skeleton is not made yet, matched in Python (ids)


@dataclass(frozen=True)
class Searched:
    """What a search looks for: term sets in the search index (one per reading of the
    text), skeleton term sets, and a badge code's beginning."""

    direct: tuple[tuple[str, ...], ...] = ()
    spelled: tuple[tuple[str, ...], ...] = ()
    code: str | None = None

    def __bool__(self) -> bool:
        return bool(self.direct or self.spelled or self.code)


@dataclass(frozen=True)
class Reading:
    """One more reading of a search text: what it looks for beyond the text as typed, the
    text it searched, and the layout it was read on (None: the text as typed, spelled in
    the other alphabet)."""

    searched: Searched
    text: str
    layout: Layout | None


@lru_cache(maxsize=128)
def readings(text: str, exact: bool) -> tuple[Searched, tuple[Reading, ...]]:
    """What ``text`` searches for in all (with ``exact``: the text as typed only), and the
    readings beyond the text as typed, each on its own."""
    typed = tuple(search_terms(text))
    code = code_prefix(text) if text else None
    if exact:
        return Searched((typed,) if typed else (), (), code), ()
    meant = meaning(text)
    direct: list[tuple[str, ...]] = [typed] if typed else []
    others: list[Reading] = []
    if meant.as_typed.spelled:
        others.append(Reading(Searched((), meant.as_typed.spelled), meant.typed, None))
    for reading in meant.other_layouts:
        terms = tuple(search_terms(reading.text))
        own = Searched((terms,) if terms else (), reading.spelled,
                       code_prefix(reading.text) if code is None else None)
        if own:
            others.append(Reading(own, reading.text, reading.layout))
        if terms and terms not in direct:
            direct.append(terms)
        code = code or own.code
    spelled: list[tuple[str, ...]] = []
    for other in others:
        spelled.extend(t for t in other.searched.spelled if t not in spelled)
    return Searched(tuple(direct), tuple(spelled), code), tuple(others)


def search_params(dialect: str, prefix: str, searched: Searched, params: dict[str, Any]) -> Search:
    """Put ``searched``'s values in ``params`` (names beginning with ``prefix``); its shape."""
    direct: tuple[int, ...] = ()
    spelled: tuple[int, ...] = ()
    if dialect == "sqlite":
        if searched.direct:
            params[prefix + "match"] = " OR ".join(f"({fts5_query(t)})" for t in searched.direct)
            direct = (1,)
        if searched.spelled:
            params[prefix + "spelled"] = person_keys.skeleton_query(searched.spelled)
            spelled = (1,)
    else:
        for k, terms in enumerate(searched.direct):
            params[f"{prefix}heads_{k}"] = heads(terms)
            for i, pattern in enumerate(like_patterns(terms)):
                params[f"{prefix}like_{k}_{i}"] = pattern
        for k, terms in enumerate(searched.spelled):
            params[f"{prefix}sheads_{k}"] = person_keys.skeleton_heads(terms)
            for i, pattern in enumerate(person_keys.skeleton_like(terms)):
                params[f"{prefix}slike_{k}_{i}"] = pattern
        direct = tuple(len(t) for t in searched.direct)
        spelled = tuple(len(t) for t in searched.spelled)
    code = searched.code
    if code is not None:
        params[prefix + "code_from"], params[prefix + "code_to"] = code, code[:-1] + chr(ord(code[-1]) + 1)
    return Search(prefix, direct, spelled, code is not None)


def with_stale(search: Search, spelled: tuple[tuple[str, ...], ...], reader: Reader,
               params: dict[str, Any]) -> Search:
    """``search`` also finding the people of stale keys that ``spelled`` matches (their
    ids put in ``params``)."""
    stale = person_keys.stale_matches(reader, spelled)
    if not stale:
        return search
    params[search.prefix + "stale"] = ids_value(connection_of(reader)[1], stale)
    return replace(search, stale=True)


def people_select(dialect: str, search: Search) -> Any | None:
    """A select of the ids of the people ``search`` finds by name (None: it looks for a
    badge code only)."""
    p = search.prefix
    selects: list[Any] = []
    if dialect == "sqlite":
        if search.direct:
            selects.append(select(FTS.c.rowid).where(FTS.c.doc.op("MATCH")(param(p + "match"))))
        if search.spelled:
            keys = person_keys.SKELETONS
            selects.append(select(keys.c.rowid).where(keys.c.doc.op("MATCH")(param(p + "spelled"))))
        if search.stale:
            selects.append(select(literal_column("value")).select_from(func.json_each(param(p + "stale"))))
    else:
        for k, n in enumerate(search.direct):
            selects.append(select(PG_SEARCH.c.person_id).where(
                PG_SEARCH.c.heads.op("@>")(cast(param(f"{p}heads_{k}"), text_array())),
                *(PG_SEARCH.c.doc.like(param(f"{p}like_{k}_{i}"), escape="\\") for i in range(n))))
        pk = person_keys.KEYS
        for k, n in enumerate(search.spelled):
            selects.append(select(pk.c.person_id).where(
                pk.c.skeleton_heads.op("@>")(cast(param(f"{p}sheads_{k}"), text_array())),
                *(pk.c.skeleton.like(param(f"{p}slike_{k}_{i}"), escape="\\") for i in range(n))))
        if search.stale:
            selects.append(select(func.unnest(cast(param(p + "stale"), id_array()))))
    if not selects:
        return None
    return selects[0] if len(selects) == 1 else union_all(*selects)


def id_array() -> Any:
    """PostgreSQL's bigint[] (ids bound as one parameter)."""
    from sqlalchemy.dialects.postgresql import ARRAY  # PostgreSQL only: not loaded for SQLite

    return ARRAY(BigInteger())


@dataclass(frozen=True)
class AlsoFound:
    """A reading of the search text that found people (or registrations) the text as typed did not:
    ``text`` read on the keyboard layout ``layout`` ("Fquthbv" as "Айгерим" on the Russian
    one), or, with ``layout`` None, names spelled like ``text`` in the other alphabet."""

    text: str
    layout: Layout | None

    @property
    def said(self) -> str:
        """One sentence for the window, in the interface language."""
        if self.layout is Layout.RUSSIAN:
            # Translators: {text} is what the user typed, read as if the keyboard had been on the
            # Russian layout ("Fquthbv" → "Айгерим"); shown under the search field.
            return _("Also found as typed on the Russian layout: {text}").format(text=self.text)
        if self.layout is Layout.KAZAKH:
            # Translators: as the message for the Russian layout, for the Kazakh one ("c2n,ftdf" → "сәтбаева").
            return _("Also found as typed on the Kazakh layout: {text}").format(text=self.text)
        if self.layout is Layout.ENGLISH:
            # Translators: as the message for the Russian layout, for the English (Latin) one ("Зфьудф" → "Pamela").
            return _("Also found as typed on the English layout: {text}").format(text=self.text)
        if has_cyrillic(self.text):
            # Translators: names written in Latin letters that sound like the Cyrillic {text}
            # ("Жиенбаев" finds "Zhienbayev").
            return _("Also found names spelled like “{text}” in Latin letters").format(text=self.text)
        # Translators: names written in Cyrillic that sound like the Latin {text} ("zhienbayev"
        # finds "Жиенбаев").
        return _("Also found names spelled like “{text}” in Cyrillic").format(text=self.text)


@lru_cache(maxsize=64)
def people_sql(dialect: str, search: Search) -> str | None:
    """``people_select`` compiled (None: a badge code only)."""
    people = people_select(dialect, search)
    return compiled(people, dialect) if people is not None else None


__all__ = ["MIN_CODE_PREFIX", "FTS", "PG_SEARCH", "code_prefix", "matching_people", "text_array", "id_array",
           "Search", "Searched", "Reading", "readings", "search_params", "with_stale", "people_select",
           "people_sql", "AlsoFound"]
