"""Checks from the model to diagnostics, and the report of them."""
