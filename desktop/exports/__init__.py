"""PDF (ReportLab) and Excel (openpyxl) writers; imported only when an export runs (no Qt)."""
