"""Desk mode: the scan-or-type check-in screen, walk-ins, and the File menu's desk files
(export for a desk without network, merge its check-ins back)."""
