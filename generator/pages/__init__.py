"""Turning the checked knowledge base into pages, as data (no engine, no files written)."""
