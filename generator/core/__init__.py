"""Foundations every stage shares: the data model, diagnostics, errors, ids, the site layout, words."""
