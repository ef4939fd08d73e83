"""The four kinds of printed pages of File → Print, by the keys the menu and the print
dialog share (``desktop.ui.printing.dialogs.KINDS`` describes each). A module of its own so
that the light menu and the dialog do not import each other."""

BADGES, NAME_CARDS, SIGN_IN, CERTIFICATES = "badges", "name_cards", "sign_in", "certificates"
REPORT = "report"  # the participation report: a dialog of its own (desktop.ui.printing.report_dialog)

__all__ = ["BADGES", "CERTIFICATES", "NAME_CARDS", "REPORT", "SIGN_IN"]
