"""Printing: File → Print (badges, name cards, sign-in sheets, certificates), the programme
and calendar export, and the in-app PDF preview. The dialogs load on first use; ReportLab
only when something is printed."""
