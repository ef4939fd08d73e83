"""What can go wrong with an import, each as one sentence for a person."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.formats import locale_of
from desktop.core.language import _


class ImportFileError(Exception):
    """The file cannot be used: the message is one sentence naming the file (and the row
    or column where that helps). Nothing was written."""


class LayoutProblem(ImportFileError):
    """The file reads, but no column is known to hold names: the user must say which.
    ``where`` names the file (and its sheet), ``problem`` is ``Layout.problem``."""

    def __init__(self, where: str, problem: str) -> None:
        # Translators: {where} is a file's name (and sheet), {problem} what is wrong with its columns.
        super().__init__(_("{where}: {problem}.").format(where=where, problem=problem))
        self.where = where
        self.problem = problem


class MappingError(ValueError):
    """A column mapping the user gave is malformed or names an unknown field (a usage
    mistake, not a problem of the file)."""


class ImportCancelled(Exception):
    """Raised by a progress callback to stop an import; the transaction is rolled back."""


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused (the defaults suit lists of up to
    200,000 people, far beyond any conference)."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024   # all members of an .xlsx/.ods together
    max_ratio: int = 100                           # for members bigger than big_member_bytes
    big_member_bytes: int = 1024 * 1024
    max_members: int = 10_000
    max_rows: int = 200_000
    max_columns: int = 500
    max_cells: int = 6_000_000                     # rows × columns of the sheet read
    max_cell_chars: int = 100_000


DEFAULT_LIMITS = Limits()


def megabytes(n: int) -> str:
    """A size in megabytes as the interface language writes it ("64 MB", "1,5 МБ")."""
    from babel.numbers import format_decimal

    size = format_decimal(n / (1024 * 1024), "#,##0" if n >= 10 * 1024 * 1024 else "#,##0.0", locale=locale_of())
    # Translators: a file's size in megabytes.
    return _("{size} MB").format(size=size)
