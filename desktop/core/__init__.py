"""Rules and queries shared by the GUI and the command line (no Qt)."""
