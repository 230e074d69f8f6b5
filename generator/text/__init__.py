"""Scanners over editor-written text: citations, links, unsafe markup, Markdown's costly patterns, quotes."""
