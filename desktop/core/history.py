"""The history of edits in words (issue 15): who changed what, when, from what to what.

``desktop.core.changes`` writes the history (``db.models.ChangeLog``, one row per field an
edit changed, or per row it made or deleted, the values as JSON text); this module reads it
back for a person:

* ``field_label(table, field)`` — a field's name ("Phone", "Status", "Starts"), the words the
  editors use for their labels where they have one;
* ``shown_value(table, field, value, lang)`` — a stored value in words: a text in ``lang``
  (else another language), a stored vocabulary's word, a date or time as the language writes
  it, what a key points to (when its name is at hand), "—" for nothing, "(image)" for a
  picture;
* ``history_of(session, table, row_uuid)`` and ``event_history(session, event_id)`` — the
  entries, newest first.

A write that is not one person's edit — an import, a desk file's merge — is settled like one
(``changes.settle_written``) and then says what it was on its lines (``note_write``: the
``note`` column, migration 0012: what, from which file, into which event); its rows made are
shown as "Imported from FILE" / "Merged from desk file FILE" where an edit's say "Created",
and its lines of many rows at once belong to that event.

No Qt here: the window, the export and the command line use it alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid as uuid_mod
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from sqlalchemy import Connection, Table, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from db.models import Base, ChangeLog
from desktop.core import formats, vocabulary
from desktop.core.i18n import full_name
from desktop.core.language import LANGUAGES, N_, NP_, interface_language, words
from desktop.core.raw import IN_CHUNK, in_uuids

EMPTY = "—"
"""A value that is not there (no phone, no room)."""

IMPORT = "import"
"""A note's ``what``: rows imported from a file (``desktop.core.importing``)."""
DESK_FILE = "desk file"
"""A note's ``what``: a desk file merged (``desktop.core.desk_file``)."""

# Where an editor already names a field, its message (context, message) is used, so the
# history says what the form says; "&" accelerators are taken out where shown.
_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "organisation": {
        "name": ("organisation", "Name"),
        "short_name": ("", "Short name"),
        "sector": ("person field", "Sector"),
        "country": ("person field", "Country"),
        "logo": ("", "Logo"),
        "logo_mime": ("history field", "Logo format"),
    },
    "event": {
        "title": ("event field", "Title"),
        "subtitle": ("event field", "Subtitle"),
        "venue": ("event field", "Venue"),
        "city": ("event field", "City"),
        "signatory1_name": ("event field", "First signatory's name"),
        "signatory1_title": ("event field", "First signatory's title"),
        "signatory2_name": ("event field", "Second signatory's name"),
        "signatory2_title": ("event field", "Second signatory's title"),
        "starts_on": ("history field", "First day"),
        "ends_on": ("history field", "Last day"),
        "timezone": ("history field", "Time zone"),
        "languages": ("history field", "Languages"),
        "is_demo": ("history field", "Sample content"),
        "notes": ("registration field", "Notes"),
        "badge_name": ("history field", "Name on badges"),
    },
    "event_organisation": {
        "event_id": ("history field", "Event"),
        "organisation_id": ("person field", "Organisation"),
        "role": ("", "Role"),
        "position": ("history field", "Order"),
    },
    "room": {
        "event_id": ("history field", "Event"),
        "name": ("organisation", "Name"),
        "capacity": ("", "Capacity"),
        "position": ("history field", "Order"),
    },
    "session": {
        "event_id": ("history field", "Event"),
        "title": ("field", "Title"),
        "starts_at": ("", "Starts"),
        "ends_at": ("", "Ends"),
        "room_id": ("field", "&Room"),
        "colour": ("field", "&Colour"),
        "position": ("history field", "Order"),
    },
    "agenda_item": {
        "event_id": ("history field", "Event"),
        "session_id": ("field", "&Session"),
        "kind": ("field", "&Kind"),
        "title": ("field", "Title"),
        "description": ("field", "Description"),
        "starts_at": ("", "Starts"),
        "ends_at": ("", "Ends"),
        "room_id": ("field", "&Room"),
        "position": ("history field", "Order"),
    },
    "role": {
        "person_id": ("history field", "Person"),
        "session_id": ("field", "&Session"),
        "item_id": ("history field", "Agenda item"),
        "kind": ("", "Role"),
        "position": ("history field", "Order"),
    },
    "registration": {
        "event_id": ("history field", "Event"),
        "person_id": ("history field", "Person"),
        "category": ("registration field", "Category"),
        "status": ("registration field", "Status"),
        "badge_code": ("attendee column", "Badge code"),
        "source": ("history field", "Source"),
        "source_file": ("history field", "Imported from file"),
        "source_row": ("history field", "Row in the file"),
        "source_desk": ("history field", "Desk"),
        "interpretation": ("registration field", "Interpretation"),
        "dietary": ("registration field", "Dietary needs"),
        "accessibility": ("registration field", "Accessibility"),
        "photo_consent": ("registration field", "Photo consent"),
        "notes": ("registration field", "Notes"),
    },
}
# The messages above that only the history uses, marked for extraction (the others are the
# editors' own and extracted from there).
_HISTORY_WORDS = (
    NP_("history field", "Logo format"), NP_("history field", "First day"), NP_("history field", "Last day"),
    NP_("history field", "Time zone"), NP_("history field", "Languages"), NP_("history field", "Sample content"),
    NP_("history field", "Name on badges"), NP_("history field", "Event"), NP_("history field", "Order"),
    NP_("history field", "Person"), NP_("history field", "Agenda item"), NP_("history field", "Source"),
    NP_("history field", "Imported from file"), NP_("history field", "Row in the file"),
    NP_("history field", "Desk"),
    N_("Short name"), N_("Logo"), N_("Capacity"), N_("Starts"), N_("Ends"), N_("Role"),
    NP_("organisation", "Name"), NP_("attendee column", "Badge code"),
)

_SOURCES: Mapping[str, tuple[str, str]] = {
    "manual": ("registration source", "Registered by hand"),
    "desk": ("registration source", "Registered at a desk"),
    "demo": ("registration source", "Demo data (illustrative)"),
    "import": ("", "Imported from a file"),
}
_SOURCE_WORDS = (NP_("registration source", "Registered by hand"), NP_("registration source", "Registered at a desk"),
                 NP_("registration source", "Demo data (illustrative)"), N_("Imported from a file"))

_REFERENCES: Mapping[str, str] = {
    "organisation_id": "organisation", "event_id": "event", "person_id": "person", "room_id": "room",
    "session_id": "session", "item_id": "agenda_item", "registration_id": "registration",
}
"""Foreign-key field → the table it points to."""


def _say(lang: str, context: str, message: str) -> str:
    w = words(lang)
    return w.p_(context, message) if context else w._(message)


def _without_accelerator(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


def field_label(table: str, field: str, lang: str | None = None) -> str:
    """The name of ``table``'s ``field`` in words ("Phone", "Status", "Starts"), in the
    interface language (or ``lang``); a field without a word of its own: its name, readable."""
    lang = lang or interface_language()
    if table == "person":
        from desktop.core.people import FIELD_LABELS

        if field in FIELD_LABELS:
            return _say(lang, "person field", FIELD_LABELS[field])
    found = _LABELS.get(table, {}).get(field)
    if found is not None:
        return _without_accelerator(_say(lang, *found))
    name = field[:-3] if field.endswith("_id") else field
    return name.replace("_", " ").strip().capitalize() or field


def _nothing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping) and not ("bytes" in value and len(value) == 1):
        return not any(str(v).strip() for v in value.values() if v is not None)
    if isinstance(value, (list, tuple)):
        return not value
    return False


def _plain(value: Any) -> Any:
    """A stored vocabulary's value ("confirmed") for its member."""
    return value.value if isinstance(value, enum.Enum) else value


def local_text(value: Mapping[str, Any], lang: str) -> str:
    """A text per language in ``lang``, else in the first other language that has it."""
    for code in (lang, *LANGUAGES, *value.keys()):
        text = value.get(code)
        if text is not None and str(text).strip():
            return str(text)
    return EMPTY


def _instant(value: Any) -> dt.datetime | dt.date | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def when_text(value: dt.datetime | dt.date, lang: str | None = None) -> str:
    """A date ("28 Feb 2025") or a time of day with its date ("28 Feb 2025, 09:30"): an
    instant with its zone (UTC) in this computer's time, a wall-clock time (the agenda's, in
    the event's zone) as it is."""
    if not isinstance(value, dt.datetime):
        return formats.date(value, lang, "medium")
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{formats.date(value.date(), lang, 'medium')}, {formats.time(value, lang)}"


def _vocabulary_word(table: str, field: str, value: Any, lang: str) -> str | None:
    """The word of a stored vocabulary's value; None when ``field`` holds none."""
    words_of = {
        "status": vocabulary.status, "category": vocabulary.category, "sector": vocabulary.sector,
        "gender": vocabulary.gender, "badge_name": vocabulary.name_form,
    }
    try:
        if field in words_of:
            return words_of[field](value, lang)
        if field == "kind":
            return vocabulary.role(value, lang) if table == "role" else vocabulary.item_kind(value, lang)
        if field == "role" and table == "event_organisation":
            return vocabulary.partner_role(value, lang)
        if field == "interpretation":
            return vocabulary.language(str(value), lang)
        if field == "source" and table == "registration":
            found = _SOURCES.get(str(value))
            return _say(lang, *found) if found else str(value)
    except (KeyError, ValueError):
        return str(value)  # a value the vocabulary does not know (a newer version's): as stored
    return None


def shown_value(table: str, field: str, value: Any, lang: str | None = None,
                names: Mapping[tuple[str, int], str] | None = None) -> str:
    """A stored value of ``table``'s ``field`` in words, in ``lang`` (else the interface
    language): "—" for nothing, "(image)" for a picture, a text in ``lang`` (else another
    language), a vocabulary's word, a date or time as the language writes it, a key as the
    name of what it points to when ``names`` has it ((table, id) → name), else its number.
    ``value`` is as the history keeps it (JSON) or as the database gives it."""
    lang = lang or interface_language()
    w = words(lang)
    value = _plain(value)
    if isinstance(value, (bytes, bytearray, memoryview)) or (
            isinstance(value, Mapping) and set(value) == {"bytes"}):
        return w._("(image)")
    if _nothing(value):
        return EMPTY
    if isinstance(value, bool):
        return vocabulary.yes_no(value, lang)
    said = _vocabulary_word(table, field, value, lang)
    if said is not None:
        return said
    target = _REFERENCES.get(field)
    if target is not None and isinstance(value, int):
        name = (names or {}).get((target, value))
        # Translators: a row known by its number only ("No. 12"): what an edit pointed to.
        return name if name else w._("No. {id}").format(id=value)
    if isinstance(value, Mapping):
        return local_text(value, lang)
    if field == "country" and isinstance(value, str):
        from desktop.core.countries import country_name

        return country_name(value, lang)
    if field == "languages" and isinstance(value, (list, tuple)):
        return formats.listing([vocabulary.language(str(code), lang) for code in value], lang)
    if isinstance(value, (list, tuple)):
        return formats.listing([str(v) for v in value], lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return formats.number(value, lang)
    moment = _instant(value)
    if moment is not None:
        return when_text(moment, lang)
    return str(value)


def decode(text: str | None) -> Any:
    """A value of the history as it was stored (JSON text; None for none)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text




def note_write(session: OrmSession | Connection, edit: uuid_mod.UUID, what: str, *, event_id: int,
               file: str) -> None:
    """Say on every history line of ``edit`` (written by ``changes.settle_written`` in this
    transaction) what the write was: ``what`` (``IMPORT``, ``DESK_FILE``), from which
    ``file`` (its name), into which event."""
    note = json.dumps({"event": int(event_id), "file": file, "what": what}, sort_keys=True, ensure_ascii=False)
    log = _log()
    session.execute(update(log).where(log.c.edit == edit).values(note=note))


def _event_note(event_id: int) -> str:
    """The beginning of the notes of the writes into ``event_id`` (``note_write``: its keys sorted)."""
    return '{"event": ' + str(int(event_id)) + ", "


def read_note(text: str | None) -> dict[str, Any]:
    """A history line's note (``note_write``); {} for none."""
    value = decode(text)
    return value if isinstance(value, dict) else {}


def _made_by(note: Mapping[str, Any], lang: str) -> str | None:
    """What a line of rows made by an import or a merge says in place of "Created"."""
    w = words(lang)
    file = str(note.get("file") or "")
    if note.get("what") == IMPORT:
        # Translators: the history's "Change" of a row made by an import; {file} is the file's name.
        return w.p_("history", "Imported from {file}").format(file=file) if file else w.p_("history", "Imported")
    if note.get("what") == DESK_FILE:
        # Translators: the history's "Change" of a row (a walk-in, check-ins) brought by a desk
        # file's merge; {file} is the desk file's name.
        return w.p_("history", "Merged from desk file {file}").format(file=file) if file else \
            w.p_("history", "Merged from a desk file")
    return None


# -- the history of rows --------------------------------------------------------------------------

ROW_KINDS: Mapping[str, str] = {
    "event": NP_("history row", "Event"),
    "organisation": NP_("history row", "Organisation"),
    "person": NP_("history row", "Person"),
    "registration": NP_("history row", "Registration"),
    "session": NP_("history row", "Session"),
    "agenda_item": NP_("history row", "Agenda item"),
    "role": NP_("history row", "Role on stage"),
    "room": NP_("history row", "Room"),
    "event_organisation": NP_("history row", "Partner"),
    "check_in": NP_("history row", "Check-in"),
    "badge_print": NP_("history row", "Badge printed"),
}
"""What kind of row an entry is about, in words (translated where shown)."""

_NAME_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "person": ("given_name", "family_name", "patronymic", "display_name"),
    "registration": ("person_id",),
    "role": ("person_id", "kind"),
    "event_organisation": ("organisation_id", "role"),
    "event": ("title",), "session": ("title",), "agenda_item": ("title",),
    "room": ("name",), "organisation": ("name",),
}
"""The columns that name a row of each table."""

_EVENT_TABLES = ("room", "session", "agenda_item", "registration", "event_organisation")
"""The tables whose rows carry their event's key."""


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history: when (UTC), who, which row, what changed from what to what
    (in words, in the language asked for)."""

    id: int
    at: dt.datetime
    author: str
    table: str
    row_uuid: uuid_mod.UUID | None
    action: str  # "insert", "update" or "delete"
    field: str | None
    kind: str     # the row's kind ("Person")
    subject: str  # which row ("Aigerim Sadykova", "Opening")
    what: str     # the field's name, or "Created" / "Deleted"
    old: str
    new: str
    edit: uuid_mod.UUID | None
    note: Mapping[str, Any] = dataclass_field(default_factory=dict)  # an import's or a merge's (``note_write``)

    @property
    def local_at(self) -> dt.datetime:
        """When, in this computer's time."""
        at = self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=dt.UTC)
        return at.astimezone()


@dataclass(frozen=True)
class HistoryPage:
    """A page of an event's history (newest first): ``entries`` from ``offset`` of ``total``,
    and ``notes`` — sentences on what could not be told apart by event."""

    entries: list[HistoryEntry]
    total: int
    offset: int = 0
    notes: list[str] = dataclass_field(default_factory=list)


def _log() -> Table:
    return ChangeLog.__table__


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _as_uuid(value: Any) -> uuid_mod.UUID:
    return value if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value))


def _row_values(row: Any) -> dict[str, Any]:
    """The values of a row made or deleted, as its history line keeps them."""
    values = decode(row.new if row.action == "insert" else row.old)
    return values if isinstance(values, dict) else {}


class _Names:
    """The names of the rows the entries are about and of what their keys point to: from
    the rows as they are, else from the history's own copy of a row made or deleted."""

    def __init__(self, session: OrmSession, lang: str) -> None:
        self.session, self.lang = session, lang
        self.by_uuid: dict[tuple[str, uuid_mod.UUID], dict[str, Any]] = {}
        self.by_id: dict[tuple[str, int], str] = {}

    def _read(self, table_name: str, column: str, keys: Sequence[Any]) -> list[dict[str, Any]]:
        table = _table(table_name)
        chosen = [table.c.id, table.c.uuid, *(table.c[c] for c in _NAME_COLUMNS.get(table_name, ()))]
        dialect = self.session.get_bind().dialect.name
        out: list[dict[str, Any]] = []
        for chunk in _chunks(list(keys)):
            where = in_uuids(table.c.uuid, chunk, dialect) if column == "uuid" else table.c.id.in_(chunk)
            out += [dict(r._mapping) for r in self.session.execute(select(*chosen).where(where))]
        return out

    def gather(self, rows: Sequence[Any]) -> None:
        """Read the names the history lines ``rows`` need, a few queries a table."""
        wanted: dict[str, set[uuid_mod.UUID]] = defaultdict(set)
        pointed: dict[str, set[int]] = defaultdict(set)
        for row in rows:
            if row.row_uuid is not None and row.table_name in _NAME_COLUMNS:
                wanted[row.table_name].add(_as_uuid(row.row_uuid))
            if row.action == "update" and row.field in _REFERENCES:
                for text in (row.old, row.new):
                    value = decode(text)
                    if isinstance(value, int) and not isinstance(value, bool):
                        pointed[_REFERENCES[row.field]].add(value)
        for table_name, uuids in wanted.items():
            for values in self._read(table_name, "uuid", sorted(uuids, key=str)):
                self.by_uuid[(table_name, _as_uuid(values["uuid"]))] = values
            missing = [u for u in uuids if (table_name, u) not in self.by_uuid]
            for row in self._kept_copies(table_name, missing):
                self.by_uuid.setdefault((table_name, _as_uuid(row.row_uuid)), _row_values(row))
        # What keys point to, read by key: first the rows named after a person or an
        # organisation (registrations, roles, partners), then the people and organisations.
        values_pointing: list[tuple[str, dict[str, Any]]] = [(t, v) for (t, _u), v in self.by_uuid.items()]
        by_key: list[tuple[str, dict[str, Any]]] = []
        for table_name in ("registration", "role", "event_organisation"):
            by_key += [(table_name, v) for v in self._read(table_name, "id", sorted(pointed.pop(table_name, set())))]
        for _table_name, values in [*values_pointing, *by_key]:
            for column in ("person_id", "organisation_id"):
                value = values.get(column)
                if isinstance(value, int) and not isinstance(value, bool):
                    pointed[_REFERENCES[column]].add(value)
        for table_name, ids in pointed.items():
            if table_name in _NAME_COLUMNS:
                for values in self._read(table_name, "id", sorted(ids)):
                    self.by_id[(table_name, int(values["id"]))] = self._name(table_name, values)
        for table_name, values in by_key:
            self.by_id[(table_name, int(values["id"]))] = self._name(table_name, values)

    def _kept_copies(self, table_name: str, uuids: Sequence[uuid_mod.UUID]) -> list[Any]:
        """The history's lines that made or deleted these rows (their values)."""
        log = _log()
        dialect = self.session.get_bind().dialect.name
        out: list[Any] = []
        for chunk in _chunks(list(uuids)):
            out += list(self.session.execute(
                select(log.c.row_uuid, log.c.action, log.c.old, log.c.new)
                .where(log.c.table_name == table_name, log.c.action.in_(("insert", "delete")),
                       in_uuids(log.c.row_uuid, chunk, dialect))
                .order_by(log.c.id.desc())))
        return out

    def _name(self, table_name: str, values: Mapping[str, Any]) -> str:
        lang = self.lang
        w = words(lang)
        if table_name == "person":
            display = values.get("display_name")
            name = full_name(values.get("given_name"), values.get("family_name"), values.get("patronymic"),
                             display if isinstance(display, Mapping) else None, lang)
            return name or EMPTY
        if table_name in ("registration", "role"):
            person = values.get("person_id")
            name = self._pointed("person", person)
            if table_name == "role" and values.get("kind"):
                return w._("{what}: {name}").format(what=shown_value("role", "kind", values["kind"], lang), name=name)
            return name
        if table_name == "event_organisation":
            organisation = values.get("organisation_id")
            name = self._pointed("organisation", organisation)
            if values.get("role"):
                return w._("{what}: {name}").format(
                    what=shown_value("event_organisation", "role", values["role"], lang), name=name)
            return name
        text = values.get("title", values.get("name"))
        return local_text(text, lang) if isinstance(text, Mapping) else (str(text) if text else EMPTY)

    def _pointed(self, table_name: str, key: Any) -> str:
        """The name of the row ``key`` of ``table_name`` points to, else "No. 12"."""
        if key is None:
            return EMPTY
        found = self.by_id.get((table_name, key)) if isinstance(key, int) else None
        return found or words(self.lang)._("No. {id}").format(id=key)

    def subject(self, table_name: str, row_uuid: Any) -> str:
        if row_uuid is None:
            return EMPTY
        values = self.by_uuid.get((table_name, _as_uuid(row_uuid)))
        if values is None:
            return EMPTY
        return self._name(table_name, values)


def _changed_language(was: Any, now: Any, lang: str) -> str | None:
    """For a text per language whose text in ``lang`` did not change: the first language
    whose text did (shown in its place, named); else None."""
    if not (isinstance(was, Mapping) or isinstance(now, Mapping)) or set(was or {}) == {"bytes"}:
        return None
    before, after = (dict(v) if isinstance(v, Mapping) else {} for v in (was, now))
    changed = [code for code in (*LANGUAGES, *sorted(set(before) | set(after)))
               if (before.get(code) or "").strip() != (after.get(code) or "").strip()]
    if not changed or lang in changed:
        return None
    return changed[0]


def _entries(session: OrmSession, rows: Sequence[Any], lang: str) -> list[HistoryEntry]:
    """History lines in words."""
    names = _Names(session, lang)
    names.gather(rows)
    w = words(lang)
    out: list[HistoryEntry] = []
    for row in rows:
        table_name = row.table_name
        kind = w.p_("history row", ROW_KINDS[table_name]) if table_name in ROW_KINDS else \
            table_name.replace("_", " ").capitalize()
        old = new = ""
        if row.action == "update":
            field = row.field or ""
            what = field_label(table_name, field, lang)
            was, now = decode(row.old), decode(row.new)
            shown_in = _changed_language(was, now, lang)
            if shown_in is not None:  # a text changed in another language than the one shown
                what = w.p_("field in a language", "{field} ({language})").format(
                    field=what, language=vocabulary.language(shown_in, lang))
                was, now = (v.get(shown_in) if isinstance(v, Mapping) else v for v in (was, now))
            old = shown_value(table_name, field, was, lang, names.by_id)
            new = shown_value(table_name, field, now, lang, names.by_id)
            subject = names.subject(table_name, row.row_uuid)
        else:
            made = row.action == "insert"
            what = w.p_("history", "Created") if made else w.p_("history", "Deleted")
            if made and getattr(row, "note", None):
                what = _made_by(read_note(row.note), lang) or what
            if row.row_uuid is None:  # many rows at once: their count
                count = decode(row.new if made else row.old)
                n = int(count.get("rows", 0)) if isinstance(count, dict) else 0
                subject = w.n_("{n} row", "{n} rows", n).format(n=formats.number(n, lang))
            else:
                subject = names.subject(table_name, row.row_uuid)
        out.append(HistoryEntry(
            id=int(row.id), at=row.at, author=row.author or "", table=table_name,
            row_uuid=_as_uuid(row.row_uuid) if row.row_uuid is not None else None, action=row.action,
            field=row.field, kind=kind, subject=subject, what=what, old=old, new=new,
            edit=_as_uuid(row.edit) if row.edit is not None else None, note=read_note(getattr(row, "note", None))))
    return out


def _rows_by_ids(session: OrmSession, ids: Sequence[int]) -> list[Any]:
    """History lines by their keys, newest first."""
    log = _log()
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += list(session.execute(select(log).where(log.c.id.in_(chunk))))
    return sorted(rows, key=lambda r: -int(r.id))


def _made_or_deleted(session: OrmSession, table_name: str, key: str, like: str | None = None) -> Iterator[Any]:
    """The history's lines that made or deleted rows of ``table_name`` whose values mention
    ``key`` (and ``like``, a piece of their JSON text)."""
    log = _log()
    stmt = select(log.c.id, log.c.row_uuid, log.c.row_id, log.c.action, log.c.old, log.c.new).where(
        log.c.table_name == table_name, log.c.action.in_(("insert", "delete")), log.c.row_uuid.is_not(None))
    if like is not None:
        stmt = stmt.where(or_(log.c.new.like(f"%{like}%"), log.c.old.like(f"%{like}%")))
    yield from session.execute(stmt)


def _role_lines(session: OrmSession, session_ids: set[int], item_ids: set[int]) -> tuple[set[int], set[int]]:
    """The history lines of the roles in these sessions and items (those there are, and
    those made or deleted since, found by the history's copies), and their people's keys."""
    role = _table("role")
    ids: set[int] = set()
    people: set[int] = set()
    uuids: set[uuid_mod.UUID] = set()
    for chunk_s in _chunks(sorted(session_ids)) if session_ids else iter([()]):
        for chunk_i in _chunks(sorted(item_ids)) if item_ids else iter([()]):
            where = or_(role.c.session_id.in_(list(chunk_s)), role.c.item_id.in_(list(chunk_i)))
            for role_uuid, person in session.execute(select(role.c.uuid, role.c.person_id).where(where)):
                uuids.add(_as_uuid(role_uuid))
                people.add(int(person))
    for row in _made_or_deleted(session, "role", "_id"):
        values = _row_values(row)
        if values.get("session_id") in session_ids or values.get("item_id") in item_ids:
            uuids.add(_as_uuid(row.row_uuid))
            if isinstance(values.get("person_id"), int):
                people.add(values["person_id"])
    ids |= _lines_of(session, "role", uuids)
    return ids, people


def _lines_of(session: OrmSession, table_name: str, uuids: Iterable[uuid_mod.UUID]) -> set[int]:
    log = _log()
    dialect = session.get_bind().dialect.name
    out: set[int] = set()
    for chunk in _chunks(sorted(set(uuids), key=str)):
        out.update(int(i) for i in session.scalars(
            select(log.c.id).where(log.c.table_name == table_name, in_uuids(log.c.row_uuid, chunk, dialect))))
    return out


def history_of(session: OrmSession, table: str, row_uuid: uuid_mod.UUID, *, lang: str | None = None,
               with_roles: bool = True) -> list[HistoryEntry]:
    """The history of one row, newest first: every field changed (who, when, from what to
    what), when it was made and deleted. A session's or agenda item's history has its people
    on stage too (``with_roles``)."""
    lang = lang or interface_language()
    ids = _lines_of(session, table, [row_uuid])
    if with_roles and table in ("session", "agenda_item"):
        log, source = _log(), _table(table)
        row_id = session.scalar(select(source.c.id).where(in_uuids(source.c.uuid, [row_uuid],
                                                                   session.get_bind().dialect.name)))
        if row_id is None:  # deleted since: its key as the history knew it
            row_id = session.scalar(select(log.c.row_id).where(log.c.table_name == table, log.c.id.in_(ids))
                                    .where(log.c.row_id.is_not(None)).limit(1)) if ids else None
        if row_id is not None:
            more, _people = _role_lines(session, {int(row_id)} if table == "session" else set(),
                                        {int(row_id)} if table == "agenda_item" else set())
            ids |= more
    return _entries(session, _rows_by_ids(session, sorted(ids)), lang)


def event_line_ids(session: OrmSession, event_id: int) -> tuple[list[int], list[str]]:
    """The keys of the history lines of one event, newest first — the event, its rooms,
    partners, sessions, items, roles and registrations, and the people registered or on
    stage, the rows deleted since included (found by the history's copies of them) — and
    sentences on what could not be told apart by event."""
    log = _log()
    ids: set[int] = set()
    event_uuid = session.scalar(select(_table("event").c.uuid).where(_table("event").c.id == event_id))
    if event_uuid is not None:
        ids |= _lines_of(session, "event", [_as_uuid(event_uuid)])
    else:
        ids.update(int(i) for i in session.scalars(
            select(log.c.id).where(log.c.table_name == "event", log.c.row_id == event_id)))
    session_ids: set[int] = set()
    item_ids: set[int] = set()
    people: set[int] = set()
    for table_name in _EVENT_TABLES:
        table = _table(table_name)
        ids.update(int(i) for i in session.scalars(
            select(log.c.id).join(table, table.c.uuid == log.c.row_uuid)
            .where(log.c.table_name == table_name, table.c.event_id == event_id)))
        gone: set[uuid_mod.UUID] = set()
        for row in _made_or_deleted(session, table_name, "event_id", f'"event_id": {event_id}'):
            values = _row_values(row)
            if values.get("event_id") != event_id:
                continue
            gone.add(_as_uuid(row.row_uuid))
            if table_name == "session" and row.row_id is not None:
                session_ids.add(int(row.row_id))
            elif table_name == "agenda_item" and row.row_id is not None:
                item_ids.add(int(row.row_id))
            elif table_name == "registration" and isinstance(values.get("person_id"), int):
                people.add(values["person_id"])
        ids |= _lines_of(session, table_name, gone)
    session_ids.update(int(i) for i in session.scalars(
        select(_table("session").c.id).where(_table("session").c.event_id == event_id)))
    item_ids.update(int(i) for i in session.scalars(
        select(_table("agenda_item").c.id).where(_table("agenda_item").c.event_id == event_id)))
    role_ids, on_stage = _role_lines(session, session_ids, item_ids)
    ids |= role_ids
    people |= on_stage
    person, registration = _table("person"), _table("registration")
    registered = select(registration.c.person_id).where(registration.c.event_id == event_id)
    ids.update(int(i) for i in session.scalars(
        select(log.c.id).join(person, person.c.uuid == log.c.row_uuid)
        .where(log.c.table_name == "person", person.c.id.in_(registered))))
    current = {int(i) for i in session.scalars(registered)}
    for chunk in _chunks(sorted(people - current)):
        ids.update(int(i) for i in session.scalars(
            select(log.c.id).where(log.c.table_name == "person", log.c.row_id.in_(list(chunk)))))
    # Many rows made or deleted at once are one line without a row: the event's when the
    # same edit wrote lines of the event's rows.
    edits: set[Any] = set()
    for chunk in _chunks(sorted(ids)):
        edits.update(session.scalars(select(log.c.edit).where(log.c.id.in_(list(chunk))).distinct()))
    # An import's or a merge's lines say their event (``note_write``): those of many rows too.
    ids.update(int(i) for i in session.scalars(
        select(log.c.id).where(log.c.note.like(f"{_event_note(event_id)}%"))))
    bulk = set(session.scalars(select(log.c.id).where(log.c.row_uuid.is_(None), log.c.note.is_(None))))
    for chunk in _chunks(sorted(edits, key=str)):
        found = set(session.scalars(select(log.c.id).where(log.c.row_uuid.is_(None), log.c.edit.in_(list(chunk)))))
        ids |= found
        bulk -= found
    notes: list[str] = []
    if bulk:
        notes.append(words(interface_language()).n_(
            "{n} change of many rows at once could not be told apart by event and is not listed.",
            "{n} changes of many rows at once could not be told apart by event and are not listed.",
            len(bulk)).format(n=formats.number(len(bulk))))
    return sorted(ids, reverse=True), notes


def event_history(session: OrmSession, event_id: int, *, offset: int = 0, limit: int | None = 500,
                  lang: str | None = None) -> HistoryPage:
    """One event's history, newest first, a page at a time (``limit`` lines from ``offset``;
    None: all of it)."""
    lang = lang or interface_language()
    ids, notes = event_line_ids(session, event_id)
    page = ids[offset:] if limit is None else ids[offset:offset + limit]
    return HistoryPage(_entries(session, _rows_by_ids(session, page), lang), len(ids), offset, notes)


def entries_in_pages(session: OrmSession, ids: Sequence[int], lang: str | None = None,
                     size: int = 1000) -> Iterator[list[HistoryEntry]]:
    """The lines ``ids`` in words, ``size`` at a time (an export of a long history)."""
    lang = lang or interface_language()
    for start in range(0, len(ids), size):
        yield _entries(session, _rows_by_ids(session, ids[start:start + size]), lang)


def row_names(session: OrmSession, table: str, uuids: Sequence[uuid_mod.UUID], lang: str | None = None
              ) -> dict[uuid_mod.UUID, str]:
    """The names of rows of ``table`` as the history names them (a registration by its
    person, an item by its title), by uuid; rows that no longer exist are left out."""
    names = _Names(session, lang or interface_language())
    by_uuid = {_as_uuid(u): u for u in uuids}
    for values in names._read(table, "uuid", sorted(by_uuid, key=str)):
        names.by_uuid[(table, _as_uuid(values["uuid"]))] = values
    for column in ("person_id", "organisation_id"):
        ids = sorted({v[column] for (_t, _u), v in names.by_uuid.items() if isinstance(v.get(column), int)})
        target = _REFERENCES[column]
        for values in names._read(target, "id", ids):
            names.by_id[(target, int(values["id"]))] = names._name(target, values)
    return {u: names.subject(table, u) for u in by_uuid if (table, u) in names.by_uuid}


__all__ = ["DESK_FILE", "EMPTY", "IMPORT", "ROW_KINDS", "HistoryEntry", "HistoryPage", "decode", "entries_in_pages",
           "event_history", "event_line_ids", "field_label", "history_of", "local_text", "note_write",
           "read_note", "row_names", "shown_value", "when_text"]
