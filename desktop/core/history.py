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

No Qt here: the window, the export and the command line use it alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from typing import Any

from desktop.core import formats, vocabulary
from desktop.core.language import LANGUAGES, N_, NP_, interface_language, words

EMPTY = "—"
"""A value that is not there (no phone, no room)."""

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


__all__ = ["EMPTY", "decode", "field_label", "local_text", "shown_value", "when_text"]
