"""Setting an event up: the Event menu (new, edit, duplicate, delete), the event dialog with
its rooms and partners, and their undo commands. The dialogs load on first use."""
