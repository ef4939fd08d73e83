"""Finding the header row and deciding which column holds what.

The header is the row, among the first ``HEADER_SCAN`` rows, whose cells name the most
known fields (``fields.field_for_header``), so title rows and merged banners above it are
passed over. When the row under it names fields too (a two-level header: "ФИО" merged
over "Фамилия | Имя | Отчество"), the two are read together.

Each column gets the field its header names; a field claimed by two columns stays with
the first. The user corrects this with overrides: ``{"Header": "field"}`` (the command
line's ``--map``), ``{"C": "field"}`` (a column letter) or ``{2: "field"}`` (a column
index, the wizard); the field ``"ignore"`` leaves a column out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop.core.importing import fields as F
from desktop.core.importing.errors import ImportFileError, MappingError
from desktop.core.importing.reading import SourceTable, cell_text
from desktop.core.language import _, p_

HEADER_SCAN = 50
SAMPLES = 5

Overrides = Mapping[str | int, str | None]


@dataclass(frozen=True)
class Column:
    """One column of the table and what it is taken for."""

    index: int                # 0-based position in the sheet
    letter: str               # "A", "B", … as a spreadsheet shows it
    header: str               # the header text, trimmed ("" when there is none)
    field: str | None         # the field it fills; None: left out
    detected: str | None      # what the header alone says (before any correction)
    samples: tuple[str, ...]  # the first values below the header

    @property
    def title(self) -> str:
        """The header, or "column C" when it has none (in the interface language)."""
        # Translators: a column of a spreadsheet without a header, by its letter ("column C").
        return self.header or _("column {letter}").format(letter=self.letter)


@dataclass(frozen=True)
class Layout:
    """Where the header is and what each column holds."""

    header_index: int | None  # index into ``table.rows``; None: no header found
    header_row: int | None    # its number as in the file
    data_start: int           # index of the first row of data
    columns: tuple[Column, ...]

    @property
    def field_columns(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field}

    @property
    def problem(self) -> str | None:
        """Why this layout cannot be imported (no column holds names), else None: a sentence
        without its first capital and its full stop (it follows a file's name)."""
        if not F.NAME_FIELDS & set(self.field_columns):
            if self.header_index is None:
                # Translators: keep the headers in quotation marks as they are (the words of the files).
                return _("no header row naming the columns (such as “ФИО”, “Фамилия”, “Организация”, "
                         "“E-mail”) was found in the first rows; say which column holds the names")
            # Translators: keep the headers in quotation marks as they are (the words of the files).
            return _("no column holds names (such as “ФИО”, “Фамилия” or “Имя”); say which one does")
        return None


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _letter_index(text: str) -> int | None:
    if not re.fullmatch(r"[A-Za-z]{1,3}", text.strip()):
        return None
    n = 0
    for ch in text.strip().upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def parse_map_option(spec: str) -> tuple[str, str]:
    """``"Header=field"`` → ``("Header", field key)``; ``MappingError`` when malformed or
    the field is unknown."""
    header, sep, word = spec.rpartition("=")
    if not sep or not header.strip():
        # Translators: keep --map and 'Header=field' (what is typed on the command line).
        raise MappingError(_("--map needs 'Header=field', got '{spec}'").format(spec=spec))
    key = F.field_for_name(word)
    if key is None:
        known = ", ".join(f.key for f in F.FIELD_SPECS)
        # Translators: {fields} are the fields' keys as typed on the command line (keep them).
        raise MappingError(_("unknown field '{field}' in --map '{spec}'; fields are: {fields}").format(
            field=word.strip(), spec=spec, fields=f"{known}, {F.IGNORE}"))
    return header.strip(), key


def parse_map_options(specs: Iterable[str]) -> dict[str, str]:
    """Several ``--map`` options; a field given to two columns is a ``MappingError``."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for spec in specs:
        header, key = parse_map_option(spec)
        if key != F.IGNORE and key in seen and seen[key] != header:
            raise MappingError(_("--map gives '{field}' to two columns, '{first}' and '{second}'").format(
                field=key, first=seen[key], second=header))
        seen[key] = header
        out[header] = key
    return out


def _row_fields(row: list[object], extra: frozenset[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, value in enumerate(row):
        if type(value) is not str or not value.strip():
            continue
        if F.fold(value) in extra:
            found[i] = "?"  # a header the user named: counts, field decided later
            continue
        key = F.field_for_header(value)
        if key is not None:
            found[i] = key
    return found


def _score(found: dict[int, str]) -> int:
    """Distinct known fields named in a row, plus the headers the user named."""
    known = {v for v in found.values() if v != "?"}
    return len(known) + sum(1 for v in found.values() if v == "?")


def detect_layout(table: SourceTable, overrides: Overrides | None = None) -> Layout:
    """Find the header and map the columns (see the module docstring)."""
    overrides = dict(overrides or {})
    named = frozenset(F.fold(k) for k in overrides if isinstance(k, str) and _letter_index(k) is None)
    rows = table.rows
    best: tuple[int, int] | None = None  # (score, index)
    found_at: dict[int, dict[int, str]] = {}
    for i, row in enumerate(rows[:HEADER_SCAN]):
        if i in table.banners:
            continue
        found = _row_fields(row, named)
        found_at[i] = found
        score = _score(found)
        names = F.NAME_FIELDS & set(found.values())
        if score >= 2 or (score >= 1 and (names or "?" in found.values())):
            if best is None or score > best[0]:
                best = (score, i)
    width = max((len(r) for r in rows), default=0)
    if best is None:
        first = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), 0)
        headers = [""] * width
        detected: list[str | None] = [None] * width
        header_index, data_start = None, first
    else:
        header_index = best[1]
        data_start = header_index + 1
        headers = [cell_text(c) for c in rows[header_index]] + [""] * width
        detected = [None] * width
        for i, key in found_at[header_index].items():
            detected[i] = None if key == "?" else key
        below = _next_nonblank(rows, data_start)
        if below is not None and below < HEADER_SCAN and below not in table.banners:
            sub = found_at.get(below) or _row_fields(rows[below], named)
            texts = [cell_text(c) for c in rows[below]]
            filled = sum(1 for t in texts if t)
            if _score(sub) >= 2 and len(sub) * 2 >= filled:
                for i, key in sub.items():
                    headers[i] = texts[i]
                    detected[i] = None if key == "?" else key
                data_start = below + 1
        headers = headers[:width]
    samples = _samples(rows, data_start, width)
    for i, field in enumerate(detected):
        if field is None and headers[i] and F.header_key(headers[i]) in F.AMBIGUOUS_TITLE_KEYS:
            values = samples[i]
            honorific = sum(1 for v in values if F.looks_like_honorific(v))
            detected[i] = F.HONORIFIC if values and honorific * 5 >= len(values) * 3 else F.POSITION
    chosen: list[str | None] = []
    taken: set[str] = set()
    for field in detected:
        if field is not None and field not in taken:
            taken.add(field)
            chosen.append(field)
        else:
            chosen.append(None)
    _apply_overrides(table, headers, chosen, overrides)
    columns = tuple(
        Column(i, column_letter(i), headers[i], chosen[i], detected[i], samples[i])
        for i in range(width)
        if headers[i] or chosen[i] or samples[i]
    )
    return Layout(
        header_index=header_index,
        header_row=table.number(header_index) if header_index is not None else None,
        data_start=data_start,
        columns=columns,
    )


def _next_nonblank(rows: list[list[object]], start: int) -> int | None:
    for i in range(start, min(len(rows), start + 3)):
        if any(cell_text(c) for c in rows[i]):
            return i
    return None


def _samples(rows: list[list[object]], start: int, width: int) -> list[tuple[str, ...]]:
    found: list[list[str]] = [[] for _ in range(width)]
    for row in rows[start:start + 200]:
        for i, value in enumerate(row):
            if len(found[i]) < SAMPLES:
                text = cell_text(value)
                if text:
                    found[i].append(text)
    return [tuple(v) for v in found]


def _apply_overrides(table: SourceTable, headers: list[str], chosen: list[str | None],
                     overrides: dict[str | int, str | None]) -> None:
    for target, key in overrides.items():
        field = None if key in (None, F.IGNORE) else key
        if field is not None and field not in F.FIELDS:
            raise MappingError(_("unknown field '{field}'").format(field=key))
        index = _column_for(table, headers, target)
        if field is not None:
            for i, other in enumerate(chosen):
                if other == field and i != index:
                    chosen[i] = None
        chosen[index] = field


def _column_for(table: SourceTable, headers: list[str], target: str | int) -> int:
    if isinstance(target, int):
        if not 0 <= target < len(headers):
            raise MappingError(_("there is no column {n}").format(n=target + 1))
        return target
    folded = F.fold(target)
    for i, header in enumerate(headers):
        if header and F.fold(header) == folded:
            return i
    for i, header in enumerate(headers):
        if header and F.header_key(header) == F.header_key(target) and F.header_key(target):
            return i
    letter = _letter_index(target)
    if letter is not None and letter < len(headers):
        return letter
    named = [p_("quoted", "“{title}”").format(title=h) for h in headers if h]
    if table.sheet:
        if not named:
            raise ImportFileError(_("{file}, sheet “{sheet}” has no column “{column}”; its headers are: none "
                                    "(no header row was found).").format(
                file=table.name, sheet=table.sheet, column=target))
        raise ImportFileError(_("{file}, sheet “{sheet}” has no column “{column}”; its headers are: {headers}.").format(
            file=table.name, sheet=table.sheet, column=target, headers=", ".join(named)))
    if not named:
        raise ImportFileError(_("{file} has no column “{column}”; its headers are: none (no header row was "
                                "found).").format(file=table.name, column=target))
    raise ImportFileError(_("{file} has no column “{column}”; its headers are: {headers}.").format(
        file=table.name, column=target, headers=", ".join(named)))
