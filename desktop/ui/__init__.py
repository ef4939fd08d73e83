"""The Qt window of Conference Desk (PySide6): reads and changes data only through core.

``app.run(database)`` starts it; ``main_window.MainWindow`` holds the event bar
(``event_bar``), the four sections (``agenda``, ``people``, ``registrations``, ``desk``, each
made when first shown) and the menus. ``table`` is the plain table model the lists share;
``style`` holds the palette, the style sheet and the icons of ``resources/icons``.
Nothing here imports ReportLab, openpyxl or Alembic: start-up stays fast.
"""
