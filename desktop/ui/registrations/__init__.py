"""The Registrations section: the lazy table of an event's registrations, registering and
editing people's registrations, the import wizard and the attendee export dialog."""
