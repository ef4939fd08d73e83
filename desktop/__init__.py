"""Conference Desk: the desktop application (ui), the command line, core rules and exports."""

__version__ = "0.1.0"
