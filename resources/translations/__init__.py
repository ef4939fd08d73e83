"""The translation catalogs of the interface and the printed pages (see ``catalogs``)."""
