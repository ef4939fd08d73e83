"""The Qt window of Conference Desk (PySide6): reads and changes data only through core.

One package per section of the window, each holding its page, its dialogs, its item models
and its undo commands:

* ``shell`` — what every section stands on: ``app.run(database)``, the main window with its
  menus, the event bar, recent databases, shortcuts, the palette and icons (``style``),
  background jobs, the table model base, form fields and the one undo command class;
* ``agenda`` — the agenda editor (outline, timetable, conflicts panel, its dialogs);
* ``events`` — setting an event up (the Event menu and the event dialog);
* ``people`` — the roster of people and organisations;
* ``registrations`` — the registrations list, registering people, the import wizard and the
  attendee export;
* ``desk`` — desk mode (check-in), walk-ins, desk files;
* ``printing`` — File → Print, its dialogs, the programme and the PDF preview.

Sections depend on ``shell`` and never the other way round; a section is imported when it is
first shown. Nothing here imports ReportLab, openpyxl or Alembic at start-up.
"""
