"""The People section: the roster of people and organisations, the person and organisation
editors, merging two records, and their undo commands."""
