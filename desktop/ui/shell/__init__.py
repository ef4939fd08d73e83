"""What every section of the window stands on: the application, the main window and its
menus, the event bar, style, jobs, the table model base, form fields, undo commands.

Importing this package imports nothing: each module is loaded by what uses it, so the
first window pays only for what it shows.
"""
