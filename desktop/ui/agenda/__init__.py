"""The Agenda section: the outline and timetable of an event's days, sessions and items,
the conflicts panel, the session/item dialogs and the agenda's undo commands."""
