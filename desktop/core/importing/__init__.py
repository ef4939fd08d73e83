"""Importing attendee lists: the spreadsheets organisers really get (no Qt).

The wizard and ``import-attendees`` share these calls:

* ``open_source(path, overrides)`` → ``(SourceTable, Layout)``: the file opened safely
  (``guard``, ``reading``) and its columns mapped (``layout``);
* ``preview_import(database, table, layout, event_id)`` → ``ImportPlan``: every row's
  verdict (``validation``, kept compactly in a ``VerdictLog``), nothing written;
* ``import_attendees(database, path_or_table, event_id, ...)`` → ``ImportReport``: the
  import in one transaction (``importer``), or a dry run.

A table keeps only its first rows; each pass reads the rows again from the file and lets
them go (``SourceTable.iter_rows``), so no pass holds the whole file.

Problems with the file raise ``ImportFileError`` (one sentence naming the file; its
subclass ``LayoutProblem`` when no column is known to hold names, which ``check_usable``
tells before anything is opened), a bad mapping given by the user ``MappingError``, a
missing event ``EventMissing``. A problem of a text file's later rows (too many columns,
a quote never closed, more rows than allowed, the file changed since it was opened) is
met by the pass that reads them: the preview or the import raises ``ImportFileError``
then, and an import is rolled back.
"""

from desktop.core.importing.errors import (
    DEFAULT_LIMITS,
    ImportCancelled,
    ImportFileError,
    LayoutProblem,
    Limits,
    MappingError,
)
from desktop.core.importing.fields import FIELD_SPECS, FIELDS, IGNORE
from desktop.core.importing.importer import ImportReport, check_usable, import_attendees, open_source, preview_import
from desktop.core.importing.layout import Column, Layout, detect_layout, parse_map_option, parse_map_options
from desktop.core.importing.reading import SourceTable, read_table
from desktop.core.importing.validation import EventMissing, ImportPlan, Outcome, RowVerdict, VerdictLog

__all__ = [
    "DEFAULT_LIMITS", "FIELDS", "FIELD_SPECS", "IGNORE", "Column", "EventMissing", "ImportCancelled",
    "ImportFileError", "ImportPlan", "ImportReport", "Layout", "LayoutProblem", "Limits", "MappingError", "Outcome",
    "RowVerdict", "SourceTable", "VerdictLog", "check_usable", "detect_layout", "import_attendees", "open_source",
    "parse_map_option", "parse_map_options", "preview_import", "read_table",
]
