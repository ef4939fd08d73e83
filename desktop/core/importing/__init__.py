"""Importing attendee lists: the spreadsheets organisers really get (no Qt).

The wizard and ``import-attendees`` share these calls:

* ``open_source(path, overrides)`` → ``(SourceTable, Layout)``: the file read safely
  (``guard``, ``reading``) and its columns mapped (``layout``);
* ``preview_import(database, table, layout, event_id)`` → ``ImportPlan``: every row's
  verdict (``validation``), nothing written;
* ``import_attendees(database, path_or_table, event_id, ...)`` → ``ImportReport``: the
  import in one transaction (``importer``), or a dry run.

Problems with the file raise ``ImportFileError`` (one sentence naming the file; its
subclass ``LayoutProblem`` when no column is known to hold names, which ``check_usable``
tells before anything is opened), a bad mapping given by the user ``MappingError``, a
missing event ``EventMissing``.
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
from desktop.core.importing.validation import EventMissing, ImportPlan, Outcome, RowVerdict

__all__ = [
    "DEFAULT_LIMITS", "FIELDS", "FIELD_SPECS", "IGNORE", "Column", "EventMissing", "ImportCancelled",
    "ImportFileError", "ImportPlan", "ImportReport", "Layout", "LayoutProblem", "Limits", "MappingError", "Outcome",
    "RowVerdict", "SourceTable", "check_usable", "detect_layout", "import_attendees", "open_source", "parse_map_option",
    "parse_map_options", "preview_import", "read_table",
]
