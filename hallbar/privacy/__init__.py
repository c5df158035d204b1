"""Privacy: keyed pseudonyms and small-group suppression (pure)."""
