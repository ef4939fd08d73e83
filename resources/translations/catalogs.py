"""Keeping the translation catalogs (developers' tool; needs Babel, which the test extra has).

    python -m resources.translations.catalogs update     extract the messages of desktop/ and db/, merge
                                                   them into each language's .po, compile the .mo
    python -m resources.translations.catalogs fill F.json  put translations into the .po files and compile:
                                                   [{"id": "...", "ctx": null, "ru": "...", "kk": "...",
                                                     "plural": null, "ru_plural": [...], "kk_plural": [...]}]
    python -m resources.translations.catalogs missing    list the messages a language has no translation of
                                                   (exit status 1 when there is one)

``make catalogs`` runs ``update``. The messages are found by Babel's Python extractor under
the names of ``desktop.core.language``: ``_``, ``n_`` (singular, plural), ``p_`` (context,
message), ``np_`` (context, singular, plural), ``N_`` and ``NP_`` (marks).
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOMAIN = "conference-desk"
LANGUAGES = ("ru", "kk")
SOURCES = ("desktop", "db")
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "n_": (1, 2),
    "p_": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
    "np_": ((1, "c"), 2, 3),
}


def po_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)  # so that a merge changes no header line
HEADER = "# {lang} translations of Conference Desk's interface and printed pages.\n#"


def _catalog(lang: str | None = None) -> Catalog:
    return Catalog(locale=lang, domain=DOMAIN, project="Conference Desk", version="1",
                   creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
                   header_comment=HEADER.format(lang=lang or "Template"), last_translator="Conference Desk",
                   language_team="Conference Desk", msgid_bugs_address="")


def extract() -> Catalog:
    """Every message of the source, as a template catalog."""
    template = _catalog()
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            template.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments,
                         context=context)
    return template


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return _catalog(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.header_comment = HEADER.format(lang=lang)
    catalog.version = "1"
    catalog.last_translator = catalog.language_team = "Conference Desk"
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    return catalog


def write(lang: str, catalog: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, include_previous=False)
    path.write_bytes(buffer.getvalue())
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    mo_path(lang).write_bytes(out.getvalue())


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        catalog = read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(lang, catalog)


def _key(message: Message) -> tuple[Any, Any]:
    return message.id, message.context


def fill(entries: Iterable[dict[str, Any]]) -> None:
    catalogs = {lang: read(lang) for lang in LANGUAGES}
    for entry in entries:
        msgid: Any = (entry["id"], entry["plural"]) if entry.get("plural") else entry["id"]
        for lang, catalog in catalogs.items():
            value: Any = entry.get(f"{lang}_plural") if entry.get("plural") else entry.get(lang)
            if value is None:
                continue
            if isinstance(value, list):
                value = tuple(value)
            found = catalog.get(entry["id"], context=entry.get("ctx"))
            if found is None:
                catalog.add(msgid, value, context=entry.get("ctx"))
            else:
                found.string = value
                found.flags.discard("fuzzy")
    for lang, catalog in catalogs.items():
        write(lang, catalog)


def missing(lang: str) -> list[str]:
    """The messages of the source that ``lang`` has no (or a fuzzy) translation of."""
    catalog = read(lang)
    out: list[str] = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        parts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or "fuzzy" in found.flags or not all(parts):
            label = message.id if isinstance(message.id, str) else message.id[0]
            out.append(f"{message.context + ' | ' if message.context else ''}{label}")
    return out


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One writer of the catalogs at a time (several people may run this at once)."""
    with (HERE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str]) -> int:
    with _locked():
        return _main(argv)


def _main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        update()
        return 0
    if command == "fill":
        fill(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        return 0
    if command == "missing":
        status = 0
        for lang in LANGUAGES:
            for line in missing(lang):
                print(f"{lang}: {line}")
                status = 1
        return status
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
